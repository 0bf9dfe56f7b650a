// npm start — the embedded default: build if needed, migrate, seed a demo organization
// when the database is empty, start the PartyKit dev server and the Node server.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isBuildFresh } from "./build-freshness";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { generateDemoData, isDatabaseEmpty, DEMO_PASSWORD } from "../db/seed/generate";
import { migrateDatabase } from "../db/migrate";
import { openDatabase } from "../db/client";
import { envFromProcess, startNodeServer } from "../workers/node-server";
import { startPartyKit } from "./partykit";

const port = Number(process.env.PORT ?? 3000);
const partyPort = Number(process.env.PARTY_PORT ?? 1999);
mkdirSync("data", { recursive: true });

const ROOT = fileURLToPath(new URL("..", import.meta.url));
if (!isBuildFresh(ROOT, "build/node/server/index.js")) {
  // The build's own log (every chunk, empty-chunk notes) is for whoever debugs a build: shown
  // only when it fails.
  process.stdout.write("Building Atrium… ");
  const started = Date.now();
  const result = spawnSync("npx", ["remix", "vite:build"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    process.stdout.write("failed.\n");
    process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
    process.exit(result.status ?? 1);
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

/** Local secrets, made once and kept beside the database, unless provided in the environment. */
function localSecret(name: string, provided: string | undefined) {
  if (provided) return provided;
  const file = `data/${name}`;
  if (!existsSync(file)) writeFileSync(file, randomBytes(48).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}
// Production semantics by default (production React, no error detail in pages); links point at
// localhost unless the clinic configures its own origin (see README, "Serving a clinic's network").
process.env.NODE_ENV ||= "production";
const env = envFromProcess({
  APP_ORIGIN: process.env.APP_ORIGIN ?? `http://localhost:${port}`,
  DATABASE_URL: process.env.DATABASE_URL ?? "file:data/atrium.db",
  SESSION_SECRET: localSecret("session-secret", process.env.SESSION_SECRET),
  PARTY_URL: process.env.PARTY_URL ?? `http://127.0.0.1:${partyPort}`,
  PARTY_SECRET: localSecret("party-secret", process.env.PARTY_SECRET),
});

const { client, db } = openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
await migrateDatabase(db);
let seeded = false;
if (await isDatabaseEmpty(db)) {
  console.log("Empty database: seeding the demo organization (2,000 patients)…");
  // Appointments start today, so the demo calendar and board have something on them.
  await generateDemoData(db, { size: "demo", now: new Date() });
  seeded = true;
}
client.close();

// The live board's rooms, on loopback with the shared secret (PARTYKIT=off to run without).
const party = process.env.PARTYKIT !== "off" ? await startPartyKit({ port: partyPort, secret: env.PARTY_SECRET! }) : null;

const app = await startNodeServer({ env, port, host: process.env.HOST ?? "127.0.0.1", jobIntervalMs: Number(process.env.MESSAGE_JOB_INTERVAL_MS ?? 30_000) });
console.log(`
Atrium is running${seeded ? " with fresh demo data" : ""}.
  App:       ${env.APP_ORIGIN}
  PartyKit:  ${party ? party.url : "off"}
  Database:  ${env.DATABASE_URL}

Demo sign-ins (password "${DEMO_PASSWORD}"):
  owner@lumen.example       owner (asked to set up two-step verification first)
  manager@lumen.example     manager (asked to set up two-step verification first)
  frontdesk@lumen.example   front desk
  provider@lumen.example    provider (tablet)
  md@lumen.example          medical director, also at Harbor (organization switcher)
  patient@lumen.example     patient portal
  owner@harbor.example      a second, separate clinic

Press Ctrl-C to stop.`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log("Stopping: finishing the requests and sends in progress (10 s at most)…");
  // The app first (a send in progress is finished and recorded), then the board's rooms.
  await app.close(10_000);
  party?.stop();
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
