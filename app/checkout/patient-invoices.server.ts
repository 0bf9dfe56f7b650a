import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { withinActorLocations } from "../auth/scope.server";
import { audit } from "../audit/audit.server";
import { formatDateTime, formatMoney } from "../scheduling/format";
import { invoices, locations } from "../../db/schema";
import { AGE_BUCKETS, BUCKET_LABELS, ageing } from "./ageing";
import { INVOICE_STATUS_LABELS } from "./invoice-page.server";


/** A patient's invoices the actor may see: this organization's, at the actor's locations. */
const invoicesOf = (actor: AuthedSession["user"], patientId: string) => and(eq(invoices.patientId, patientId), eq(invoices.organizationId, actor.organizationId), withinActorLocations(actor, invoices.locationId));

/**
 * What the patient owes on the invoices the actor may see, summed by the database (the record's
 * header): the same rule as the Invoices tab below, every invoice but a void one.
 */
export function owedByPatient(ctx: Pick<AppContext, "db">, actor: AuthedSession["user"], patientId: string) {
  return ctx.db
    .select({ owedCents: sql<number>`coalesce(sum(${invoices.totalCents} - ${invoices.paidCents}), 0)` })
    .from(invoices)
    .where(and(invoicesOf(actor, patientId), ne(invoices.status, "void")));
}

/** A patient's invoices at the actor's locations, what they owe and how old it is; the read is audited. */
export async function patientInvoices(ctx: AppContext, session: AuthedSession, patientId: string) {
  const rows = await ctx.db
    .select({ id: invoices.id, number: invoices.number, status: invoices.status, totalCents: invoices.totalCents, paidCents: invoices.paidCents, refundedCents: invoices.refundedCents, createdAt: invoices.createdAt, issuedAt: invoices.issuedAt, location: locations.name, timeZone: locations.timeZone })
    .from(invoices)
    .innerJoin(locations, eq(locations.id, invoices.locationId))
    .where(invoicesOf(session.user, patientId))
    .orderBy(desc(invoices.createdAt))
    .limit(200);
  await audit(ctx, { actor: session.user, action: "patient.invoices_read", entityType: "patient", entityId: patientId, outcome: "allowed" });
  const owed = (r: (typeof rows)[number]) => (r.status === "void" ? 0 : r.totalCents - r.paidCents);
  const aged = ageing(rows.map((r) => ({ owedCents: owed(r), since: r.issuedAt ?? r.createdAt })), ctx.clock.now());
  return {
    owed: formatMoney(aged.totalCents),
    owedCents: aged.totalCents,
    ageing: AGE_BUCKETS.map((b) => ({ label: BUCKET_LABELS[b], amount: formatMoney(aged.buckets[b]), cents: aged.buckets[b] })),
    invoices: rows.map((r) => ({ id: r.id, number: r.number, status: INVOICE_STATUS_LABELS[r.status], when: formatDateTime(r.createdAt.getTime(), r.timeZone), location: r.location, total: formatMoney(r.totalCents), paid: formatMoney(r.paidCents - r.refundedCents), owed: owed(r) > 0 ? formatMoney(owed(r)) : null })),
  };
}
