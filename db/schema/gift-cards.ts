import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { organizations } from "./tenancy";
import { users } from "./accounts";
import { invoices, payments } from "./billing";

/**
 * Gift cards (issue 12, docs/decisions/035-gift-cards.md, migration 0037). Sold on an invoice and
 * holding value once it is paid; spent as a payment method; every change of balance is a ledger
 * entry the database writes with it (triggers), and the balance never goes below zero (CHECK).
 */
export const GIFT_CARD_STATUSES = ["pending", "active", "void"] as const;
export const GIFT_CARD_DESIGNS = ["botanical", "gold", "minimal"] as const;
export type GiftCardDesign = (typeof GIFT_CARD_DESIGNS)[number];

export const giftCards = sqliteTable(
  "gift_cards",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    /** HMAC of the normalized code: the code itself is a bearer secret, never stored in the clear. */
    codeHash: text("code_hash").notNull(),
    codeLast4: text("code_last4").notNull(),
    /** The code sealed (AES-GCM) so the delivery email and PDF can carry it, made at send time. */
    codeSealed: text("code_sealed").notNull(),
    initialCents: integer("initial_cents").notNull(),
    balanceCents: integer("balance_cents").notNull().default(0),
    status: text("status", { enum: GIFT_CARD_STATUSES }).notNull().default("pending"),
    design: text("design", { enum: GIFT_CARD_DESIGNS }).notNull(),
    recipientName: text("recipient_name"),
    recipientEmail: text("recipient_email"),
    senderName: text("sender_name"),
    message: text("message"),
    /** When the recipient's email goes out (null: as soon as it is paid for). */
    deliverAt: integer("deliver_at", { mode: "timestamp_ms" }),
    deliveredAt: integer("delivered_at", { mode: "timestamp_ms" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    invoiceId: text("invoice_id").references(() => invoices.id),
    createdBy: text("created_by").references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    activatedAt: integer("activated_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("gift_cards_code_idx").on(t.organizationId, t.codeHash), index("gift_cards_invoice_idx").on(t.invoiceId)],
);

export const GIFT_CARD_ENTRY_KINDS = ["issue", "reload", "redeem", "refund", "sale_refund"] as const;

export const giftCardEntries = sqliteTable(
  "gift_card_entries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    giftCardId: text("gift_card_id").notNull().references(() => giftCards.id),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    kind: text("kind", { enum: GIFT_CARD_ENTRY_KINDS }).notNull(),
    amountCents: integer("amount_cents").notNull(),
    balanceAfter: integer("balance_after").notNull(),
    invoiceId: text("invoice_id").references(() => invoices.id),
    paymentId: text("payment_id").references(() => payments.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("gift_card_entries_card_idx").on(t.giftCardId, t.id)],
);
