// A frontend's everyday table reads and writes with the official supabase-js client,
// unchanged, through this server's /rest/v1: sign in, select with filters, order, range and
// count, insert().select(), update().eq().select(), .single(), .maybeSingle(), an embed, a
// realtime UPDATE heard after from().update(), delete(), and PostgREST's errors. Prints one
// JSON line with what it saw; exits non-zero on any failure (run by
// tests/rest_v1/test_supabase_clients.py, or `npm run rest-e2e` with the variables below).
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const url = env("SUPABASE_URL");
const campaignId = env("CAMPAIGN_ID");
const timeout = (ms, what) =>
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms));
const check = ({ data, error, count, status }, what) => {
  if (error) throw new Error(`${what}: ${JSON.stringify(error)}`);
  return { data, count, status };
};

const supabase = createClient(url, env("ANON_KEY"), {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: WebSocket },
});
const seen = {};

const anonymous = await supabase.from("samples").select("id");
seen.anonymousRows = check(anonymous, "anonymous select").data.length;

const signIn = await supabase.auth.signInWithPassword({
  email: env("EMAIL"),
  password: env("PASSWORD"),
});
if (signIn.error) throw signIn.error;

const page = check(
  await supabase
    .from("samples")
    .select("name, status", { count: "exact" })
    .eq("campaign_id", campaignId)
    .in("status", ["arrived", "requested", "delayed"])
    .not("name", "is", null)
    .order("priority", { ascending: false })
    .order("name")
    .range(0, 1),
  "select page",
);
seen.page = { names: page.data.map((row) => row.name), count: page.count, status: page.status };

const or = check(
  await supabase.from("samples").select("name").or("is_hero.eq.true,priority.lte.1").order("name"),
  "or",
);
seen.or = or.data.map((row) => row.name);

const head = check(
  await supabase.from("samples").select("*", { count: "exact", head: true }),
  "head count",
);
seen.headCount = head.count;

const inserted = check(
  await supabase
    .from("samples")
    .insert({ campaign_id: campaignId, name: "Cotton shirt, white", priority: 2 })
    .select(),
  "insert().select()",
);
const newId = inserted.data[0].id;
seen.inserted = { name: inserted.data[0].name, status: inserted.status };

const many = check(
  await supabase
    .from("samples")
    .insert([
      { campaign_id: campaignId, name: "Sock A" },
      { campaign_id: campaignId, name: "Sock B" },
    ])
    .select("name"),
  "insert([...]).select()",
);
seen.insertedMany = many.data.map((row) => row.name);

const updated = check(
  await supabase.from("samples").update({ status: "arrived" }).eq("id", newId).select("id, status"),
  "update().eq().select()",
);
seen.updated = updated.data;

const single = check(
  await supabase.from("samples").select("name, campaigns(name)").eq("id", newId).single(),
  "single with embed",
);
seen.single = single.data;

const campaigns = check(
  await supabase
    .from("campaigns")
    .select("name, samples(name)")
    .eq("id", campaignId)
    .order("name", { referencedTable: "samples" }),
  "embed one-to-many",
);
seen.campaignSamples = campaigns.data[0].samples.map((row) => row.name);

const maybe = check(
  await supabase.from("samples").select("id").eq("name", "No such sample").maybeSingle(),
  "maybeSingle",
);
seen.maybeNothing = maybe.data;

const change = new Promise((resolve) => {
  const channel = supabase
    .channel("rest-e2e")
    .on(
      "postgres_changes",
      { event: "UPDATE", schema: "public", table: "samples", filter: `id=eq.${newId}` },
      (payload) => resolve(payload),
    );
  channel.subscribe(async (status, err) => {
    if (status !== "SUBSCRIBED") {
      if (err) seen.subscribeError = String(err);
      return;
    }
    const reply = await supabase.from("samples").update({ status: "on_set" }).eq("id", newId);
    seen.realtimeUpdateStatus = reply.status;
  });
});
const payload = await Promise.race([change, timeout(15000, "the sample change")]);
seen.change = {
  eventType: payload.eventType,
  newStatus: payload.new.status,
  oldStatus: payload.old.status,
};
await supabase.removeAllChannels();

const deleted = await supabase.from("samples").delete().eq("id", newId);
seen.deleteStatus = deleted.status;
const gone = check(await supabase.from("samples").select("id").eq("id", newId), "after delete");
seen.afterDelete = gone.data;

const unknown = await supabase.from("sample").select();
seen.unknownTable = { status: unknown.status, code: unknown.error?.code };
const tooMany = await supabase.from("samples").select("id").single();
seen.singleOfMany = { status: tooMany.status, code: tooMany.error?.code };
const refused = await supabase.from("samples").delete();
seen.unfilteredDelete = { status: refused.status, code: refused.error?.code };

await supabase.auth.signOut();
console.log(JSON.stringify(seen));
process.exit(0);
