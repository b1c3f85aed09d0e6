// Broadcast and presence with the official supabase-js client, unchanged, on the private
// channel of a campaign: two members see each other in presenceState(), a broadcast from one
// reaches the other (and, with `self: true`, the sender), an outsider's join is refused, and a
// member removed from the campaign stops hearing at once. The owner talks to SUPABASE_URL, the
// viewer to VIEWER_URL (another server process when the test runs two) with vsn VIEWER_VSN.
// Prints one JSON line with what it saw; exits non-zero on any failure.
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const url = env("SUPABASE_URL");
const campaignId = env("CAMPAIGN_ID");
const topic = `campaign:${campaignId}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const within = (ms, what, promise) => {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

// A frontend signed in elsewhere: its access token given to the client, and set on realtime
// before the first join (the client would otherwise set it asynchronously).
async function client(base, token, vsn) {
  const supabase = createClient(base, env("ANON_KEY"), {
    accessToken: async () => token,
    realtime: { transport: WebSocket, ...(vsn ? { vsn } : {}) },
  });
  await supabase.realtime.setAuth(token);
  return supabase;
}

const seen = { heard: { owner: [], viewer: [] }, statuses: { owner: [], viewer: [] } };

// Resolves with the channel once SUBSCRIBED; rejects with the first error (a refused join).
function join(supabase, who) {
  const channel = supabase.channel(topic, {
    config: { private: true, presence: { key: who }, broadcast: { self: who === "owner", ack: true } },
  });
  channel.on("presence", { event: "sync" }, () => {});
  channel.on("broadcast", { event: "note" }, (message) => seen.heard[who].push(message.payload.text));
  return new Promise((resolve, reject) => {
    channel.subscribe((status, err) => {
      (seen.statuses[who] ||= []).push(status);
      if (status === "SUBSCRIBED") resolve(channel);
      else if (status === "CHANNEL_ERROR") reject(err || new Error(status));
    });
  });
}

async function until(what, check, ms = 10000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(50);
  }
}

const owner = await client(url, env("OWNER_TOKEN"));
const viewer = await client(env("VIEWER_URL"), env("VIEWER_TOKEN"), process.env.VIEWER_VSN);
const ownerChannel = await within(10000, "owner join", join(owner, "owner"));
const viewerChannel = await within(10000, "viewer join", join(viewer, "viewer"));
seen.vsn = { owner: owner.realtime.vsn, viewer: viewer.realtime.vsn };
await ownerChannel.track({ name: "Olive" });
await viewerChannel.track({ name: "Victor" });
const bothPresent = (channel) => ["owner", "viewer"].every((key) => key in channel.presenceState());
await until("both see each other", () => bothPresent(ownerChannel) && bothPresent(viewerChannel));
seen.presence = {
  owner: Object.keys(ownerChannel.presenceState()).sort(),
  viewer: Object.keys(viewerChannel.presenceState()).sort(),
  viewerSeesOwnerAs: viewerChannel.presenceState().owner[0].name,
};

seen.sendResult = await ownerChannel.send({ type: "broadcast", event: "note", payload: { text: "hi" } });
await until("the note reached both", () => seen.heard.viewer.includes("hi") && seen.heard.owner.includes("hi"));
seen.viewerReplyResult = await viewerChannel.send({ type: "broadcast", event: "note", payload: { text: "back" } });
await until("the reply reached the owner", () => seen.heard.owner.includes("back"));

const outsider = await client(url, env("OUTSIDER_TOKEN"));
try {
  await within(10000, "outsider join", join(outsider, "outsider"));
  seen.outsider = "joined";
} catch (err) {
  seen.outsider = String(err.message);
}
await outsider.removeAllChannels();

const removed = await fetch(`${url}/api/v1/campaigns/${campaignId}/members/${env("VIEWER_MEMBER_ID")}`, {
  method: "DELETE",
  headers: { Authorization: `Bearer ${env("OWNER_TOKEN")}`, apikey: env("ANON_KEY") },
});
seen.removeStatus = removed.status;
const revokedAt = Date.now();
await until("the viewer's channel closed", () => seen.statuses.viewer.includes("CLOSED"));
seen.closedAfterMs = Date.now() - revokedAt;
await until("the viewer left the owner's presence", () => !("viewer" in ownerChannel.presenceState()));
await ownerChannel.send({ type: "broadcast", event: "note", payload: { text: "after" } });
await until("the owner heard its own note", () => seen.heard.owner.includes("after"));
await sleep(1000);
seen.viewerHeardAfter = seen.heard.viewer.includes("after");

await owner.removeAllChannels();
await viewer.removeAllChannels();
console.log(JSON.stringify(seen));
process.exit(0);
