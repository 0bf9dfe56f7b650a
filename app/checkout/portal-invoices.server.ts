import { and, desc, eq, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { audit } from "../audit/audit.server";
import { formatDateTime, formatMoney } from "../scheduling/format";
import { invoices, locations } from "../../db/schema";
import { INVOICE_STATUS_LABELS } from "./invoice-page.server";
import { receiptOf } from "./receipt.server";
import { ownInvoice } from "../payments/online.server";
import { stripeGateway } from "../payments/stripe-gateway.server";

/**
 * The patient's side of checkout (issue 12): their issued invoices (a draft at the desk is not
 * shown until it is issued or paid), what they owe, each receipt, and paying online where the
 * clinic takes Stripe. Every read is the patient's own, audited.
 */
export async function portalInvoices(ctx: AppContext, session: AuthedSession) {
  if (!session.patientId) return null;
  const rows = await ctx.db
    .select({ id: invoices.id, number: invoices.number, status: invoices.status, totalCents: invoices.totalCents, paidCents: invoices.paidCents, heldCents: invoices.heldCents, createdAt: invoices.createdAt, location: locations.name, timeZone: locations.timeZone })
    .from(invoices)
    .innerJoin(locations, eq(locations.id, invoices.locationId))
    .where(and(eq(invoices.organizationId, session.user.organizationId), eq(invoices.patientId, session.patientId), sql`${invoices.status} != 'draft'`))
    .orderBy(desc(invoices.createdAt))
    .limit(100);
  await audit(ctx, { actor: session.user, action: "portal.invoices_read", entityType: "patient", entityId: session.patientId, outcome: "allowed" });
  const owed = (r: (typeof rows)[number]) => (r.status === "void" ? 0 : r.totalCents - r.paidCents);
  const owedCents = rows.reduce((sum, r) => sum + owed(r), 0);
  return {
    owed: formatMoney(owedCents),
    owedCents,
    invoices: rows.map((r) => ({ id: r.id, number: r.number, status: INVOICE_STATUS_LABELS[r.status], when: formatDateTime(r.createdAt.getTime(), r.timeZone), location: r.location, total: formatMoney(r.totalCents), owed: owed(r) > 0 ? formatMoney(owed(r)) : null })),
  };
}

/** One of the patient's invoices as its receipt shows it, and whether it can be paid online now. */
export async function portalInvoice(ctx: AppContext, session: AuthedSession, invoiceId: string) {
  const invoice = await ownInvoice(ctx, session, invoiceId);
  if (!invoice) return null;
  const receipt = await receiptOf(ctx, session.user, invoice.id);
  if (!receipt) return null;
  await audit(ctx, { actor: session.user, action: "portal.invoice_read", entityType: "invoice", entityId: invoice.id, outcome: "allowed" });
  const payable = invoice.status !== "void" && invoice.totalCents - invoice.paidCents - invoice.heldCents > 0;
  const { ids: _ids, patient: _patient, ...shown } = receipt;
  return { ...shown, id: invoice.id, payable: payable && stripeGateway(ctx.env) !== null, paysAtDesk: payable && stripeGateway(ctx.env) === null, charging: invoice.heldCents > 0 ? formatMoney(invoice.heldCents) : null };
}
