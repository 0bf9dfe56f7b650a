import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const EMAIL_STATUSES = ["queued", "delivered_local", "sent", "failed"] as const;

/**
 * Every email leaves through this table. In the embedded default it is delivered to the
 * staff outbox viewer; a provider adapter (notifications issue) sends it for real.
 */
export const emailOutbox = sqliteTable(
  "email_outbox",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id"),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    kind: text("kind").notNull(),
    status: text("status", { enum: EMAIL_STATUSES }).notNull().default("queued"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("email_outbox_org_time_idx").on(t.organizationId, t.createdAt)],
);
