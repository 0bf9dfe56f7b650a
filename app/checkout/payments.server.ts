import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { auditInsertByChange } from "../audit/audit.server";
import { refusedWith } from "../lib/db-refusal";
import { formatMoney } from "../scheduling/format";
import { invoices, payments } from "../../db/schema";
import { withinActorLocations } from "../auth/scope.server";
import { statusSql, type Refusal } from "./invoices.server";
import { balanceOf } from "./invoice-lines";
import { takePayment as paymentRule } from "./money";
import type { PaymentSchema } from "./schemas";

type Actor = AuthedSession["user"];

const BRAND_LABELS = { visa: "Visa", mastercard: "Mastercard", amex: "American Express", discover: "Discover", other: "Card" } as const;

export type PaymentTaken = { ok: true; paymentId: string; appliedCents: number; changeCents: number; repeated: boolean };

/**
 * Takes one payment against an invoice (ADR 033). Without Stripe (the embedded default) a card
 * payment is recorded as taken on the clinic's own terminal: brand, last 4 and the authorization
 * code, never a card number.
 *
 * One batch decides: the payment row (once per form key — a double tap or a lost answer is one
 * payment), the invoice's paid amount recomputed from its payments, its status, its history and
 * the audit. Two desks paying at once can't overpay it: the invoice's CHECK refuses a paid amount
 * beyond the total and the whole batch with it; a void invoice's trigger refuses the payment.
 */
export async function takePayment(ctx: AppContext, actor: Actor, invoiceId: string, v: z.infer<typeof PaymentSchema>): Promise<PaymentTaken | Refusal> {
  // The invoice and whether this form was already taken: one round trip.
  const byKey = sql`${payments.organizationId} = ${actor.organizationId} and ${payments.clientKey} = ${v.paymentKey}`;
  const [[invoice], [earlier]] = await ctx.db.batch([
    ctx.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.id, invoiceId), eq(invoices.organizationId, actor.organizationId), withinActorLocations(actor, invoices.locationId))),
    ctx.db.select().from(payments).where(byKey),
  ]);
  if (!invoice) return { ok: false, status: 404, message: "No invoice with that id at your locations." };
  if (earlier) {
    if (earlier.invoiceId !== invoice.id) return { ok: false, status: 409, message: "This form was already used for another payment; reload the page." };
    return { ok: true, paymentId: earlier.id, appliedCents: earlier.amountCents, changeCents: earlier.changeCents, repeated: true };
  }
  if (invoice.status === "void") return { ok: false, status: 409, message: "This invoice is void; it takes no payment." };
  const rule = paymentRule(balanceOf(invoice), v.method, v.amount);
  if (!rule.ok) return { ok: false, status: 400, field: "amount", message: rule.message };
  const id = crypto.randomUUID();
  const now = ctx.clock.now();
  const card = v.method === "card" ? { cardBrand: v.cardBrand, cardLast4: v.cardLast4, authCode: v.authCode.toUpperCase() } : {};
  const detail = v.method === "cash" ? `Cash ${formatMoney(rule.appliedCents)}${rule.changeCents ? ` (tendered ${formatMoney(v.amount)}, change ${formatMoney(rule.changeCents)})` : ""}` : `${BRAND_LABELS[v.cardBrand]} •••• ${v.cardLast4} ${formatMoney(rule.appliedCents)} (clinic terminal, auth ${card.authCode})`;
  const paidSql = sql`(select coalesce(sum(amount_cents), 0) from payments where invoice_id = ${invoice.id} and status = 'succeeded')`;
  let landed: boolean;
  try {
    const [inserted] = await ctx.db.batch([
      ctx.db
        .insert(payments)
        .values({ id, organizationId: actor.organizationId, locationId: invoice.locationId, invoiceId: invoice.id, method: v.method, amountCents: rule.appliedCents, tenderedCents: v.method === "cash" ? v.amount : null, changeCents: rule.changeCents, processor: v.method === "card" ? "clinic_terminal" : "none", ...card, clientKey: v.paymentKey, takenBy: actor.id, createdAt: now })
        .onConflictDoNothing(),
      ctx.db
        .update(invoices)
        .set({ paidCents: paidSql, status: statusSql(sql`total_cents`, paidSql), issuedAt: sql`coalesce(${invoices.issuedAt}, ${now.getTime()})`, paidAt: sql`case when ${paidSql} >= total_cents then ${now.getTime()} else null end` })
        .where(eq(invoices.id, invoice.id)),
      // History and audit only for a payment this request wrote (not one a twin request wrote first).
      ctx.db.run(sql`insert into invoice_events (id, invoice_id, organization_id, actor_id, kind, detail, created_at)
        select ${crypto.randomUUID()}, ${invoice.id}, ${actor.organizationId}, ${actor.id}, 'payment', ${detail}, ${now.getTime()} where exists (select 1 from payments where id = ${id})`),
      auditInsertByChange(ctx, ctx.db, { actor, action: "payment.take", entityType: "payment", entityId: id, reason: v.method }, "duplicate_submission"),
    ] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    landed = (inserted as { rowsAffected: number }).rowsAffected > 0;
  } catch (error) {
    if (refusedWith(error, "invoices_never_overpaid")) {
      const [now2] = await ctx.db.select({ totalCents: invoices.totalCents, paidCents: invoices.paidCents }).from(invoices).where(eq(invoices.id, invoice.id));
      const owed = now2 ? now2.totalCents - now2.paidCents : 0;
      return { ok: false, status: 409, field: "amount", message: owed > 0 ? `Another payment landed meanwhile: ${formatMoney(owed)} is owed now.` : "This invoice has been paid in full meanwhile." };
    }
    if (refusedWith(error, "atrium_invoice_void")) return { ok: false, status: 409, message: "This invoice was voided meanwhile; it takes no payment." };
    throw error;
  }
  if (landed) return { ok: true, paymentId: id, appliedCents: rule.appliedCents, changeCents: rule.changeCents, repeated: false };
  // The same form sent twice at the same moment: the twin's payment is the one.
  const [twin] = await ctx.db.select().from(payments).where(byKey);
  return { ok: true, paymentId: twin.id, appliedCents: twin.amountCents, changeCents: twin.changeCents, repeated: true };
}

export { BRAND_LABELS };
