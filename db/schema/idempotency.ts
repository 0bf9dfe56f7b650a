import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Changes replayed from a tablet's offline outbox carry a key made on the tablet; the key is
 * written in the same batch as the change, so a replay (after a lost answer, a reload, a second
 * tab) is recognized and applied exactly once.
 */
export const idempotencyKeys = sqliteTable("idempotency_keys", {
  key: text("key").primaryKey(),
  userId: text("user_id").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * Submissions the browser may send again after the network failed in flight (ADR 016). The first
 * attempt's answer is kept for a day under the key the page made, scoped to the session cookie, so
 * a retry whose first attempt did reach the server gets the same answer instead of running twice.
 */
export const submissionReplays = sqliteTable(
  "submission_replays",
  {
    key: text("key").primaryKey(),
    scope: text("scope").notNull(),
    state: text("state", { enum: ["pending", "done"] }).notNull(),
    status: integer("status"),
    headers: text("headers", { mode: "json" }).$type<[string, string][]>(),
    body: text("body"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("submission_replays_created_idx").on(t.createdAt)],
);
