import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { locations, organizations } from "./tenancy";
import { patients } from "./patients";
import { invoices, payments } from "./billing";
import { appointments } from "./scheduling";

/**
 * Stripe's side of checkout (issue 12, docs/decisions/034-stripe.md, migration 0036). Stripe holds
 * every card; we keep its ids, the brand, the last 4 and the expiry, and nothing else.
 */

/** The Stripe Customer a patient's cards are saved under, one per patient and organization. */
export const paymentCustomers = sqliteTable(
  "payment_customers",
  {
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    patientId: text("patient_id").notNull().references(() => patients.id),
    stripeCustomerId: text("stripe_customer_id").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.patientId] }), uniqueIndex("payment_customers_stripe_idx").on(t.stripeCustomerId)],
);

export const savedCards = sqliteTable(
  "saved_cards",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    patientId: text("patient_id").notNull().references(() => patients.id),
    stripePaymentMethod: text("stripe_payment_method").notNull(),
    brand: text("brand").notNull(),
    last4: text("last4").notNull(),
    expMonth: integer("exp_month").notNull(),
    expYear: integer("exp_year").notNull(),
    isDefault: integer("is_default", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** Removed by the desk or the patient, or detached at Stripe: never charged again. */
    removedAt: integer("removed_at", { mode: "timestamp_ms" }),
    /** When the patient was told the card expires soon (once per card). */
    expiryRemindedAt: integer("expiry_reminded_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("saved_cards_payment_method_idx").on(t.organizationId, t.stripePaymentMethod),
    uniqueIndex("saved_cards_one_default_idx").on(t.patientId).where(sql`${t.isDefault} = 1 AND ${t.removedAt} IS NULL`),
    index("saved_cards_patient_idx").on(t.organizationId, t.patientId),
  ],
);

/** A Stripe Terminal reader at a location; the server tells it what to collect. */
export const cardReaders = sqliteTable(
  "card_readers",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    locationId: text("location_id").notNull().references(() => locations.id),
    stripeReaderId: text("stripe_reader_id").notNull(),
    label: text("label").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    removedAt: integer("removed_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("card_readers_stripe_idx").on(t.stripeReaderId), index("card_readers_location_idx").on(t.locationId)],
);

/** Every Stripe event received, by its id: the insert decides that it is processed once. */
export const stripeEvents = sqliteTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  objectId: text("object_id"),
  organizationId: text("organization_id").references(() => organizations.id),
  stripeCreated: integer("stripe_created").notNull(),
  receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull(),
  outcome: text("outcome"),
});

export const paymentDisputes = sqliteTable(
  "payment_disputes",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    paymentId: text("payment_id").notNull().references(() => payments.id),
    amountCents: integer("amount_cents").notNull(),
    reason: text("reason").notNull(),
    status: text("status").notNull(),
    evidenceDueAt: integer("evidence_due_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("payment_disputes_payment_idx").on(t.paymentId)],
);

export const DEPOSIT_STATUSES = ["pending", "paid", "applied", "refunded", "failed"] as const;

/** A deposit paid online for a visit, applied to its invoice later (ADR 039, migration 0043). */
export const deposits = sqliteTable(
  "deposits",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    appointmentId: text("appointment_id").notNull().references(() => appointments.id),
    patientId: text("patient_id").notNull().references(() => patients.id),
    amountCents: integer("amount_cents").notNull(),
    status: text("status", { enum: DEPOSIT_STATUSES }).notNull().default("pending"),
    stripeIntent: text("stripe_intent"),
    cardBrand: text("card_brand"),
    cardLast4: text("card_last4"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    paidAt: integer("paid_at", { mode: "timestamp_ms" }),
    appliedInvoiceId: text("applied_invoice_id").references(() => invoices.id),
    refundedAt: integer("refunded_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("deposits_live_idx").on(t.appointmentId).where(sql`${t.status} IN ('pending', 'paid', 'applied')`), index("deposits_intent_idx").on(t.stripeIntent)],
);
