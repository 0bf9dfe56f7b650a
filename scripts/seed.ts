// npm run db:seed -- --size demo|large|xl|test [--seed N] [--reset]
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { openDatabase, tuneLocalDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { generateDemoData, isDatabaseEmpty, type SeedSize } from "../db/seed/generate";

const { values } = parseArgs({ options: { size: { type: "string", default: "demo" }, seed: { type: "string", default: "2026" }, reset: { type: "boolean", default: false }, database: { type: "string" } } });
const size = values.size as SeedSize;
if (!["test", "demo", "large", "xl"].includes(size)) {
  console.error(`Unknown --size "${values.size}". Use demo, large, xl or test.`);
  process.exit(2);
}
const url = values.database ?? process.env.DATABASE_URL ?? "file:data/atrium.db";
if (values.reset && url.startsWith("file:")) {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(url.slice(5) + suffix, { force: true });
}
const { client, db } = openDatabase(url);
await tuneLocalDatabase(client, url);
await migrateDatabase(db);
if (!(await isDatabaseEmpty(db))) {
  console.error(`${url} already has data. Run again with --reset to replace it.`);
  process.exit(1);
}
const started = Date.now();
const summary = await generateDemoData(db, { size, seed: Number(values.seed) });
client.close();
console.error(`Seeded ${summary.patients} patients in ${summary.organizations.length} organizations (${size}, seed ${values.seed}) in ${Date.now() - started} ms.`);
