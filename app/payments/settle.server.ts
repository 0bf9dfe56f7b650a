import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "../lib/context.server";
import { auditInsertByChange, type AuditActor } from "../audit/audit.server";
import { formatMoney } from "../scheduling/format";
import { invoices, payments } from "../../db/schema";
import { invoiceEventIfChanged, statusSql } from "../checkout/invoices.server";
import { paymentLabel } from "../checkout/labels";
import type { ChargeOutcome } from "./stripe-gateway.server";

type PaymentRow = typeof payments.$inferSelect;

/** An invoice's paid and held amounts, read from its payments in the statement that writes them. */
export const paidSql = (invoiceId: string) => sql`(select coalesce(sum(amount_cents), 0) from payments where invoice_id = ${invoiceId} and status = 'succeeded')`;
export const heldSql = (invoiceId: string) => sql`(select coalesce(sum(amount_cents), 0) from payments where invoice_id = ${invoiceId} and status = 'pending')`;

/** The invoice's paid, held, status and paid-at recomputed from its payments (one statement). */
export function recomputeInvoice(ctx: Pick<AppContext, "db">, invoiceId: string, now: Date) {
  const paid = paidSql(invoiceId);
  return ctx.db
    .update(invoices)
    .set({
      paidCents: paid,
      heldCents: heldSql(invoiceId),
      status: statusSql(sql`total_cents`, paid),
      issuedAt: sql`coalesce(${invoices.issuedAt}, ${now.getTime()})`,
      paidAt: sql`case when ${paid} >= total_cents and ${paid} > 0 then coalesce(paid_at, ${now.getTime()}) else null end`,
    })
    .where(eq(invoices.id, invoiceId));
}

/**
 * Makes a Stripe charge's answer final on our payment (ADR 034): succeeded (its amount moves from
 * held to paid) or failed (the hold is released, Stripe's words kept). Only a pending payment
 * changes — the update's own condition decides — so the desk's answer and the webhook's, arriving
 * together or twice or out of order, settle it once; a later, contradicting event changes nothing.
 * Its history and audit are written only by the request that changed it. A still-pending outcome
 * only records the intent's id.
 */
export async function settlePayment(ctx: Pick<AppContext, "db" | "clock" | "ip" | "userAgent">, payment: Pick<PaymentRow, "id" | "invoiceId" | "organizationId" | "amountCents" | "method" | "cardBrand" | "cardLast4">, outcome: ChargeOutcome, actor: AuditActor | null): Promise<boolean> {
  const now = ctx.clock.now();
  const pendingOnly = and(eq(payments.id, payment.id), eq(payments.status, "pending"));
  if (outcome.status === "pending") {
    if (outcome.intentId) await ctx.db.update(payments).set({ processorRef: outcome.intentId }).where(and(pendingOnly, sql`${payments.processorRef} is null`));
    return false;
  }
  const card = outcome.status === "succeeded" ? outcome.card : null;
  const label = paymentLabel({ method: payment.method, cardBrand: card?.brand ?? payment.cardBrand, cardLast4: card?.last4 ?? payment.cardLast4 });
  const detail = outcome.status === "succeeded" ? `${label} ${formatMoney(payment.amountCents)} (Stripe)` : `${label} ${formatMoney(payment.amountCents)} not taken: ${outcome.message}`;
  const [changed] = await ctx.db.batch([
    ctx.db
      .update(payments)
      .set({
        status: outcome.status,
        processorRef: sql`coalesce(${outcome.intentId}, ${payments.processorRef})`,
        cardBrand: sql`coalesce(${payments.cardBrand}, ${card?.brand ?? null})`,
        cardLast4: sql`coalesce(${payments.cardLast4}, ${card?.last4 ?? null})`,
        failureMessage: outcome.status === "failed" ? outcome.message.slice(0, 300) : null,
        settledAt: now,
      })
      .where(pendingOnly),
    invoiceEventIfChanged(ctx, { id: payment.invoiceId, organizationId: payment.organizationId }, actor?.id ?? null, outcome.status === "succeeded" ? "payment" : "payment_failed", detail),
    auditInsertByChange(ctx, ctx.db, { actor, organizationId: payment.organizationId, action: outcome.status === "succeeded" ? "payment.take" : "payment.fail", entityType: "payment", entityId: payment.id, reason: payment.method }, "already_settled"),
    recomputeInvoice(ctx, payment.invoiceId, now),
  ] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return (changed as { rowsAffected: number }).rowsAffected > 0;
}
