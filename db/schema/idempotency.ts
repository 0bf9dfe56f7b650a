import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
