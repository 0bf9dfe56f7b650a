import { and, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { withinActorLocations } from "../auth/scope.server";
import { auditInsertByChange } from "../audit/audit.server";
import { refusedWith } from "../lib/db-refusal";
import { formatMoney } from "../scheduling/format";
import { invoices, payments } from "../../db/schema";
import { statusSql, type Refusal } from "./invoices.server";
import { balanceOf } from "./invoice-lines";
import { takePayment as paymentRule } from "./money";
import type { PaymentSchema } from "./schemas";
import { BRAND_LABELS } from "./labels";
import { giftCards } from "../../db/schema";
import { findGiftCard } from "../gift-cards/gift-cards.server";
import { giftCardUsable } from "../gift-cards/usable";

type Actor = AuthedSession["user"];


export type PaymentTaken = { ok: true; paymentId: string; appliedCents: number; changeCents: number; repeated: boolean };

type Card = { cardBrand: keyof typeof BRAND_LABELS; cardLast4: string; authCode: string };
/** What the desk handed in: cash (tendered), a card on the clinic's terminal (charged), or a gift card. */
type Tender = { method: "cash"; cents: number } | ({ method: "card"; cents: number } & Card) | { method: "gift_card"; cents: number; giftCardId: string; last4: string };

/** The form's tenders: one method, or a split — the card's amount first, the cash for the rest. */
function tendersOf(v: z.infer<typeof PaymentSchema>, giftCard: { id: string; codeLast4: string } | null): Tender[] {
  if (v.method === "gift_card") return [{ method: "gift_card", cents: v.amount, giftCardId: giftCard!.id, last4: giftCard!.codeLast4 }];
  const card = v.method === "cash" ? null : { cardBrand: v.cardBrand, cardLast4: v.cardLast4, authCode: v.authCode.toUpperCase() };
  if (v.method === "cash") return [{ method: "cash", cents: v.amount }];
  if (v.method === "card") return [{ method: "card", cents: v.amount, ...card! }];
  return [{ method: "card", cents: v.cardAmount, ...card! }, { method: "cash", cents: v.amount }];
}

/**
 * Takes one payment — or a split, cash and card in one submission — against an invoice (ADR 033).
 * Without Stripe (the embedded default) a card payment is recorded as taken on the clinic's own
 * terminal: brand, last 4 and the authorization code, never a card number.
 *
 * One batch decides: the payment rows (once per form key — a double tap or a lost answer is one
 * payment), the invoice's paid amount recomputed from its payments, its status, its history and
 * the audit. Two desks paying at once can't overpay it: the invoice's CHECK refuses a paid amount
 * beyond the total and the whole batch with it; a void invoice's trigger refuses the payment.
 */
export async function takePayment(ctx: AppContext, actor: Actor, invoiceId: string, v: z.infer<typeof PaymentSchema>): Promise<PaymentTaken | Refusal> {
  // A gift card is found by its code first (throttled); its balance is checked here and, against a race, by the database.
  let giftCard: typeof giftCards.$inferSelect | null = null;
  if (v.method === "gift_card") {
    const found = await findGiftCard(ctx, actor, v.giftCardCode);
    if (!found.ok) return { ...found, field: "giftCardCode" };
    giftCard = found.card;
    const usable = giftCardUsable(giftCard, ctx.clock.now());
    if (usable) return usable;
    if (v.amount > giftCard.balanceCents) return { ok: false, status: 400, field: "amount", message: `The gift card has ${formatMoney(giftCard.balanceCents)} left.` };
  }
  const tenders = tendersOf(v, giftCard);
  const keys = tenders.map((_, i) => (i === 0 ? v.paymentKey : `${v.paymentKey}.${i + 1}`));
  // The invoice and whether this form was already taken: one round trip.
  const byKey = and(eq(payments.organizationId, actor.organizationId), inArray(payments.clientKey, keys));
  const [[invoice], earlier] = await ctx.db.batch([
    ctx.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.id, invoiceId), eq(invoices.organizationId, actor.organizationId), withinActorLocations(actor, invoices.locationId))),
    ctx.db.select().from(payments).where(byKey),
  ]);
  if (!invoice) return { ok: false, status: 404, message: "No invoice with that id at your locations." };
  if (earlier.length) return sameAgain(invoice.id, earlier);
  if (invoice.status === "void") return { ok: false, status: 409, message: "This invoice is void; it takes no payment." };

  // Each tender against what is left: a card never beyond it; cash gives change for the rest.
  // A card charge in flight (Stripe) holds its part of the balance until it is answered.
  let left = balanceOf(invoice) - invoice.heldCents;
  const taken: (Tender & { id: string; key: string; appliedCents: number; changeCents: number })[] = [];
  for (const [i, t] of tenders.entries()) {
    const rule = paymentRule(left, t.method, t.cents);
    if (!rule.ok) return { ok: false, status: 400, field: t.method === "card" && tenders.length > 1 ? "cardAmount" : "amount", message: tenders.length > 1 && t.method === "cash" && left === 0 ? "The card covers the whole balance; leave cash out." : rule.message };
    taken.push({ ...t, id: crypto.randomUUID(), key: keys[i], appliedCents: rule.appliedCents, changeCents: rule.changeCents });
    left -= rule.appliedCents;
  }
  const now = ctx.clock.now();
  const paidSql = sql`(select coalesce(sum(amount_cents), 0) from payments where invoice_id = ${invoice.id} and status = 'succeeded')`;
  const writes: BatchItem<"sqlite">[] = taken.flatMap((t) => [
    ctx.db
      .insert(payments)
      .values({ id: t.id, organizationId: actor.organizationId, locationId: invoice.locationId, invoiceId: invoice.id, method: t.method, amountCents: t.appliedCents, tenderedCents: t.method === "cash" ? t.cents : null, changeCents: t.changeCents, processor: t.method === "card" ? "clinic_terminal" : "none", ...(t.method === "card" ? { cardBrand: t.cardBrand, cardLast4: t.cardLast4, authCode: t.authCode } : {}), ...(t.method === "gift_card" ? { giftCardId: t.giftCardId } : {}), clientKey: t.key, takenBy: actor.id, createdAt: now })
      .onConflictDoNothing(),
    // History and audit only for a payment this request wrote (not one a twin request wrote first).
    ctx.db.run(sql`insert into invoice_events (id, invoice_id, organization_id, actor_id, kind, detail, created_at)
      select ${crypto.randomUUID()}, ${invoice.id}, ${actor.organizationId}, ${actor.id}, 'payment', ${describe(t)}, ${now.getTime()} where exists (select 1 from payments where id = ${t.id})`),
    auditInsertByChange(ctx, ctx.db, { actor, action: "payment.take", entityType: "payment", entityId: t.id, reason: t.method }, "duplicate_submission"),
  ]);
  let landed: boolean;
  try {
    const [inserted] = await ctx.db.batch([
      ...writes,
      ctx.db
        .update(invoices)
        .set({ paidCents: paidSql, status: statusSql(sql`total_cents`, paidSql), issuedAt: sql`coalesce(${invoices.issuedAt}, ${now.getTime()})`, paidAt: sql`case when ${paidSql} >= total_cents then ${now.getTime()} else null end` })
        .where(eq(invoices.id, invoice.id)),
    ] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    landed = (inserted as { rowsAffected: number }).rowsAffected > 0;
  } catch (error) {
    if (refusedWith(error, "invoices_never_overpaid") || refusedWith(error, "atrium_invoice_overcommitted")) {
      const [fresh] = await ctx.db.select({ totalCents: invoices.totalCents, paidCents: invoices.paidCents, heldCents: invoices.heldCents }).from(invoices).where(eq(invoices.id, invoice.id));
      const owed = fresh ? fresh.totalCents - fresh.paidCents - fresh.heldCents : 0;
      return { ok: false, status: 409, field: "amount", message: owed > 0 ? `Another payment landed meanwhile: ${formatMoney(owed)} is owed now.` : "This invoice has been paid in full meanwhile." };
    }
    if (refusedWith(error, "atrium_invoice_void")) return { ok: false, status: 409, message: "This invoice was voided meanwhile; it takes no payment." };
    if (refusedWith(error, "gift_cards_never_negative")) {
      const [fresh] = await ctx.db.select({ balanceCents: giftCards.balanceCents }).from(giftCards).where(eq(giftCards.id, giftCard!.id));
      return { ok: false, status: 409, field: "amount", message: `The gift card was used meanwhile: ${formatMoney(fresh?.balanceCents ?? 0)} is left on it.` };
    }
    if (refusedWith(error, "atrium_gift_card_unusable")) return { ok: false, status: 409, field: "giftCardCode", message: "That gift card can't be used now (expired or void)." };
    throw error;
  }
  const last = taken[taken.length - 1];
  if (landed) return { ok: true, paymentId: last.id, appliedCents: taken.reduce((a, t) => a + t.appliedCents, 0), changeCents: taken.reduce((a, t) => a + t.changeCents, 0), repeated: false };
  // The same form sent twice at the same moment: the twin's payment is the one.
  return sameAgain(invoice.id, await ctx.db.select().from(payments).where(byKey));
}

/** The answer to a form already taken: its payment, or a refusal when it was for another invoice. */
function sameAgain(invoiceId: string, rows: (typeof payments.$inferSelect)[]): PaymentTaken | Refusal {
  if (rows.some((r) => r.invoiceId !== invoiceId)) return { ok: false, status: 409, message: "This form was already used for another payment; reload the page." };
  const last = rows.reduce((a, r) => (r.clientKey.length >= a.clientKey.length ? r : a));
  return { ok: true, paymentId: last.id, appliedCents: rows.reduce((a, r) => a + r.amountCents, 0), changeCents: rows.reduce((a, r) => a + r.changeCents, 0), repeated: true };
}

function describe(t: Tender & { appliedCents: number; changeCents: number }) {
  if (t.method === "gift_card") return `Gift card •••• ${t.last4} ${formatMoney(t.appliedCents)}`;
  if (t.method === "cash") return `Cash ${formatMoney(t.appliedCents)}${t.changeCents ? ` (tendered ${formatMoney(t.cents)}, change ${formatMoney(t.changeCents)})` : ""}`;
  return `${BRAND_LABELS[t.cardBrand]} •••• ${t.cardLast4} ${formatMoney(t.appliedCents)} (clinic terminal, auth ${t.authCode})`;
}
