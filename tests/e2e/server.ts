// The real Node server over a fresh, seeded database, for the Playwright suite.
import { mkdirSync, rmSync } from "node:fs";
import { parseEnv } from "../../app/lib/env.server";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { generateDemoData } from "../../db/seed/generate";
import { startNodeServer } from "../../workers/node-server";
import { startPartyKit } from "../../scripts/partykit";
import { ensureBuild } from "../setup/template-db";
import { E2E_DB, TMP } from "../setup/paths";

ensureBuild();
mkdirSync(TMP, { recursive: true });
for (const s of ["", "-wal", "-shm"]) rmSync(E2E_DB + s, { force: true });
rmSync(`${TMP}/e2e-totp-steps.json`, { force: true }); // a fresh database remembers no TOTP steps
const { client, db } = openDatabase(`file:${E2E_DB}`);
await migrateDatabase(db);
await generateDemoData(db, { size: "test" });
client.close();

// The live board's rooms: a real PartyKit dev server beside the app.
const partySecret = "e2e-party-secret";
const party = await startPartyKit({ port: Number(process.env.E2E_PARTY_PORT ?? 3299), secret: partySecret, quiet: true });
const env = parseEnv({ NODE_ENV: "test", DATABASE_URL: `file:${E2E_DB}`, SESSION_SECRET: "e2e-secret-e2e-secret-e2e-secret-012345", LOG_LEVEL: "warn", FILES_DIR: `${TMP}/e2e-files`, PARTY_URL: party.url, PARTY_SECRET: partySecret });
const app = await startNodeServer({ env, port: Number(process.env.E2E_PORT ?? 3210), jobIntervalMs: 1000 });
console.log(`e2e server on ${app.url}`);
const stop = async () => {
  party.stop();
  await app.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
