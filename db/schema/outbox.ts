import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const CHANNELS = ["email", "sms"] as const;
export type Channel = (typeof CHANNELS)[number];
export const MESSAGE_STATUSES = ["pending", "sent", "delivered_local", "dead"] as const;

/**
 * Every message Atrium sends (account emails, appointment confirmations, reminders, …)
 * goes through this outbox. A job delivers it with retries and backoff; after the last
 * attempt it is "dead" and shown as such. `dedupeKey` (e.g. appointment + kind + channel)
 * is unique, so the same message is never queued twice.
 */
export const messages = sqliteTable(
  "messages",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id"),
    appointmentId: text("appointment_id"),
    kind: text("kind").notNull(),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    dedupeKey: text("dedupe_key"),
    /** One-click unsubscribe URL for patient emails (sent as List-Unsubscribe). */
    unsubscribeUrl: text("unsubscribe_url"),
    status: text("status", { enum: MESSAGE_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    /** A short error code from the last failed attempt, never message content. */
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("messages_dedupe_uq").on(t.dedupeKey),
    index("messages_due_idx").on(t.status, t.nextAttemptAt),
    index("messages_org_time_idx").on(t.organizationId, t.createdAt),
  ],
);
