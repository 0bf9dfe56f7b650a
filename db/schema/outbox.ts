import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const CHANNELS = ["email", "sms"] as const;
export type Channel = (typeof CHANNELS)[number];
/**
 * held: carries a one-time link and no email provider is configured, so it waits (it is never
 * delivered to the staff outbox page); skipped: an account email for an address with no account.
 */
export const MESSAGE_STATUSES = ["pending", "sent", "delivered_local", "dead", "held", "skipped"] as const;
/** One-time links minted at send time: only their hash is ever stored (account_tokens). */
export const LINK_PURPOSES = ["password_reset", "invite", "signup"] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];
/** Where the minted link goes in a body that carries one. */
export const LINK_PLACEHOLDER = "{{one-time-link}}";

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
    /** The patient a message was written to (staff messages); appointment messages reach theirs through the visit. */
    patientId: text("patient_id"),
    kind: text("kind").notNull(),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    dedupeKey: text("dedupe_key"),
    /** One-click unsubscribe URL for patient emails (sent as List-Unsubscribe). */
    unsubscribeUrl: text("unsubscribe_url"),
    /**
     * Account emails: the body holds LINK_PLACEHOLDER; the token is minted when the message is
     * sent, put in the outgoing copy only, and stored only as a hash. A reset names no user
     * (resolved from the address at send time, so the request answers the same either way).
     */
    linkPurpose: text("link_purpose", { enum: LINK_PURPOSES }),
    linkUserId: text("link_user_id"),
    /** Made at send time (app/messaging/attachments.server.ts): "gift_card:<id>", "receipt:<invoice id>". */
    attachment: text("attachment"),
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
    index("messages_patient_idx").on(t.patientId, t.createdAt),
    index("messages_appointment_idx").on(t.appointmentId),
  ],
);
