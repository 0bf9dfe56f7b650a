// The real Node server over a fresh, seeded database, for the Playwright suite.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fakeSmtp } from "../helpers/fake-smtp";
import { parseEnv } from "../../app/lib/env.server";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { generateDemoData } from "../../db/seed/generate";
import { startNodeServer } from "../../workers/node-server";
import { startPartyKit } from "../../scripts/partykit";
import { ensureBuild } from "../setup/template-db";
import { E2E_DB, E2E_MAIL, E2E_STRIPE, TMP } from "../setup/paths";
import { fakeStripe } from "../helpers/fake-stripe";

ensureBuild();
mkdirSync(TMP, { recursive: true });
for (const s of ["", "-wal", "-shm"]) rmSync(E2E_DB + s, { force: true });
rmSync(`${TMP}/e2e-totp-steps.json`, { force: true }); // a fresh database remembers no TOTP steps
const { client, db } = openDatabase(`file:${E2E_DB}`);
await migrateDatabase(db);
await generateDemoData(db, { size: "test" });
client.close();

// The clinic's mail server, a local fake: what it receives is written where the tests read it
// (new patients confirm their address with an emailed code).
const smtp = await fakeSmtp();
rmSync(E2E_MAIL, { force: true });
smtp.onReceive(() => writeFileSync(E2E_MAIL, JSON.stringify(smtp.received.map((m) => ({ to: m.to, text: m.text })))));

// Stripe, a local fake of its HTTP API (ADR 034): the browser's Stripe.js is a fake the specs
// serve through Playwright's routing, and its calls to api.stripe.com are routed here.
const stripe = await fakeStripe();
writeFileSync(E2E_STRIPE, stripe.url);

// The live board's rooms: a real PartyKit dev server beside the app.
const partySecret = "e2e-party-secret";
const party = await startPartyKit({ port: Number(process.env.E2E_PARTY_PORT ?? 3299), secret: partySecret, quiet: true });
const env = parseEnv({ NODE_ENV: "test", DATABASE_URL: `file:${E2E_DB}`, SESSION_SECRET: "e2e-secret-e2e-secret-e2e-secret-012345", LOG_LEVEL: "warn", FILES_DIR: `${TMP}/e2e-files`, PARTY_URL: party.url, PARTY_SECRET: partySecret, EMAIL_PROVIDER: "smtp", SMTP_URL: smtp.url, ...stripe.env });
const app = await startNodeServer({ env, port: Number(process.env.E2E_PORT ?? 3210), jobIntervalMs: 1000 });
console.log(`e2e server on ${app.url}`);
const stop = async () => {
  party.stop();
  await app.close();
  await smtp.close();
  await stripe.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
