// A new person's account with the official supabase-js client, unchanged, against this
// server: sign up, change their profile, read it back, forget the password, recover it with
// the code from the e-mail (the server writes its e-mails to OUTBOX, one file each), set a
// new one, and sign in with it. Prints one JSON line with what it saw; exits non-zero on any
// failure.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const email = env("EMAIL");
const outbox = env("OUTBOX");
const [password, newPassword] = [env("PASSWORD"), env("NEW_PASSWORD")];
const check = ({ data, error }) => {
  if (error) throw error;
  return data;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const supabase = createClient(env("SUPABASE_URL"), env("ANON_KEY"), {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: WebSocket }, // Node.js 20 has no global WebSocket
});

const seen = {};
const signedUp = check(
  await supabase.auth.signUp({ email, password, options: { data: { full_name: "Ines Duarte" } } }),
);
seen.signUp = {
  hasSession: signedUp.session !== null,
  email: signedUp.user.email,
  metadata: signedUp.user.user_metadata,
};

const updated = check(await supabase.auth.updateUser({ data: { studio: "north" } }));
seen.updateUser = updated.user.user_metadata;

const me = check(await supabase.auth.getUser());
seen.getUser = { id: me.user.id, email: me.user.email, metadata: me.user.user_metadata };
seen.signUpUserId = signedUp.user.id;

check(await supabase.auth.signOut());
seen.reset = check(await supabase.auth.resetPasswordForEmail(email));

// The recovery e-mail, as the server's file e-mail backend wrote it.
let code = null;
for (let tries = 0; tries < 100 && code === null; tries += 1) {
  for (const name of readdirSync(outbox)) {
    const text = readFileSync(join(outbox, name), "utf8");
    const match = text.includes(`To: ${email}`) && /enter this code: (\d{6})/.exec(text);
    if (match && text.includes("Reset your password")) code = match[1];
  }
  if (code === null) await sleep(100);
}
if (code === null) throw new Error("no recovery e-mail in the outbox");

const verified = check(await supabase.auth.verifyOtp({ email, token: code, type: "recovery" }));
seen.verified = { hasSession: verified.session !== null, email: verified.user.email };
check(await supabase.auth.updateUser({ password: newPassword }));
check(await supabase.auth.signOut());

const oldRefused = await supabase.auth.signInWithPassword({ email, password });
seen.oldPassword = oldRefused.error ? oldRefused.error.code : "accepted";
const signedIn = check(await supabase.auth.signInWithPassword({ email, password: newPassword }));
seen.newPassword = { email: signedIn.user.email, hasSession: signedIn.session !== null };
check(await supabase.auth.signOut());
console.log(JSON.stringify(seen));
process.exit(0);
