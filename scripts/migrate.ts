// npm run db:migrate — applies committed migrations to DATABASE_URL (a local file, or Turso with DATABASE_AUTH_TOKEN).
import { openDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";

const url = process.env.DATABASE_URL ?? process.env.TURSO_DATABASE_URL ?? "file:data/atrium.db";
const { client, db } = openDatabase(url, process.env.DATABASE_AUTH_TOKEN ?? process.env.TURSO_AUTH_TOKEN);
await migrateDatabase(db);
client.close();
console.log(`Migrations applied to ${url.replace(/\?.*$/, "")}`);
