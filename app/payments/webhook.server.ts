import { and, eq, isNull, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { AppContext } from "../lib/context.server";
import { formatMoney } from "../scheduling/format";
import { auditInsertIfChanged } from "../audit/audit.server";
import { invoiceEventIfChanged } from "../checkout/invoices.server";
import { paymentDisputes, payments, refunds, savedCards, stripeEvents } from "../../db/schema";
import { settlePayment } from "./settle.server";
import { queueBuyerReceipt } from "../checkout/receipt-email.server";
import { depositOfIntent, settleDeposit } from "./deposits.server";
import { settleRefund } from "./stripe-refunds.server";
import { recordCard } from "./saved-cards.server";
import { outcomeOf, type StripeGateway } from "./stripe-gateway.server";

type Outcome = string;

/**
 * One Stripe event (ADR 034). The event's id is claimed by an insert first: a delivery whose id
 * was already processed is answered at once and changes nothing. Every change below is also
 * conditional on the state it moves from (a pending payment, a refund not yet final, a card not
 * yet known), so two deliveries at the same moment, or events out of order, converge on the
 * same state and write their history once.
 */
export async function handleStripeEvent(ctx: AppContext, gateway: StripeGateway, event: Stripe.Event): Promise<{ duplicate: boolean; outcome: Outcome }> {
  const object = event.data.object as { id?: string; metadata?: Record<string, string> | null };
  const claimed = await ctx.db
    .insert(stripeEvents)
    .values({ id: event.id, type: event.type, objectId: object.id ?? null, organizationId: null, stripeCreated: event.created, receivedAt: ctx.clock.now() })
    .onConflictDoNothing();
  if (claimed.rowsAffected === 0) {
    const [seen] = await ctx.db.select({ outcome: stripeEvents.outcome }).from(stripeEvents).where(eq(stripeEvents.id, event.id));
    // Processed already: nothing to do. Still in hand (a twin delivery, or one cut off midway):
    // processing again is safe, as every change is conditional.
    if (seen?.outcome) return { duplicate: true, outcome: seen.outcome };
  }
  const { outcome, organizationId } = await apply(ctx, gateway, event);
  await ctx.db.update(stripeEvents).set({ outcome, organizationId }).where(eq(stripeEvents.id, event.id));
  return { duplicate: claimed.rowsAffected === 0, outcome };
}

async function apply(ctx: AppContext, gateway: StripeGateway, event: Stripe.Event): Promise<{ outcome: Outcome; organizationId: string | null }> {
  switch (event.type) {
    case "payment_intent.succeeded":
    case "payment_intent.payment_failed":
    case "payment_intent.canceled":
      return paymentIntentEvent(ctx, gateway, event.data.object, event.type);
    case "charge.refund.updated":
    case "refund.updated":
    case "refund.failed":
      return refundEvent(ctx, event.data.object as Stripe.Refund);
    case "setup_intent.succeeded":
      return setupEvent(ctx, gateway, event.data.object);
    case "payment_method.detached":
      return detachedEvent(ctx, event.data.object);
    case "charge.dispute.created":
    case "charge.dispute.updated":
    case "charge.dispute.closed":
      return disputeEvent(ctx, event.data.object, event.type === "charge.dispute.created");
    default:
      return { outcome: "ignored", organizationId: null };
  }
}

/** Our payment the intent was made for: its metadata names it, and its id must match what we kept. */
async function paymentOf(ctx: AppContext, intent: Stripe.PaymentIntent) {
  const paymentId = intent.metadata?.payment_id;
  if (!paymentId) return null;
  const [payment] = await ctx.db
    .select()
    .from(payments)
    .where(and(eq(payments.id, paymentId), eq(payments.organizationId, intent.metadata.organization_id ?? ""), eq(payments.processor, "stripe"), sql`(${payments.processorRef} is null or ${payments.processorRef} = ${intent.id})`));
  return payment ?? null;
}

async function paymentIntentEvent(ctx: AppContext, gateway: StripeGateway, intent: Stripe.PaymentIntent, type: string) {
  const payment = await paymentOf(ctx, intent);
  if (!payment) {
    // A deposit paid at online booking (ADR 039): its row, not a payment, is what the intent was for.
    const deposit = await depositOfIntent(ctx, intent.metadata?.payment_id, intent.metadata?.organization_id, intent.id);
    if (!deposit) return { outcome: "unknown_payment", organizationId: null };
    if (type === "payment_intent.payment_failed") return { outcome: "declined_retryable", organizationId: deposit.organizationId };
    let outcome = outcomeOf(intent);
    if (outcome.status === "succeeded" && !outcome.card) outcome = await gateway.retrieveCharge(intent.id).catch(() => outcome);
    return { outcome: (await settleDeposit(ctx, deposit, outcome)) ? `deposit_${outcome.status}` : "already_settled", organizationId: deposit.organizationId };
  }
  const organizationId = payment.organizationId;
  if (payment.status !== "pending") return { outcome: `already_${payment.status}`, organizationId };
  if (type === "payment_intent.payment_failed" && !payment.readerId && !payment.savedCardId) {
    // The patient's phone: a declined card can be retried on the same intent; it stays pending.
    return { outcome: "declined_retryable", organizationId };
  }
  let outcome = outcomeOf(intent);
  if (type === "payment_intent.payment_failed" && outcome.status === "pending") outcome = { status: "failed", intentId: intent.id, message: intent.last_payment_error?.message ?? "The card was declined." };
  // A reader's or the phone's card: its brand and last 4 are on the charge, not in the event.
  if (outcome.status === "succeeded" && !outcome.card && !payment.cardLast4) outcome = await gateway.retrieveCharge(intent.id).catch(() => outcome);
  const changed = await settlePayment(ctx, payment, outcome, null);
  // A buyer who paid online and closed the page still gets their receipt (ADR 037).
  if (changed && outcome.status === "succeeded") await queueBuyerReceipt(ctx, payment.invoiceId);
  return { outcome: changed ? outcome.status : "already_settled", organizationId };
}

async function refundEvent(ctx: AppContext, refund: Stripe.Refund) {
  const refundId = refund.metadata?.refund_id;
  const [row] = refundId ? await ctx.db.select().from(refunds).where(and(eq(refunds.id, refundId), eq(refunds.processor, "stripe"))) : [];
  if (!row) return { outcome: "unknown_refund", organizationId: null };
  const status = refund.status === "succeeded" || refund.status === "failed" || refund.status === "canceled" ? refund.status : "pending";
  const changed = await settleRefund(ctx, row, { status, refundId: refund.id, message: refund.failure_reason ?? null }, null);
  return { outcome: changed ? status : "unchanged", organizationId: row.organizationId };
}

async function setupEvent(ctx: AppContext, gateway: StripeGateway, intent: Stripe.SetupIntent) {
  const organizationId = intent.metadata?.organization_id;
  const patientId = intent.metadata?.patient_id;
  const paymentMethodId = typeof intent.payment_method === "string" ? intent.payment_method : intent.payment_method?.id;
  if (!organizationId || !patientId || !paymentMethodId) return { outcome: "unknown_setup", organizationId: null };
  const card = await gateway.retrieveCard(paymentMethodId);
  if (!card) return { outcome: "not_a_card", organizationId };
  const saved = await recordCard(ctx, { organizationId, patientId, customerId: typeof intent.customer === "string" ? intent.customer : (intent.customer?.id ?? null), card });
  return { outcome: saved ? "card_saved" : "card_known", organizationId };
}

async function detachedEvent(ctx: AppContext, pm: Stripe.PaymentMethod) {
  const now = ctx.clock.now();
  const [card] = await ctx.db.select().from(savedCards).where(eq(savedCards.stripePaymentMethod, pm.id));
  if (!card) return { outcome: "unknown_card", organizationId: null };
  const [changed] = await ctx.db.batch([
    ctx.db.update(savedCards).set({ removedAt: now, isDefault: false }).where(and(eq(savedCards.id, card.id), isNull(savedCards.removedAt))),
    auditInsertIfChanged(ctx, ctx.db, { organizationId: card.organizationId, action: "card.remove", entityType: "patient", entityId: card.patientId, reason: "detached_at_stripe" }),
  ]);
  return { outcome: changed.rowsAffected ? "card_removed" : "already_removed", organizationId: card.organizationId };
}

async function disputeEvent(ctx: AppContext, dispute: Stripe.Dispute, created: boolean) {
  const intentId = typeof dispute.payment_intent === "string" ? dispute.payment_intent : dispute.payment_intent?.id;
  const [payment] = intentId ? await ctx.db.select().from(payments).where(and(eq(payments.processor, "stripe"), eq(payments.processorRef, intentId))) : [];
  if (!payment) return { outcome: "unknown_payment", organizationId: null };
  const now = ctx.clock.now();
  const due = dispute.evidence_details?.due_by ? new Date(dispute.evidence_details.due_by * 1000) : null;
  const detail = `The patient's bank disputed ${formatMoney(dispute.amount)} (${dispute.reason.replace(/_/g, " ")})${due ? `; evidence due by ${due.toISOString().slice(0, 10)}` : ""}`;
  // The dispute is recorded once, by its id, with the invoice's history and the audit (whichever event comes first);
  // later events only move its status on.
  const [inserted] = await ctx.db.batch([
    ctx.db
      .insert(paymentDisputes)
      .values({ id: dispute.id, organizationId: payment.organizationId, paymentId: payment.id, amountCents: dispute.amount, reason: dispute.reason, status: dispute.status, evidenceDueAt: due, createdAt: now, updatedAt: now })
      .onConflictDoNothing(),
    invoiceEventIfChanged(ctx, { id: payment.invoiceId, organizationId: payment.organizationId }, null, "dispute", detail),
    auditInsertIfChanged(ctx, ctx.db, { organizationId: payment.organizationId, action: "payment.dispute", entityType: "payment", entityId: payment.id, reason: dispute.reason }),
  ]);
  if (!inserted.rowsAffected && !created) {
    await ctx.db.update(paymentDisputes).set({ status: dispute.status, updatedAt: now }).where(eq(paymentDisputes.id, dispute.id));
  }
  return { outcome: created ? "dispute_recorded" : `dispute_${dispute.status}`, organizationId: payment.organizationId };
}
