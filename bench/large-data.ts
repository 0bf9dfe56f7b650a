import { existsSync, mkdirSync } from "node:fs";
import { openDatabase, tuneLocalDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { generateDemoData } from "../db/seed/generate";

export const LARGE_DB = "data/bench/large.db";

/** The `--size large` data set, made once (about 6 s) and reused by every benchmark; migrated to the current schema each run. */
export async function ensureLargeData() {
  if (existsSync(LARGE_DB)) {
    const { client, db } = openDatabase(`file:${LARGE_DB}`);
    await migrateDatabase(db);
    await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    client.close();
    return LARGE_DB;
  }
  mkdirSync("data/bench", { recursive: true });
  console.error("preparing the large data set (50,000 patients)…");
  const { client, db } = openDatabase(`file:${LARGE_DB}.tmp`);
  await tuneLocalDatabase(client, `file:${LARGE_DB}.tmp`);
  await migrateDatabase(db);
  await generateDemoData(db, { size: "large" });
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  client.close();
  const { renameSync } = await import("node:fs");
  renameSync(`${LARGE_DB}.tmp`, LARGE_DB);
  return LARGE_DB;
}

export function percentile(sorted: number[], p: number) {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(3));
}
