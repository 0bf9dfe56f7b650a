import type { LoaderFunctionArgs } from "@remix-run/node";
import { sql } from "drizzle-orm";

/** Liveness plus a database round trip; says nothing about data. */
export async function loader({ context }: LoaderFunctionArgs) {
  await context.db.run(sql`select 1`);
  return new Response("ok", { headers: { "content-type": "text/plain", "cache-control": "no-store" } });
}
