import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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

/**
 * Where each tablet's offline outbox has reached, per user (a shared tablet keeps one queue per
 * user): the last sequence number applied. Kept up to date by a trigger on device_mutations.
 */
export const deviceSequences = sqliteTable("device_sequences", {
  deviceId: text("device_id").notNull(),
  userId: text("user_id").notNull(),
  lastSeq: integer("last_seq").notNull(),
}, (t) => [primaryKey({ columns: [t.deviceId, t.userId] })]);

/**
 * Each outbox mutation the server has answered, with that answer, so a replay gets the first
 * result back. The database takes them strictly in order per device and user: a trigger refuses
 * any number but the next (a gap, or one already applied), and the primary key refuses a second
 * row for one number; a successful change writes its row in the same batch as the change.
 */
export const deviceMutations = sqliteTable(
  "device_mutations",
  {
    deviceId: text("device_id").notNull(),
    userId: text("user_id").notNull(),
    seq: integer("seq").notNull(),
    mutationId: text("mutation_id").notNull(),
    status: integer("status").notNull(),
    answer: text("answer").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.userId, t.seq] }), uniqueIndex("device_mutations_id_idx").on(t.userId, t.mutationId), index("device_mutations_created_idx").on(t.createdAt)],
);
