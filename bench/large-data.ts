import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { openDatabase, tuneLocalDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { generateDemoData, LARGE_APPOINTMENT_RANGE, type SeedSize } from "../db/seed/generate";

export const LARGE_DB = "data/bench/large.db";
export const XL_DB = "data/bench/xl.db";

/** The `--size large` data set, made once (about 6 s) and reused by every benchmark; migrated to the current schema each run. */
export function ensureLargeData() {
  return ensureData(LARGE_DB, "large", "the large data set (50,000 patients)");
}

/** The `--size xl` data set (ten times large, two years of history): made once (about 3 minutes), then reused. */
export function ensureXlData() {
  return ensureData(XL_DB, "xl", "the xl data set (500,000 patients, 100 providers, two years of visits; about 3 minutes)");
}

async function ensureData(file: string, size: SeedSize, label: string) {
  if (existsSync(file)) {
    const { client, db } = openDatabase(`file:${file}`);
    if (await madeForTheRange(client)) {
      await migrateDatabase(db);
      await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      client.close();
      return file;
    }
    client.close();
    console.error(`${file} was made for another range of days: making it again`);
    for (const s of ["", "-wal", "-shm"]) rmSync(file + s, { force: true });
  }
  mkdirSync("data/bench", { recursive: true });
  console.error(`preparing ${label}…`);
  const { client, db } = openDatabase(`file:${file}.tmp`);
  await tuneLocalDatabase(client, `file:${file}.tmp`);
  await migrateDatabase(db);
  await generateDemoData(db, { size });
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  client.close();
  renameSync(`${file}.tmp`, file);
  return file;
}

export function percentile(sorted: number[], p: number) {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(3));
}

/** Whether a kept data set has visits on the range's first day (a day either side of it in UTC, whatever the clinic's zone). */
async function madeForTheRange(client: ReturnType<typeof openDatabase>["client"]) {
  const first = Date.parse(`${LARGE_APPOINTMENT_RANGE.fromDate}T00:00:00Z`);
  const { rows } = await client.execute({ sql: "select count(*) as n from appointments where starts_at >= ? and starts_at < ?", args: [first - 86_400_000, first + 2 * 86_400_000] });
  return Number(rows[0]?.n ?? 0) > 0;
}
