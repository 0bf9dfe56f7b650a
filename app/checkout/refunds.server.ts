import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { withinActorLocations } from "../auth/scope.server";
import { auditInsertByChange } from "../audit/audit.server";
import { refusedWith } from "../lib/db-refusal";
import { formatMoney } from "../scheduling/format";
import { giftCards, invoiceLines, invoices, payments, productLots, refunds, stockMovements } from "../../db/schema";
import type { Refusal } from "./invoices.server";
import type { RefundSchema } from "./schemas";
import { paymentLabel } from "./labels";
import { stripeGateway } from "../payments/stripe-gateway.server";
import { recomputeRefunded, settleRefund } from "../payments/stripe-refunds.server";

type Actor = AuthedSession["user"];

/**
 * Money back, always to the payment it undoes (ADR 033): cash from the drawer, a card on the
 * terminal it was charged on, or through Stripe (pending until Stripe answers, ADR 034). Never more than that
 * payment took — decided by a trigger in the insert itself, so two refunds racing can't both pass.
 * The invoice's refunded amount and status are recomputed from its refunds in the same batch; a
 * retail line chosen goes back on the shelf (once).
 */
export async function refundPayment(ctx: AppContext, actor: Actor, invoiceId: string, v: z.infer<typeof RefundSchema>): Promise<{ ok: true } | Refusal> {
  const [[invoice], [payment], lines, [takenOffCards]] = await ctx.db.batch([
    ctx.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.id, invoiceId), eq(invoices.organizationId, actor.organizationId), withinActorLocations(actor, invoices.locationId))),
    ctx.db.select().from(payments).where(and(eq(payments.id, v.paymentId), eq(payments.invoiceId, invoiceId), eq(payments.organizationId, actor.organizationId))),
    ctx.db.select().from(invoiceLines).where(and(eq(invoiceLines.invoiceId, invoiceId), eq(invoiceLines.organizationId, actor.organizationId))),
    ctx.db.select({ cents: sql<number>`coalesce(sum(${refunds.amountCents}), 0)` }).from(refunds).where(and(eq(refunds.invoiceId, invoiceId), isNotNull(refunds.giftCardLineId), inArray(refunds.status, ["pending", "succeeded"]))),
  ]);
  if (!invoice) return { ok: false, status: 404, message: "No invoice with that id at your locations." };
  if (!payment || payment.status !== "succeeded") return { ok: false, status: 404, field: "paymentId", message: "Choose a payment on this invoice to refund." };
  const restock = v.restockLineId ? lines.find((l) => l.id === v.restockLineId) : null;
  if (v.restockLineId && (!restock || restock.kind !== "retail" || !restock.lotId)) return { ok: false, status: 400, field: "restockLineId", message: "Choose a retail item from this invoice to put back on the shelf." };
  if (restock?.restockedAt) return { ok: false, status: 409, field: "restockLineId", message: "Those items are already back on the shelf." };
  // A gift card's sale is refunded only by taking its value back off the card (ADR 037): money
  // for anything else on the invoice may go back without naming a card.
  const cardSales = lines.filter((l) => l.kind === "gift_card" && l.appliedAt);
  const cardLine = v.giftCardLineId ? cardSales.find((l) => l.id === v.giftCardLineId) : null;
  if (v.giftCardLineId && !cardLine) return { ok: false, status: 400, field: "giftCardLineId", message: "Choose a gift card this invoice sold." };
  if (cardLine && v.amount > cardLine.grossCents) return { ok: false, status: 400, field: "amount", message: `That card was sold for ${formatMoney(cardLine.grossCents)}; refund at most that.` };
  const otherCents = invoice.totalCents - cardSales.reduce((sum, l) => sum + l.netCents, 0);
  if (!cardLine && cardSales.length && invoice.refundedCents - (takenOffCards?.cents ?? 0) + v.amount > otherCents) {
    return { ok: false, status: 400, field: "giftCardLineId", message: "This invoice sold gift cards: choose the card this refund takes back, so its value comes off the card." };
  }
  const id = crypto.randomUUID();
  const now = ctx.clock.now();
  const viaStripe = payment.processor === "stripe";
  const gateway = viaStripe ? stripeGateway(ctx.env) : null;
  if (viaStripe && (!gateway || !payment.processorRef)) return { ok: false, status: 409, field: "paymentId", message: "This card was charged through Stripe, which isn't reachable from this clinic's setup now; refund it from the Stripe dashboard." };
  const label = payment.method === "cash" ? "cash from the drawer" : payment.method === "gift_card" ? "the gift card it was taken from" : viaStripe ? `${paymentLabel(payment)} through Stripe` : `${payment.cardBrand ? `card •••• ${payment.cardLast4}` : "card"} on the terminal`;
  const back: BatchItem<"sqlite">[] = restock
    ? [
        ctx.db.update(invoiceLines).set({ restockedAt: now }).where(and(eq(invoiceLines.id, restock.id), sql`${invoiceLines.restockedAt} is null`)),
        ctx.db.update(productLots).set({ remaining: sql`${productLots.remaining} + ${restock.quantity}` }).where(eq(productLots.id, restock.lotId!)),
        ctx.db.insert(stockMovements).values({ id: crypto.randomUUID(), organizationId: invoice.organizationId, lotId: restock.lotId!, kind: "return", quantity: restock.quantity, actorId: actor.id, createdAt: now }),
      ]
    : [];
  try {
    await ctx.db.batch([
      ctx.db.insert(refunds).values({ id, organizationId: invoice.organizationId, locationId: invoice.locationId, invoiceId: invoice.id, paymentId: payment.id, method: payment.method, amountCents: v.amount, reason: v.reason, processor: payment.processor, clientKey: v.refundKey, refundedBy: actor.id, createdAt: now, status: viaStripe ? "pending" : "succeeded", giftCardLineId: cardLine?.id ?? null }).onConflictDoNothing(),
      auditInsertByChange(ctx, ctx.db, { actor, action: "payment.refund", entityType: "payment", entityId: payment.id, reason: payment.method }, "duplicate_submission"),
      ...back,
      recomputeRefunded(ctx, invoice.id),
      ctx.db.run(sql`insert into invoice_events (id, invoice_id, organization_id, actor_id, kind, detail, reason, created_at)
        select ${crypto.randomUUID()}, ${invoice.id}, ${invoice.organizationId}, ${actor.id}, 'refund', ${`Refunded ${formatMoney(v.amount)} to ${label}${restock ? `; ${restock.description} back on the shelf` : ""}`}, ${v.reason}, ${now.getTime()} where exists (select 1 from refunds where id = ${id})`),
    ] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (error) {
    if (refusedWith(error, "atrium_refund_exceeds_payment")) {
      const [left] = await ctx.db.select({ cents: sql<number>`${payment.amountCents} - coalesce(sum(${refunds.amountCents}), 0)` }).from(refunds).where(and(eq(refunds.paymentId, payment.id), inArray(refunds.status, ["pending", "succeeded"])));
      const cents = left?.cents ?? payment.amountCents;
      return { ok: false, status: 400, field: "amount", message: cents > 0 ? `At most ${formatMoney(cents)} can go back to this payment.` : "This payment has been refunded in full." };
    }
    if (cardLine && refusedWith(error, "gift_cards_never_negative")) {
      const [card] = await ctx.db.select({ balance: giftCards.balanceCents, last4: giftCards.codeLast4 }).from(giftCards).where(eq(giftCards.id, cardLine.giftCardId!));
      return { ok: false, status: 409, field: "amount", message: card && card.balance > 0 ? `Gift card •••• ${card.last4} has ${formatMoney(card.balance)} left: at most that much of its sale can be refunded.` : "That gift card has been spent; its sale can't be refunded." };
    }
    throw error;
  }
  if (gateway) {
    // The refund row holds its amount against the payment while Stripe is asked (its key: the row's id).
    const [row] = await ctx.db.select().from(refunds).where(and(eq(refunds.organizationId, invoice.organizationId), eq(refunds.clientKey, v.refundKey)));
    if (row.status === "pending") await settleRefund(ctx, row, await gateway.refund({ refundId: row.id, intentId: payment.processorRef!, amountCents: row.amountCents, organizationId: row.organizationId, paymentId: payment.id }), actor);
  }
  return { ok: true };
}
