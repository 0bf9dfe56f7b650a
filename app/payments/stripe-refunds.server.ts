import { and, eq, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "../lib/context.server";
import { auditInsertByChange, type AuditActor } from "../audit/audit.server";
import { formatMoney } from "../scheduling/format";
import { invoices, refunds } from "../../db/schema";
import { invoiceEventIfChanged } from "../checkout/invoices.server";
import type { RefundOutcome } from "./stripe-gateway.server";

type RefundRow = typeof refunds.$inferSelect;

/** What an invoice has given back: refunds that are final or still on their way (not failed or canceled). */
export const refundedSql = (invoiceId: string) => sql`(select coalesce(sum(amount_cents), 0) from refunds where invoice_id = ${invoiceId} and status in ('pending', 'succeeded'))`;

/** The invoice's refunded amount and status, from its refunds and payments, in one statement. */
export function recomputeRefunded(ctx: Pick<AppContext, "db">, invoiceId: string) {
  const back = refundedSql(invoiceId);
  return ctx.db
    .update(invoices)
    .set({
      refundedCents: back,
      status: sql`case when status = 'void' then 'void'
        when ${back} > 0 and ${back} >= paid_cents then 'refunded'
        when ${back} > 0 then 'partially_refunded'
        when paid_cents > 0 and paid_cents >= total_cents then 'paid'
        when paid_cents > 0 then 'partially_paid'
        when status in ('refunded', 'partially_refunded') then 'open'
        else status end`,
    })
    .where(eq(invoices.id, invoiceId));
}

/**
 * Stripe's answer on a refund, from the desk's request or a webhook (ADR 034). A pending refund
 * becomes final; a succeeded one can still fail later (Stripe documents it: the bank returned
 * it) — then the money counts as the patient's payment again. Nothing else moves it, so events
 * out of order or twice change it once.
 */
export async function settleRefund(ctx: Pick<AppContext, "db" | "clock" | "ip" | "userAgent">, refund: Pick<RefundRow, "id" | "invoiceId" | "organizationId" | "amountCents" | "method">, outcome: RefundOutcome, actor: AuditActor | null): Promise<boolean> {
  if (outcome.status === "pending") {
    if (outcome.refundId) await ctx.db.update(refunds).set({ processorRef: outcome.refundId }).where(and(eq(refunds.id, refund.id), sql`${refunds.processorRef} is null`));
    return false;
  }
  const from = outcome.status === "failed" ? or(eq(refunds.status, "pending"), eq(refunds.status, "succeeded")) : eq(refunds.status, "pending");
  const detail = outcome.status === "succeeded" ? `Refund of ${formatMoney(refund.amountCents)} confirmed by Stripe` : `Refund of ${formatMoney(refund.amountCents)} ${outcome.status === "failed" ? "failed" : "canceled"}${outcome.message ? `: ${outcome.message.replace(/_/g, " ")}` : ""}; the money stays paid`;
  const [changed] = await ctx.db.batch([
    ctx.db
      .update(refunds)
      .set({ status: outcome.status, processorRef: sql`coalesce(${outcome.refundId}, ${refunds.processorRef})`, failureMessage: outcome.status === "succeeded" ? null : (outcome.message ?? outcome.status).slice(0, 300) })
      .where(and(eq(refunds.id, refund.id), from)),
    invoiceEventIfChanged(ctx, { id: refund.invoiceId, organizationId: refund.organizationId }, actor?.id ?? null, outcome.status === "succeeded" ? "refund_confirmed" : "refund_failed", detail),
    auditInsertByChange(ctx, ctx.db, { actor, organizationId: refund.organizationId, action: outcome.status === "succeeded" ? "refund.confirm" : "refund.fail", entityType: "refund", entityId: refund.id, reason: refund.method }, "already_settled"),
    recomputeRefunded(ctx, refund.invoiceId),
  ] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return (changed as { rowsAffected: number }).rowsAffected > 0;
}
