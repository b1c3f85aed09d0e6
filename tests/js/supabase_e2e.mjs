// A frontend's session with the official supabase-js client, unchanged, against this server:
// sign in through /auth/v1, ask the assistant and an analyzer through /functions/v1, listen
// to samples through /realtime/v1, change a sample through the REST API, hear the change,
// sign out. Prints one JSON line with what it saw; exits non-zero on any failure.
//
// Node 20 has no global WebSocket: the `ws` package is handed to the realtime client, as
// supabase-js documents for Node. A browser needs nothing.
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const url = env("SUPABASE_URL");
const sampleId = env("SAMPLE_ID");
const campaignId = env("CAMPAIGN_ID");
const timeout = (ms, what) =>
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms));

const supabase = createClient(url, env("ANON_KEY"), {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: WebSocket },
});

const seen = {};
const { data: signedIn, error: signInError } = await supabase.auth.signInWithPassword({
  email: env("EMAIL"),
  password: env("PASSWORD"),
});
if (signInError) throw signInError;
seen.user = signedIn.user.email;

const chat = await supabase.functions.invoke("chat-orchestrator", {
  body: {
    message: "Are we ready for the shoot?",
    currentKit: "logistics",
    userContext: { campaignId },
  },
});
if (chat.error) throw chat.error;
seen.chat = { intent: chat.data.intent, skill: chat.data.skill, content: chat.data.content };

const analysis = await supabase.functions.invoke("logistics-analyzer", {
  body: { campaignId, analysisType: "readiness" },
});
if (analysis.error) throw analysis.error;
seen.analysis = analysis.data;

const change = new Promise((resolve) => {
  const channel = supabase
    .channel("samples-e2e")
    .on(
      "postgres_changes",
      { event: "UPDATE", schema: "public", table: "samples", filter: `id=eq.${sampleId}` },
      (payload) => resolve(payload),
    );
  channel.subscribe(async (status, err) => {
    if (status !== "SUBSCRIBED") {
      if (err) seen.subscribeError = String(err);
      return;
    }
    seen.subscribed = true;
    const reply = await fetch(`${url}/api/v1/samples/${sampleId}`, {
      method: "PATCH",
      headers: {
        Authorization: `Bearer ${signedIn.session.access_token}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ status: "on_set" }),
    });
    seen.patchStatus = reply.status;
  });
});
const payload = await Promise.race([change, timeout(15000, "the sample change")]);
seen.change = {
  eventType: payload.eventType,
  table: payload.table,
  newStatus: payload.new.status,
  oldStatus: payload.old.status,
};

const { error: signOutError } = await supabase.auth.signOut();
if (signOutError) throw signOutError;
seen.signedOut = true;
await supabase.removeAllChannels();
console.log(JSON.stringify(seen));
process.exit(0);
