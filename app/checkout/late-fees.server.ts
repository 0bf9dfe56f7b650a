import { and, gt, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "../lib/context.server";
import { auditInsertIfChanged } from "../audit/audit.server";
import { invoices, organizations } from "../../db/schema";
import { formatMoney } from "../scheduling/format";
import { feeInvoiceWrites } from "./invoices.server";

const DAY_MS = 86_400_000;

/**
 * Late fees per the clinic's billing settings (issue 12; off by default): an invoice a patient
 * still owes `late_fee_after_days` after it was issued gets one late-fee invoice of its own, for
 * the same patient and location, untaxed — never a second (a unique index on what it is for), and
 * never on a late fee. Part of the message job; each fee is one batch, numbered by its insert.
 */
export async function addDueLateFees(ctx: Pick<AppContext, "db" | "clock" | "ip" | "userAgent">, limit = 20) {
  const now = ctx.clock.now();
  const due = await ctx.db
    .select({ id: invoices.id, number: invoices.number, organizationId: invoices.organizationId, locationId: invoices.locationId, patientId: invoices.patientId, feeCents: organizations.lateFeeCents })
    .from(invoices)
    .innerJoin(organizations, and(sql`${organizations.id} = ${invoices.organizationId}`, gt(organizations.lateFeeCents, 0)))
    .where(
      and(
        isNotNull(invoices.patientId),
        isNull(invoices.lateFeeFor),
        inArray(invoices.status, ["open", "partially_paid"]),
        sql`${invoices.totalCents} > ${invoices.paidCents}`,
        lt(invoices.issuedAt, sql`${now.getTime()} - ${organizations.lateFeeAfterDays} * ${DAY_MS}`),
        sql`not exists (select 1 from invoices f where f.late_fee_for = ${invoices.id})`,
      ),
    )
    .limit(limit);
  let added = 0;
  for (const overdue of due) {
    const { writes } = feeInvoiceWrites(ctx, { id: crypto.randomUUID(), organizationId: overdue.organizationId, locationId: overdue.locationId, patientId: overdue.patientId, lateFeeFor: overdue.id, description: `Late fee on invoice #${overdue.number}`, cents: overdue.feeCents, actorId: null, detail: `Late fee of ${formatMoney(overdue.feeCents)}: invoice #${overdue.number} still owed` });
    // One batch; the other job run's fee, landing first, makes this one write nothing (the audit too).
    const [inserted] = await ctx.db.batch([...writes, auditInsertIfChanged(ctx, ctx.db, { organizationId: overdue.organizationId, action: "invoice.late_fee", entityType: "invoice", entityId: overdue.id })] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    if ((inserted as { rowsAffected: number }).rowsAffected) added++;
  }
  return added;
}
