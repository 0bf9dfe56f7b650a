import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { isBuildFresh } from "../../scripts/build-freshness";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { generateDemoData } from "../../db/seed/generate";
import { ROOT, TEMPLATE_DB, TMP } from "./paths";

const isFresh = (output: string) => isBuildFresh(ROOT, output);

export function ensureBuild() {
  if (isFresh("build/node/server/index.js")) return;
  // Not under VITEST: vite.config.ts leaves the Remix plugin out when it sees that variable.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST")));
  execFileSync("npx", ["remix", "vite:build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: { ...env, NODE_ENV: "production" } });
}

/** The Worker bundle, for the Worker test, when `npm run build:worker` has not made it yet. */
export function ensureWorkerBuild() {
  if (isFresh("dist/worker/worker.js")) return;
  execFileSync("npx", ["tsx", "scripts/build-worker.ts"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

/** One migrated, seeded database per run; every test copies it (see docs/decisions/006-test-databases.md). */
export async function ensureTemplateDatabase() {
  mkdirSync(TMP, { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) rmSync(TEMPLATE_DB + suffix, { force: true });
  const { client, db } = openDatabase(`file:${TEMPLATE_DB}`);
  await migrateDatabase(db);
  await generateDemoData(db, { size: "test" });
  // Leave a single self-contained file to copy.
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  client.close();
}
