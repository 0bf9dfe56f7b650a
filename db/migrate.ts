import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { Db } from "../app/lib/db.server";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

/** Applies committed drizzle-kit migrations (Node: embedded file, or Turso by URL from a deploy step). */
export async function migrateDatabase(db: Db) {
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}
