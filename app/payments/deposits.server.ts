import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { withinActorLocations } from "../auth/scope.server";
import { auditInsert, auditInsertIfChanged } from "../audit/audit.server";
import { appointments, deposits, savedCards, services } from "../../db/schema";
import type { Refusal } from "../checkout/invoices.server";
import { formatMoney } from "../scheduling/format";
import { recomputeInvoice } from "./settle.server";
import { CURRENCY } from "./charges.server";
import { customerFor } from "./saved-cards.server";
import { stripeGateway, type ChargeOutcome } from "./stripe-gateway.server";

type Session = AuthedSession & { patientId?: string | null };
type DepositRow = typeof deposits.$inferSelect;
const LIVE = ["pending", "paid", "applied"] as const;

/**
 * Deposits at online booking (ADR 039). A service can ask for a deposit (its `deposit_cents`) or a
 * card on file when booked online. The patient pays the deposit on their visit's page with the
 * Payment Element; Stripe holds the money until checkout, where it becomes a card payment on the
 * visit's invoice (the same PaymentIntent, so a refund of it goes back to that card) — or stands
 * against the visit's late-cancellation or no-show fee. Cancelled in time, it is refunded.
 */
export async function visitAsks(ctx: Pick<AppContext, "db" | "env">, organizationId: string, appointmentId: string) {
  const [[visit], live, [card]] = await ctx.db.batch([
    ctx.db
      .select({ id: appointments.id, status: appointments.status, patientId: appointments.patientId, locationId: appointments.locationId, cancelledLate: appointments.cancelledLate, deposit: services.depositCents, cardRequired: services.cardRequired, serviceName: services.name })
      .from(appointments)
      .innerJoin(services, eq(services.id, appointments.serviceId))
      .where(and(eq(appointments.id, appointmentId), eq(appointments.organizationId, organizationId))),
    ctx.db.select().from(deposits).where(and(eq(deposits.appointmentId, appointmentId), inArray(deposits.status, [...LIVE, "refunded"]))),
    ctx.db.select({ id: savedCards.id }).from(savedCards).where(and(eq(savedCards.organizationId, organizationId), sql`${savedCards.patientId} = (select patient_id from appointments where id = ${appointmentId})`, isNull(savedCards.removedAt))).limit(1),
  ]);
  if (!visit) return null;
  const stripe = stripeGateway(ctx.env) !== null;
  const deposit = live.find((d) => LIVE.includes(d.status as (typeof LIVE)[number])) ?? live.find((d) => d.status === "refunded") ?? null;
  const open = visit.status === "requested" || visit.status === "confirmed";
  return {
    visit,
    deposit,
    /** What the patient still has to do online for this visit (only with online payments). */
    depositDue: stripe && open && visit.deposit > 0 && (!deposit || deposit.status === "pending") ? visit.deposit : 0,
    cardDue: stripe && open && visit.cardRequired && !card,
  };
}

/** The patient starts (or picks up) paying their visit's deposit. */
export async function startDeposit(ctx: AppContext, session: Session, appointmentId: string): Promise<{ ok: true; clientSecret: string; publishableKey: string; amount: string } | Refusal> {
  const gateway = stripeGateway(ctx.env);
  const asks = await visitAsks(ctx, session.user.organizationId, appointmentId);
  if (!gateway || !asks || !session.patientId || asks.visit.patientId !== session.patientId) return { ok: false, status: 404, message: "We couldn't find that visit." };
  if (!asks.depositDue) return { ok: false, status: 409, message: asks.deposit?.status === "paid" || asks.deposit?.status === "applied" ? "Your deposit is already paid." : "This visit doesn't need a deposit." };
  let deposit = asks.deposit?.status === "pending" ? asks.deposit : null;
  if (!deposit) {
    const id = crypto.randomUUID();
    await ctx.db.batch([
      ctx.db.insert(deposits).values({ id, organizationId: session.user.organizationId, appointmentId, patientId: session.patientId, amountCents: asks.depositDue, createdAt: ctx.clock.now() }).onConflictDoNothing(),
      auditInsertIfChanged(ctx, ctx.db, { actor: session.user, action: "deposit.start", entityType: "appointment", entityId: appointmentId }),
    ]);
    [deposit] = await ctx.db.select().from(deposits).where(and(eq(deposits.appointmentId, appointmentId), inArray(deposits.status, [...LIVE])));
    if (deposit.status !== "pending") return { ok: false, status: 409, message: "Your deposit is already paid." };
  }
  const customerId = await customerFor(ctx, deposit.organizationId, deposit.patientId);
  // The deposit's row is the idempotency key: opening the page again gives the same intent back.
  const intent = await gateway.createOnlinePayment({ paymentId: deposit.id, organizationId: deposit.organizationId, invoiceId: "", amountCents: deposit.amountCents, currency: CURRENCY, description: `Deposit · ${asks.visit.serviceName}`, customerId });
  if (!deposit.stripeIntent) await ctx.db.update(deposits).set({ stripeIntent: intent.intentId }).where(and(eq(deposits.id, deposit.id), isNull(deposits.stripeIntent)));
  return { ok: true, clientSecret: intent.clientSecret, publishableKey: gateway.publishableKey, amount: formatMoney(deposit.amountCents) };
}

/** Stripe's answer on a deposit, made final once (the page's return and the webhook may both bring it). */
export async function settleDeposit(ctx: Pick<AppContext, "db" | "clock" | "ip" | "userAgent">, deposit: Pick<DepositRow, "id" | "organizationId" | "appointmentId">, outcome: ChargeOutcome) {
  if (outcome.status === "pending") return false;
  const card = outcome.status === "succeeded" ? outcome.card : null;
  const [changed] = await ctx.db.batch([
    ctx.db
      .update(deposits)
      .set({ status: outcome.status === "succeeded" ? "paid" : "failed", paidAt: outcome.status === "succeeded" ? ctx.clock.now() : null, cardBrand: card?.brand ?? null, cardLast4: card?.last4 ?? null, stripeIntent: sql`coalesce(${deposits.stripeIntent}, ${outcome.intentId})` })
      .where(and(eq(deposits.id, deposit.id), eq(deposits.status, "pending"))),
    auditInsertIfChanged(ctx, ctx.db, { organizationId: deposit.organizationId, action: outcome.status === "succeeded" ? "deposit.paid" : "deposit.fail", entityType: "appointment", entityId: deposit.appointmentId }),
  ]);
  return (changed as { rowsAffected: number }).rowsAffected > 0;
}

/** The page Stripe returns the patient to: Stripe's word on their deposit. */
export async function confirmDeposit(ctx: AppContext, session: Session, appointmentId: string, intentId: string) {
  const gateway = stripeGateway(ctx.env);
  if (!gateway || !session.patientId || !/^pi_\w{1,200}$/.test(intentId)) return null;
  const [deposit] = await ctx.db.select().from(deposits).where(and(eq(deposits.appointmentId, appointmentId), eq(deposits.patientId, session.patientId), eq(deposits.stripeIntent, intentId)));
  if (!deposit) return null;
  if (deposit.status === "pending") await settleDeposit(ctx, deposit, await gateway.retrieveCharge(intentId));
  const [now] = await ctx.db.select({ status: deposits.status }).from(deposits).where(eq(deposits.id, deposit.id));
  return now.status;
}

/** A webhook's PaymentIntent that was a deposit's (its metadata names the deposit row). */
export async function depositOfIntent(ctx: Pick<AppContext, "db">, paymentId: string | undefined, organizationId: string | undefined, intentId: string) {
  if (!paymentId || !organizationId) return null;
  const [deposit] = await ctx.db.select().from(deposits).where(and(eq(deposits.id, paymentId), eq(deposits.organizationId, organizationId), sql`(${deposits.stripeIntent} is null or ${deposits.stripeIntent} = ${intentId})`));
  return deposit ?? null;
}

/**
 * The visit's paid deposit onto its invoice, for a batch that has just written the invoice: a
 * succeeded card payment on the deposit's PaymentIntent, up to `capCents` (the invoice's total),
 * the deposit marked applied, and the invoice's paid amount recomputed — each only if there was a
 * paid deposit, so a visit without one writes nothing.
 */
export function applyDepositWrites(ctx: Pick<AppContext, "db" | "clock">, appointmentId: string, invoiceId: string, capCents: number): BatchItem<"sqlite">[] {
  const now = ctx.clock.now().getTime();
  return [
    ctx.db.run(sql`insert into payments (id, organization_id, location_id, invoice_id, method, amount_cents, change_cents, status, processor, processor_ref, card_brand, card_last4, client_key, created_at, settled_at)
      select ${crypto.randomUUID()}, d.organization_id, i.location_id, i.id, 'card', min(d.amount_cents, ${capCents}), 0, 'succeeded', 'stripe', d.stripe_intent, d.card_brand, d.card_last4, 'deposit-' || d.id, ${now}, ${now}
      from deposits d join invoices i on i.id = ${invoiceId} and i.appointment_id = d.appointment_id
      where d.appointment_id = ${appointmentId} and d.status = 'paid' and ${capCents} > 0`),
    ctx.db.run(sql`insert into invoice_events (id, invoice_id, organization_id, actor_id, kind, detail, created_at)
      select ${crypto.randomUUID()}, ${invoiceId}, d.organization_id, null, 'payment', 'Deposit paid online applied: ' || (case when d.card_brand is null then 'card' else d.card_brand end) || ' •••• ' || coalesce(d.card_last4, '????'), ${now}
      from deposits d where d.appointment_id = ${appointmentId} and d.status = 'paid' and changes() > 0`),
    ctx.db.update(deposits).set({ status: "applied", appliedInvoiceId: invoiceId }).where(and(eq(deposits.appointmentId, appointmentId), eq(deposits.status, "paid"), sql`exists (select 1 from payments where invoice_id = ${invoiceId} and client_key = 'deposit-' || ${deposits.id})`)),
    recomputeInvoice(ctx, invoiceId, new Date(now)),
  ];
}

/** A visit cancelled in time: its paid deposit goes back to the card (the desk, or the job). */
export async function refundDeposit(ctx: AppContext, actor: AuthedSession["user"], appointmentId: string): Promise<{ ok: true; message: string } | Refusal> {
  const gateway = stripeGateway(ctx.env);
  const [[visit], [deposit]] = await ctx.db.batch([
    ctx.db.select({ status: appointments.status, late: appointments.cancelledLate }).from(appointments).where(and(eq(appointments.id, appointmentId), eq(appointments.organizationId, actor.organizationId), withinActorLocations(actor, appointments.locationId))),
    ctx.db.select().from(deposits).where(and(eq(deposits.appointmentId, appointmentId), eq(deposits.organizationId, actor.organizationId), eq(deposits.status, "paid"))),
  ]);
  if (!visit) return { ok: false, status: 404, message: "No appointment with that id at your locations." };
  if (!deposit || !deposit.stripeIntent) return { ok: false, status: 409, message: "There's no paid deposit to refund on this visit." };
  if (visit.status !== "cancelled" || visit.late) return { ok: false, status: 409, message: visit.status === "cancelled" ? "This visit was cancelled late: its deposit stands against the late-cancellation fee." : "The deposit is applied to the visit's invoice at checkout; refund it from there." };
  if (!gateway) return { ok: false, status: 409, message: "Stripe isn't reachable from this clinic's setup now; refund the deposit from the Stripe dashboard." };
  const outcome = await gateway.refund({ refundId: deposit.id, intentId: deposit.stripeIntent, amountCents: deposit.amountCents, organizationId: deposit.organizationId, paymentId: deposit.id });
  if (outcome.status === "failed" || outcome.status === "canceled") return { ok: false, status: 409, message: `Stripe didn't refund it: ${outcome.message ?? "no reason given"}.` };
  await ctx.db.batch([
    ctx.db.update(deposits).set({ status: "refunded", refundedAt: ctx.clock.now() }).where(and(eq(deposits.id, deposit.id), eq(deposits.status, "paid"))),
    auditInsert(ctx, ctx.db, { actor, action: "deposit.refund", entityType: "appointment", entityId: appointmentId, outcome: "allowed" }),
  ]);
  return { ok: true, message: `Deposit of ${formatMoney(deposit.amountCents)} refunded to the card${deposit.cardLast4 ? ` •••• ${deposit.cardLast4}` : ""}.` };
}


