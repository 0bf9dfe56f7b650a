import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { formatMoney } from "../scheduling/format";
import { invoices, payments } from "../../db/schema";
import type { Refusal } from "../checkout/invoices.server";
import { CURRENCY, chargeable, hold } from "./charges.server";
import { customerFor } from "./saved-cards.server";
import { settlePayment } from "./settle.server";
import { stripeGateway } from "./stripe-gateway.server";

/**
 * The patient pays a balance on their phone (ADR 034): a PaymentIntent for what is owed, held on
 * the invoice like any card charge in flight, confirmed in Stripe's Payment Element. Stripe sends
 * the phone back to the invoice's page, which asks Stripe and settles it; the webhook settles it
 * too (whichever is first). A pay page left unfinished gives its hold back after ABANDONED_MS.
 */
export const ABANDONED_MS = 30 * 60_000;

type Session = AuthedSession & { patientId?: string | null };
const isOnline = and(eq(payments.processor, "stripe"), eq(payments.status, "pending"), isNull(payments.readerId), isNull(payments.savedCardId));

/** The patient's own invoice (issued, not a draft at the desk), or null. */
export async function ownInvoice(ctx: AppContext, session: Session, invoiceId: string) {
  if (!session.patientId) return null;
  const [invoice] = await ctx.db
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, invoiceId), eq(invoices.organizationId, session.user.organizationId), eq(invoices.patientId, session.patientId), sql`${invoices.status} != 'draft'`));
  return invoice ?? null;
}

type InvoiceRow = typeof invoices.$inferSelect;

/**
 * Starts (or picks up) paying what `invoice` owes online. The caller has found the invoice as the
 * payer's own: a patient's by their session (`ownInvoice`), an online buyer's by their order link.
 */
export async function startOnlinePayment(ctx: AppContext, invoice: InvoiceRow | null): Promise<{ ok: true; clientSecret: string; publishableKey: string; amount: string } | Refusal> {
  const gateway = stripeGateway(ctx.env);
  if (!gateway) return { ok: false, status: 409, message: "This clinic takes payment at the desk." };
  if (!invoice) return { ok: false, status: 404, message: "No invoice of yours with that id." };
  // A pay page opened before and left: its intent is used again when the amount is still right.
  const [earlier] = await ctx.db.select().from(payments).where(and(eq(payments.invoiceId, invoice.id), isOnline));
  const owed = invoice.totalCents - invoice.paidCents - invoice.heldCents + (earlier?.amountCents ?? 0);
  if (earlier && earlier.amountCents !== owed) {
    await settlePayment(ctx, earlier, earlier.processorRef ? await gateway.cancelPayment(earlier.processorRef) : { status: "failed", intentId: null, message: "Replaced by a new amount." }, null);
    return startOnlinePayment(ctx, invoice);
  }
  // A buyer who isn't a patient (ADR 037) pays as a guest: no Stripe customer to keep cards on.
  const customerId = invoice.patientId ? await customerFor(ctx, invoice.organizationId, invoice.patientId) : null;
  let payment = earlier;
  if (!payment) {
    const refused = chargeable(invoice, owed);
    if (refused) return refused;
    const id = crypto.randomUUID();
    const held = await hold(ctx, null, invoice, { id, method: "card", amountCents: owed, clientKey: `online-${id}`, takenBy: null }, `Patient paying ${formatMoney(owed)} online`);
    if (!held.ok) return held;
    [payment] = await ctx.db.select().from(payments).where(eq(payments.id, id));
  }
  // The same payment row, the same idempotency key: Stripe gives the same intent back.
  const intent = await gateway.createOnlinePayment({ paymentId: payment.id, organizationId: payment.organizationId, invoiceId: invoice.id, amountCents: payment.amountCents, currency: CURRENCY, description: `Invoice #${invoice.number}`, customerId });
  await settlePayment(ctx, payment, { status: "pending", intentId: intent.intentId }, null);
  return { ok: true, clientSecret: intent.clientSecret, publishableKey: gateway.publishableKey, amount: formatMoney(payment.amountCents) };
}

/** The page Stripe returns the phone to: Stripe's word on the intent, for the payer's own invoice only. */
export async function confirmOnlinePayment(ctx: AppContext, invoice: InvoiceRow | null, intentId: string): Promise<{ ok: true; status: "succeeded" | "failed" | "pending"; message: string | null } | Refusal> {
  const gateway = stripeGateway(ctx.env);
  if (!gateway || !invoice || !/^pi_\w{1,200}$/.test(intentId)) return { ok: false, status: 404, message: "No payment of yours with that id." };
  const [payment] = await ctx.db.select().from(payments).where(and(eq(payments.invoiceId, invoice.id), eq(payments.processor, "stripe"), eq(payments.processorRef, intentId)));
  if (!payment) return { ok: false, status: 404, message: "No payment of yours with that id." };
  if (payment.status === "pending") await settlePayment(ctx, payment, await gateway.retrieveCharge(intentId), null);
  const [now] = await ctx.db.select({ status: payments.status, failureMessage: payments.failureMessage }).from(payments).where(eq(payments.id, payment.id));
  return { ok: true, status: now.status, message: now.failureMessage };
}

/** Where a pay page sends the payer back to once Stripe has answered: what to tell them, as a query. */
export const paidQuery = (confirmed: { status: "succeeded" | "failed" | "pending"; message: string | null }) =>
  confirmed.status === "succeeded" ? "paid=1" : confirmed.status === "pending" ? "processing=1" : `declined=${encodeURIComponent(confirmed.message ?? "")}`;

/**
 * Gives back what unfinished pay pages hold (part of the message job): each intent older than
 * ABANDONED_MS is canceled at Stripe — or, if it succeeded meanwhile, settled as paid.
 */
export async function releaseAbandonedOnlinePayments(ctx: Pick<AppContext, "db" | "clock" | "env" | "ip" | "userAgent">, limit = 20) {
  const gateway = stripeGateway(ctx.env);
  if (!gateway) return { released: 0, stripeCalls: 0 };
  const before = new Date(ctx.clock.now().getTime() - ABANDONED_MS);
  const stale = await ctx.db.select().from(payments).where(and(isOnline, lt(payments.createdAt, before))).limit(limit);
  let released = 0;
  let stripeCalls = 0;
  for (const p of stale) {
    if (p.processorRef) stripeCalls++;
    const outcome = p.processorRef ? await gateway.cancelPayment(p.processorRef) : { status: "failed" as const, intentId: null, message: "Not completed on the pay page." };
    if (await settlePayment(ctx, p, outcome.status === "failed" ? { ...outcome, message: "Not completed on the pay page." } : outcome, null)) released++;
  }
  return { released, stripeCalls };
}
