import type { Client } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import * as schema from "../../db/schema";

export type Db = ReturnType<typeof createDb>;

/** Wraps a libSQL client (file, Turso or the web client) in drizzle with our schema. */
export function createDb(client: Client) {
  return drizzle(client, { schema });
}

export { schema };
