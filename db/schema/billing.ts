import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { locations, organizations } from "./tenancy";
import { users } from "./accounts";
import { patients } from "./patients";
import { appointments, services } from "./scheduling";
import { encounters, productLots, products } from "./charting";

/**
 * Checkout (issue 12, docs/decisions/033-invoices-and-payments.md). Money in integer cents;
 * quantities in hundredths, as charted amounts are (20 u → 2000, one item → 100). Tax rates in
 * thousandths of a percent (8.875 % → 8875). The database keeps what two desks could race:
 * numbers unique per organization, never paid past the total, no payment on a void invoice, edits
 * only over the revision they were made from (migration 0032).
 */
export const INVOICE_STATUSES = ["draft", "open", "partially_paid", "paid", "void", "partially_refunded", "refunded"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export const TAX_MODES = ["exclusive", "inclusive"] as const;
export type TaxMode = (typeof TAX_MODES)[number];
export const DISCOUNT_KINDS = ["percent", "amount"] as const;
export const LINE_KINDS = ["service", "treatment", "retail", "gift_card"] as const;
export type LineKind = (typeof LINE_KINDS)[number];
export const TAX_CATEGORIES = ["services", "retail"] as const;
export type TaxCategory = (typeof TAX_CATEGORIES)[number];
export const PAYMENT_METHODS = ["cash", "card", "card_on_file", "gift_card"] as const;
export const PAYMENT_STATUSES = ["pending", "succeeded", "failed"] as const;
export const REFUND_STATUSES = ["pending", "succeeded", "failed", "canceled"] as const;
export const PROCESSORS = ["none", "clinic_terminal", "stripe"] as const;

export const invoices = sqliteTable(
  "invoices",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    locationId: text("location_id").notNull().references(() => locations.id),
    /** The patient billed; empty for a buyer who isn't one (migration 0040). */
    patientId: text("patient_id").references(() => patients.id),
    appointmentId: text("appointment_id").references(() => appointments.id),
    /** Sequential per organization, given by the insert itself (max + 1), unique by index. */
    number: integer("number").notNull(),
    status: text("status", { enum: INVOICE_STATUSES }).notNull().default("draft"),
    taxMode: text("tax_mode", { enum: TAX_MODES }).notNull(),
    discountKind: text("discount_kind", { enum: DISCOUNT_KINDS }),
    /** Basis points for a percentage, cents for an amount. */
    discountValue: integer("discount_value"),
    discountReason: text("discount_reason"),
    subtotalCents: integer("subtotal_cents").notNull().default(0),
    discountCents: integer("discount_cents").notNull().default(0),
    taxCents: integer("tax_cents").notNull().default(0),
    tipCents: integer("tip_cents").notNull().default(0),
    totalCents: integer("total_cents").notNull().default(0),
    /** The sum of succeeded payments, recomputed from them in the same batch as each payment. */
    paidCents: integer("paid_cents").notNull().default(0),
    refundedCents: integer("refunded_cents").notNull().default(0),
    /** Card charges sent to Stripe and not yet answered; paid + held never pass the total (trigger, migration 0036). */
    heldCents: integer("held_cents").notNull().default(0),
    revision: integer("revision").notNull().default(0),
    voidReason: text("void_reason"),
    createdBy: text("created_by").references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    issuedAt: integer("issued_at", { mode: "timestamp_ms" }),
    paidAt: integer("paid_at", { mode: "timestamp_ms" }),
    /** A buyer who isn't a patient (gift cards bought online, a company's bulk order): the receipt goes here. */
    buyerName: text("buyer_name"),
    buyerEmail: text("buyer_email"),
    /** SHA-256 of the online buyer's order link. */
    buyerTokenHash: text("buyer_token_hash"),
    /** A late-fee invoice: the overdue invoice it is for (one each, migration 0044). */
    lateFeeFor: text("late_fee_for"),
  },
  (t) => [
    uniqueIndex("invoices_late_fee_for_idx").on(t.lateFeeFor).where(sql`${t.lateFeeFor} IS NOT NULL`),
    uniqueIndex("invoices_buyer_token_idx").on(t.buyerTokenHash).where(sql`${t.buyerTokenHash} IS NOT NULL`),
    uniqueIndex("invoices_org_number_idx").on(t.organizationId, t.number),
    uniqueIndex("invoices_appointment_idx").on(t.appointmentId).where(sql`${t.appointmentId} IS NOT NULL`),
    index("invoices_location_created_idx").on(t.locationId, t.createdAt),
    index("invoices_patient_idx").on(t.patientId, t.createdAt),
  ],
);

export const invoiceLines = sqliteTable(
  "invoice_lines",
  {
    id: text("id").primaryKey(),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    position: integer("position").notNull(),
    /** The visit's service, a charted product (treatment), or a retail product sold at the desk. */
    kind: text("kind", { enum: LINE_KINDS }).notNull(),
    description: text("description").notNull(),
    serviceId: text("service_id").references(() => services.id),
    productId: text("product_id").references(() => products.id),
    /** Retail: the lot the items were taken from (back to it when the line is removed). */
    lotId: text("lot_id").references(() => productLots.id),
    encounterId: text("encounter_id").references(() => encounters.id),
    /** Whose sale it is (the visit's provider for service and treatment lines). */
    providerId: text("provider_id").references(() => users.id),
    quantity: integer("quantity").notNull(),
    unitCents: integer("unit_cents").notNull(),
    taxCategory: text("tax_category", { enum: TAX_CATEGORIES }).notNull(),
    taxRate: integer("tax_rate").notNull(),
    discountKind: text("discount_kind", { enum: DISCOUNT_KINDS }),
    discountValue: integer("discount_value"),
    discountReason: text("discount_reason"),
    grossCents: integer("gross_cents").notNull(),
    discountCents: integer("discount_cents").notNull(),
    netCents: integer("net_cents").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** Retail: when its items went back on the shelf with a refund. */
    restockedAt: integer("restocked_at", { mode: "timestamp_ms" }),
    /** A gift card line: the card it sells or reloads (db/schema/gift-cards.ts), and when its value went on. */
    giftCardId: text("gift_card_id"),
    appliedAt: integer("applied_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("invoice_lines_invoice_idx").on(t.invoiceId, t.position)],
);

/** A tip's share per provider; their sum is the invoice's tip. */
export const invoiceTips = sqliteTable(
  "invoice_tips",
  {
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    providerId: text("provider_id").notNull().references(() => users.id),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    cents: integer("cents").notNull(),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.providerId] })],
);

/** The invoice's own history: every edit, discount, tip, payment, void — who, when, why. */
export const invoiceEvents = sqliteTable(
  "invoice_events",
  {
    id: text("id").primaryKey(),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    actorId: text("actor_id").references(() => users.id),
    kind: text("kind").notNull(),
    detail: text("detail").notNull(),
    reason: text("reason"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("invoice_events_invoice_idx").on(t.invoiceId, t.createdAt)],
);

/** Money taken against an invoice. Card numbers never: a processor's id, brand, last 4, auth code. */
export const payments = sqliteTable(
  "payments",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    locationId: text("location_id").notNull().references(() => locations.id),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    method: text("method", { enum: PAYMENT_METHODS }).notNull(),
    /** What was applied to the invoice (cash: tendered less change). */
    amountCents: integer("amount_cents").notNull(),
    tenderedCents: integer("tendered_cents"),
    changeCents: integer("change_cents").notNull().default(0),
    status: text("status", { enum: PAYMENT_STATUSES }).notNull().default("succeeded"),
    processor: text("processor", { enum: PROCESSORS }).notNull(),
    processorRef: text("processor_ref"),
    cardBrand: text("card_brand"),
    cardLast4: text("card_last4"),
    authCode: text("auth_code"),
    clientKey: text("client_key").notNull(),
    takenBy: text("taken_by").references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** Stripe: the saved card charged off-session, or the reader asked to collect (db/schema/stripe.ts). */
    savedCardId: text("saved_card_id"),
    readerId: text("reader_id"),
    /** Stripe's decline, in its own plain words ("Your card was declined."), when it failed. */
    failureMessage: text("failure_message"),
    /** When Stripe's answer (or the desk's own record) made it final. */
    settledAt: integer("settled_at", { mode: "timestamp_ms" }),
    /** A gift card payment: the card it was taken from (its balance follows by trigger, migration 0037). */
    giftCardId: text("gift_card_id"),
  },
  (t) => [uniqueIndex("payments_org_client_key_idx").on(t.organizationId, t.clientKey), index("payments_invoice_idx").on(t.invoiceId), index("payments_location_created_idx").on(t.locationId, t.createdAt)],
);

/** Money given back, always to the payment it undoes; a trigger keeps it within what that payment took. */
export const refunds = sqliteTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    locationId: text("location_id").notNull().references(() => locations.id),
    invoiceId: text("invoice_id").notNull().references(() => invoices.id),
    paymentId: text("payment_id").notNull().references(() => payments.id),
    method: text("method", { enum: PAYMENT_METHODS }).notNull(),
    amountCents: integer("amount_cents").notNull(),
    reason: text("reason").notNull(),
    processor: text("processor", { enum: PROCESSORS }).notNull(),
    processorRef: text("processor_ref"),
    clientKey: text("client_key").notNull(),
    refundedBy: text("refunded_by").references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** Cash and terminal refunds are final at once; Stripe's wait for its answer (failed / canceled give nothing back). */
    status: text("status", { enum: REFUND_STATUSES }).notNull().default("succeeded"),
    /** The gift card line whose sale this refund undoes: the database takes that much off the card (migration 0041). */
    giftCardLineId: text("gift_card_line_id"),
    failureMessage: text("failure_message"),
  },
  (t) => [uniqueIndex("refunds_org_client_key_idx").on(t.organizationId, t.clientKey), index("refunds_payment_idx").on(t.paymentId), index("refunds_location_created_idx").on(t.locationId, t.createdAt)],
);

/** A location's cash drawer from opening (with a float) to closing (with the count). One open per location. */
export const cashDrawers = sqliteTable(
  "cash_drawers",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    locationId: text("location_id").notNull().references(() => locations.id),
    floatCents: integer("float_cents").notNull(),
    openedBy: text("opened_by").references(() => users.id),
    openedAt: integer("opened_at", { mode: "timestamp_ms" }).notNull(),
    closedBy: text("closed_by").references(() => users.id),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
    /** At closing: the float, cash taken less cash refunded, and cash in less out, while it was open. */
    expectedCents: integer("expected_cents"),
    countedCents: integer("counted_cents"),
    note: text("note"),
  },
  (t) => [uniqueIndex("cash_drawers_one_open_idx").on(t.locationId).where(sql`${t.closedAt} IS NULL`), index("cash_drawers_location_opened_idx").on(t.locationId, t.openedAt)],
);

export const drawerMovements = sqliteTable(
  "drawer_movements",
  {
    id: text("id").primaryKey(),
    drawerId: text("drawer_id").notNull().references(() => cashDrawers.id),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    kind: text("kind", { enum: ["in", "out"] }).notNull(),
    amountCents: integer("amount_cents").notNull(),
    reason: text("reason").notNull(),
    actorId: text("actor_id").references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("drawer_movements_drawer_idx").on(t.drawerId, t.createdAt)],
);
