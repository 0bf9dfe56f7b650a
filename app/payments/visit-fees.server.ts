import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { withinActorLocations } from "../auth/scope.server";
import { auditInsert } from "../audit/audit.server";
import { appointments, invoices, organizations, patients, savedCards, services } from "../../db/schema";
import { feeInvoiceWrites, type Refusal } from "../checkout/invoices.server";
import { emailReceipt } from "../checkout/receipt-email.server";
import { formatMoney } from "../scheduling/format";
import { cardExpired } from "./cards";
import { brandLabel } from "../checkout/labels";
import { chargeSavedCard } from "./charges.server";
import { stripeGateway } from "./stripe-gateway.server";
import { applyDepositWrites } from "./deposits.server";

type Actor = AuthedSession["user"];
export type FeeKind = "no_show" | "late_cancel";
export const FEE_LABELS: Record<FeeKind, string> = { no_show: "No-show fee", late_cancel: "Late-cancellation fee" };

/**
 * Late-cancellation and no-show fees (ADR 038): the clinic's policy sets the amounts; a visit that
 * ended that way shows the fee to the desk, who confirms it. It goes on the visit's own invoice
 * (one per visit, as checkout's is) and is charged to the patient's default card on file through
 * Stripe, with a receipt; without a card (or without Stripe) the fee is what the patient owes.
 */
export async function visitFee(ctx: AppContext, actor: Actor, appointmentId: string) {
  const stripe = stripeGateway(ctx.env) !== null;
  const [[visit], cards, [invoice]] = await ctx.db.batch([
    ctx.db
      .select({ status: appointments.status, late: appointments.cancelledLate, patientId: appointments.patientId, locationId: appointments.locationId, serviceName: services.name, noShowFee: organizations.noShowFeeCents, lateFee: organizations.lateCancelFeeCents, email: patients.email })
      .from(appointments)
      .innerJoin(organizations, eq(organizations.id, appointments.organizationId))
      .innerJoin(services, eq(services.id, appointments.serviceId))
      .innerJoin(patients, eq(patients.id, appointments.patientId))
      .where(and(eq(appointments.id, appointmentId), eq(appointments.organizationId, actor.organizationId), withinActorLocations(actor, appointments.locationId))),
    ctx.db
      .select()
      .from(savedCards)
      .where(and(eq(savedCards.organizationId, actor.organizationId), sql`${savedCards.patientId} = (select patient_id from appointments where id = ${appointmentId})`, isNull(savedCards.removedAt)))
      .orderBy(desc(savedCards.isDefault), desc(savedCards.createdAt)),
    ctx.db.select({ id: invoices.id, number: invoices.number }).from(invoices).where(and(eq(invoices.appointmentId, appointmentId), eq(invoices.organizationId, actor.organizationId))),
  ]);
  if (!visit) return null;
  const kind: FeeKind | null = visit.status === "no_show" ? "no_show" : visit.status === "cancelled" && visit.late ? "late_cancel" : null;
  const cents = kind === "no_show" ? visit.noShowFee : kind === "late_cancel" ? visit.lateFee : 0;
  if (!kind || cents <= 0) return null;
  const card = stripe ? (cards.find((c) => !cardExpired(c, ctx.clock.now())) ?? null) : null;
  return { kind, cents, label: FEE_LABELS[kind], amount: formatMoney(cents), visit, card: card ? { id: card.id, label: `${brandLabel(card.brand)} •••• ${card.last4}` } : null, invoice: invoice ?? null };
}

export type ChargeFeeAnswer = { ok: true; invoiceId: string; charged: boolean; message: string } | (Refusal & { invoiceId?: string });

export async function chargeVisitFee(ctx: AppContext, actor: Actor, appointmentId: string, paymentKey: string): Promise<ChargeFeeAnswer> {
  const fee = await visitFee(ctx, actor, appointmentId);
  if (!fee) return { ok: false, status: 409, message: "No fee applies to this visit: it isn't a no-show or a late cancellation, or the clinic charges none." };
  if (fee.invoice) return { ok: false, status: 409, invoiceId: fee.invoice.id, message: `This visit already has invoice #${fee.invoice.number}.` };
  const id = crypto.randomUUID();
  // The visit's one invoice (its unique index): a second desk confirming at the same moment writes nothing.
  const { totals, writes } = feeInvoiceWrites(ctx, { id, organizationId: actor.organizationId, locationId: fee.visit.locationId, patientId: fee.visit.patientId, appointmentId, description: `${fee.label} · ${fee.visit.serviceName}`, cents: fee.cents, actorId: actor.id, detail: `${fee.label} of ${fee.amount} confirmed at the desk` });
  const [opened] = await ctx.db.batch([
    ...writes,
    auditInsert(ctx, ctx.db, { actor, action: `invoice.${fee.kind}_fee`, entityType: "appointment", entityId: appointmentId, outcome: "allowed" }),
    // A deposit paid for the visit stands against its fee first (ADR 039).
    ...applyDepositWrites(ctx, appointmentId, id, totals.totalCents),
  ] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  if ((opened as { rowsAffected: number }).rowsAffected === 0) {
    const [theirs] = await ctx.db.select({ id: invoices.id }).from(invoices).where(eq(invoices.appointmentId, appointmentId));
    return { ok: false, status: 409, invoiceId: theirs?.id, message: "Another desk just put the fee on this visit's invoice." };
  }
  const [after] = await ctx.db.select({ paidCents: invoices.paidCents }).from(invoices).where(eq(invoices.id, id));
  const rest = fee.cents - after.paidCents;
  if (rest <= 0) return { ok: true, invoiceId: id, charged: true, message: `${fee.label} of ${fee.amount} taken from the deposit paid online.` };
  if (!fee.card) return { ok: true, invoiceId: id, charged: false, message: `${fee.label} of ${fee.amount} added to what the patient owes.` };
  const charged = await chargeSavedCard(ctx, actor, id, { savedCardId: fee.card.id, amount: rest, paymentKey });
  if (!charged.ok) return { ...charged, invoiceId: id };
  if (charged.status === "failed") return { ok: true, invoiceId: id, charged: false, message: `${fee.card.label} was declined (${charged.message ?? "no reason given"}). The fee is on the invoice for the patient to pay.` };
  // The receipt goes to the patient (when there's an address); the fee stands either way.
  if (charged.status === "succeeded" && fee.visit.email) await emailReceipt(ctx, actor, id);
  return { ok: true, invoiceId: id, charged: charged.status === "succeeded", message: charged.status === "succeeded" ? `${fee.label} of ${fee.amount} charged to ${fee.card.label}. The receipt is on its way.` : `${fee.label} sent to Stripe; the invoice shows it once Stripe answers.` };
}


