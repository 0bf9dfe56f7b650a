import { and, eq, isNull } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { withinActorLocations } from "../auth/scope.server";
import { auditInsertByChange } from "../audit/audit.server";
import { refusedWith } from "../lib/db-refusal";
import { formatMoney } from "../scheduling/format";
import { cardReaders, invoices, paymentCustomers, payments, savedCards } from "../../db/schema";
import { invoiceEventIfChanged, type Refusal } from "../checkout/invoices.server";
import { paymentLabel } from "../checkout/labels";
import { recomputeInvoice, settlePayment } from "./settle.server";
import { stripeGateway, type ChargeOutcome, type StripeGateway } from "./stripe-gateway.server";
import { cardExpired } from "./cards";

type Actor = AuthedSession["user"];
type PaymentRow = typeof payments.$inferSelect;
type InvoiceRow = typeof invoices.$inferSelect;

export type ChargeAnswer = { ok: true; paymentId: string; status: "succeeded" | "failed" | "pending"; message: string | null } | Refusal;

/** Atrium keeps money in US dollar cents (formatMoney); Stripe is asked in the same currency. */
export const CURRENCY = "usd";

const NOT_SET_UP: Refusal = { ok: false, status: 409, message: "Card payments through Stripe aren't set up for this clinic; record the card as taken on the clinic's terminal." };

/** What a desk's charge form carries: the amount, the form's key, and the saved card or the reader. */
export interface ChargeForm {
  amount: number;
  paymentKey: string;
  savedCardId?: string;
  readerId?: string;
}

async function loadForCharge(ctx: AppContext, actor: Actor, invoiceId: string, form: ChargeForm) {
  const [[invoice], [earlier]] = await ctx.db.batch([
    ctx.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.id, invoiceId), eq(invoices.organizationId, actor.organizationId), withinActorLocations(actor, invoices.locationId))),
    ctx.db.select().from(payments).where(and(eq(payments.organizationId, actor.organizationId), eq(payments.clientKey, form.paymentKey))),
  ]);
  return { invoice, earlier, currency: CURRENCY };
}

/** The same form sent again: the payment it started, driven on if Stripe hasn't answered yet. */
async function again(ctx: AppContext, actor: Actor, gateway: StripeGateway, invoiceId: string, earlier: PaymentRow, form: ChargeForm, drive: (p: PaymentRow) => Promise<ChargeOutcome>): Promise<ChargeAnswer> {
  if (earlier.invoiceId !== invoiceId) return { ok: false, status: 409, message: "This form was already used for another payment; reload the page." };
  if (earlier.amountCents !== form.amount) return { ok: false, status: 409, field: "amount", message: `This form already charged ${formatMoney(earlier.amountCents)}; reload the page to charge another amount.` };
  if (earlier.status !== "pending") return { ok: true, paymentId: earlier.id, status: earlier.status, message: earlier.failureMessage };
  return finish(ctx, actor, earlier, await drive(earlier));
}

async function finish(ctx: AppContext, actor: Actor, payment: PaymentRow, outcome: ChargeOutcome): Promise<ChargeAnswer> {
  await settlePayment(ctx, payment, outcome, actor);
  const [now] = await ctx.db.select({ status: payments.status, failureMessage: payments.failureMessage }).from(payments).where(eq(payments.id, payment.id));
  return { ok: true, paymentId: payment.id, status: now?.status ?? "pending", message: now?.failureMessage ?? null };
}

/**
 * Writes the payment as pending and holds its amount on the invoice, in one batch: the invoice's
 * trigger refuses it when paid and held would pass the total — so two desks, or a desk and the
 * patient's phone, can't both charge the last of a balance (ADR 034).
 */
export async function hold(ctx: AppContext, actor: Actor | null, invoice: InvoiceRow, row: Omit<typeof payments.$inferInsert, "organizationId" | "locationId" | "invoiceId" | "status" | "processor" | "createdAt">, what: string): Promise<{ ok: true; landed: boolean } | Refusal> {
  const now = ctx.clock.now();
  try {
    const [inserted] = await ctx.db.batch([
      ctx.db
        .insert(payments)
        .values({ ...row, organizationId: invoice.organizationId, locationId: invoice.locationId, invoiceId: invoice.id, status: "pending", processor: "stripe", createdAt: now })
        .onConflictDoNothing(),
      invoiceEventIfChanged(ctx, invoice, actor?.id ?? null, "payment_started", what),
      auditInsertByChange(ctx, ctx.db, { actor, organizationId: invoice.organizationId, action: "payment.start", entityType: "payment", entityId: row.id!, reason: row.method }, "duplicate_submission"),
      recomputeInvoice(ctx, invoice.id, now),
    ] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    return { ok: true, landed: (inserted as { rowsAffected: number }).rowsAffected > 0 };
  } catch (error) {
    if (refusedWith(error, "atrium_invoice_overcommitted") || refusedWith(error, "invoices_never_overpaid")) {
      const [fresh] = await ctx.db.select().from(invoices).where(eq(invoices.id, invoice.id));
      const left = fresh ? fresh.totalCents - fresh.paidCents - fresh.heldCents : 0;
      return { ok: false, status: 409, field: "amount", message: left > 0 ? `Another payment landed meanwhile: ${formatMoney(left)} can be charged now.` : "Nothing is left to charge: the balance is paid or being charged." };
    }
    if (refusedWith(error, "atrium_invoice_void")) return { ok: false, status: 409, message: "This invoice was voided meanwhile; it takes no payment." };
    throw error;
  }
}

/** What may go on a card now: the balance less what other charges in flight hold. */
export function chargeable(invoice: InvoiceRow, amount: number): Refusal | null {
  if (invoice.status === "void") return { ok: false, status: 409, message: "This invoice is void; it takes no payment." };
  const left = invoice.totalCents - invoice.paidCents - invoice.heldCents;
  if (left <= 0) return { ok: false, status: 409, field: "amount", message: invoice.heldCents > 0 ? "The rest of the balance is being charged right now." : "Nothing is owed on this invoice." };
  if (amount > left) return { ok: false, status: 400, field: "amount", message: `At most ${formatMoney(left)} can go on a card${invoice.heldCents > 0 ? " (another charge is in flight)" : ""}.` };
  if (amount < 50) return { ok: false, status: 400, field: "amount", message: "Stripe charges at least $0.50; take a smaller amount in cash." };
  return null;
}

/** Charges one of the patient's saved cards, off-session, for part or all of the balance. */
export async function chargeSavedCard(ctx: AppContext, actor: Actor, invoiceId: string, form: ChargeForm & { savedCardId: string }): Promise<ChargeAnswer> {
  const gateway = stripeGateway(ctx.env);
  if (!gateway) return NOT_SET_UP;
  const { invoice, earlier, currency } = await loadForCharge(ctx, actor, invoiceId, form);
  if (!invoice) return { ok: false, status: 404, message: "No invoice with that id at your locations." };
  if (!invoice.patientId) return { ok: false, status: 409, field: "savedCardId", message: "This invoice's buyer isn't a patient, so there are no cards on file to charge." };
  const patientId = invoice.patientId;
  const [[card], [customer]] = await ctx.db.batch([
    ctx.db.select().from(savedCards).where(and(eq(savedCards.id, form.savedCardId), eq(savedCards.organizationId, actor.organizationId), eq(savedCards.patientId, patientId))),
    ctx.db.select().from(paymentCustomers).where(and(eq(paymentCustomers.organizationId, actor.organizationId), eq(paymentCustomers.patientId, patientId))),
  ]);
  const drive = (p: PaymentRow) => gateway.chargeSavedCard({ paymentId: p.id, organizationId: p.organizationId, invoiceId: p.invoiceId, amountCents: p.amountCents, currency, description: `Invoice #${invoice.number}`, customerId: customer!.stripeCustomerId, paymentMethodId: card!.stripePaymentMethod });
  if (earlier) return card && customer ? again(ctx, actor, gateway, invoiceId, earlier, form, drive) : { ok: false, status: 409, message: "This form was already used; reload the page." };
  if (!card || card.removedAt || !customer) return { ok: false, status: 404, field: "savedCardId", message: "Choose one of the patient's saved cards." };
  if (cardExpired(card, ctx.clock.now())) return { ok: false, status: 400, field: "savedCardId", message: `That card expired at the end of ${String(card.expMonth).padStart(2, "0")}/${card.expYear}; choose another.` };
  const refused = chargeable(invoice, form.amount);
  if (refused) return refused;
  const id = crypto.randomUUID();
  const row = { id, method: "card_on_file" as const, amountCents: form.amount, savedCardId: card.id, cardBrand: card.brand, cardLast4: card.last4, clientKey: form.paymentKey, takenBy: actor.id };
  const held = await hold(ctx, actor, invoice, row, `Charging ${paymentLabel({ method: "card_on_file", cardBrand: card.brand, cardLast4: card.last4 })} ${formatMoney(form.amount)}`);
  if (!held.ok) return held;
  const [payment] = await ctx.db.select().from(payments).where(and(eq(payments.organizationId, actor.organizationId), eq(payments.clientKey, form.paymentKey)));
  if (!held.landed) return again(ctx, actor, gateway, invoiceId, payment, form, drive);
  return finish(ctx, actor, payment, await drive(payment));
}

/** Sends the amount to a Stripe Terminal reader at the invoice's location; the card is tapped there. */
export async function collectOnReader(ctx: AppContext, actor: Actor, invoiceId: string, form: ChargeForm & { readerId: string }): Promise<ChargeAnswer> {
  const gateway = stripeGateway(ctx.env);
  if (!gateway) return NOT_SET_UP;
  const { invoice, earlier, currency } = await loadForCharge(ctx, actor, invoiceId, form);
  if (!invoice) return { ok: false, status: 404, message: "No invoice with that id at your locations." };
  const [reader] = await ctx.db
    .select()
    .from(cardReaders)
    .where(and(eq(cardReaders.id, form.readerId), eq(cardReaders.organizationId, actor.organizationId), eq(cardReaders.locationId, invoice.locationId), isNull(cardReaders.removedAt)));
  if (!reader) return { ok: false, status: 404, field: "readerId", message: "Choose a card reader at this location." };
  const drive = (p: PaymentRow) => gateway.collectOnReader({ paymentId: p.id, organizationId: p.organizationId, invoiceId: p.invoiceId, amountCents: p.amountCents, currency, description: `Invoice #${invoice.number}`, readerId: reader.stripeReaderId });
  if (earlier) return again(ctx, actor, gateway, invoiceId, earlier, form, async (p) => (p.processorRef ? gateway.retrieveCharge(p.processorRef) : drive(p)));
  const refused = chargeable(invoice, form.amount);
  if (refused) return refused;
  const id = crypto.randomUUID();
  const held = await hold(ctx, actor, invoice, { id, method: "card", amountCents: form.amount, readerId: reader.id, clientKey: form.paymentKey, takenBy: actor.id }, `Sent ${formatMoney(form.amount)} to the reader "${reader.label}"`);
  if (!held.ok) return held;
  const [payment] = await ctx.db.select().from(payments).where(and(eq(payments.organizationId, actor.organizationId), eq(payments.clientKey, form.paymentKey)));
  if (!held.landed) return again(ctx, actor, gateway, invoiceId, payment, form, async (p) => (p.processorRef ? gateway.retrieveCharge(p.processorRef) : drive(p)));
  return finish(ctx, actor, payment, await drive(payment));
}

async function pendingPayment(ctx: AppContext, actor: Actor, invoiceId: string, paymentId: string) {
  const [row] = await ctx.db
    .select({ payment: payments })
    .from(payments)
    .innerJoin(invoices, eq(invoices.id, payments.invoiceId))
    .where(and(eq(payments.id, paymentId), eq(payments.invoiceId, invoiceId), eq(payments.organizationId, actor.organizationId), withinActorLocations(actor, invoices.locationId)));
  return row?.payment ?? null;
}

/** Asks Stripe again about a charge still waiting (the reader, or an answer that was lost). */
export async function checkCharge(ctx: AppContext, actor: Actor, invoiceId: string, paymentId: string): Promise<ChargeAnswer> {
  const gateway = stripeGateway(ctx.env);
  if (!gateway) return NOT_SET_UP;
  const payment = await pendingPayment(ctx, actor, invoiceId, paymentId);
  if (!payment || payment.processor !== "stripe") return { ok: false, status: 404, message: "No card charge with that id on this invoice." };
  if (payment.status !== "pending") return { ok: true, paymentId, status: payment.status, message: payment.failureMessage };
  if (payment.processorRef) return finish(ctx, actor, payment, await gateway.retrieveCharge(payment.processorRef));
  // The answer to the first request was lost: the same request, with the same key, is Stripe's replay of it.
  if (payment.savedCardId) {
    const [[card], [customer], [invoice]] = await ctx.db.batch([
      ctx.db.select().from(savedCards).where(eq(savedCards.id, payment.savedCardId)),
      ctx.db.select().from(paymentCustomers).innerJoin(invoices, eq(invoices.patientId, paymentCustomers.patientId)).where(and(eq(invoices.id, invoiceId), eq(paymentCustomers.organizationId, actor.organizationId))),
      ctx.db.select({ number: invoices.number }).from(invoices).where(eq(invoices.id, invoiceId)),
    ]);
    return finish(ctx, actor, payment, await gateway.chargeSavedCard({ paymentId: payment.id, organizationId: payment.organizationId, invoiceId, amountCents: payment.amountCents, currency: CURRENCY, description: `Invoice #${invoice.number}`, customerId: customer.payment_customers.stripeCustomerId, paymentMethodId: card.stripePaymentMethod }));
  }
  return { ok: true, paymentId, status: "pending", message: null };
}

/** Stops a charge waiting on the reader: the reader's screen is cleared and the hold released. */
export async function cancelReaderCharge(ctx: AppContext, actor: Actor, invoiceId: string, paymentId: string): Promise<ChargeAnswer> {
  const gateway = stripeGateway(ctx.env);
  if (!gateway) return NOT_SET_UP;
  const payment = await pendingPayment(ctx, actor, invoiceId, paymentId);
  if (!payment || !payment.readerId) return { ok: false, status: 404, message: "No reader charge with that id on this invoice." };
  if (payment.status !== "pending") return { ok: true, paymentId, status: payment.status, message: payment.failureMessage };
  const [reader] = await ctx.db.select().from(cardReaders).where(eq(cardReaders.id, payment.readerId));
  if (payment.processorRef) {
    // The card may have been tapped a moment ago: Stripe's word first, then cancel only what is still open.
    const now = await gateway.retrieveCharge(payment.processorRef);
    if (now.status !== "pending") return finish(ctx, actor, payment, now);
    await gateway.cancelOnReader({ readerId: reader.stripeReaderId, intentId: payment.processorRef });
  }
  return finish(ctx, actor, payment, { status: "failed", intentId: payment.processorRef, message: "Canceled at the desk before the card was tapped." });
}
