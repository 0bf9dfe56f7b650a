import { and, gt, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "../lib/context.server";
import { auditInsertIfChanged } from "../audit/audit.server";
import { invoices, organizations } from "../../db/schema";
import { formatMoney } from "../scheduling/format";
import { lineAmountUpdates, lineInserts } from "./invoices.server";
import { priceInvoice } from "./invoice-lines";

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
    const id = crypto.randomUUID();
    const line = { id: crypto.randomUUID(), kind: "service" as const, description: `Late fee on invoice #${overdue.number}`, serviceId: null, productId: null, encounterId: null, providerId: null, quantity: 100, unitCents: overdue.feeCents, taxCategory: "services" as const, taxRate: 0 };
    const totals = priceInvoice([{ ...line, discountKind: null, discountValue: null }], { taxMode: "exclusive", discountKind: null, discountValue: null, tipCents: 0 });
    const [inserted] = await ctx.db.batch([
      ctx.db
        .insert(invoices)
        .values({ id, organizationId: overdue.organizationId, locationId: overdue.locationId, patientId: overdue.patientId, number: sql`(select coalesce(max(number), 0) + 1 from invoices where organization_id = ${overdue.organizationId})`, status: "open", taxMode: "exclusive", subtotalCents: totals.subtotalCents, totalCents: totals.totalCents, lateFeeFor: overdue.id, createdAt: now, issuedAt: now })
        .onConflictDoNothing(),
      auditInsertIfChanged(ctx, ctx.db, { organizationId: overdue.organizationId, action: "invoice.late_fee", entityType: "invoice", entityId: overdue.id }),
      ...lineInserts(ctx, id, overdue.organizationId, [line], 0),
      ...lineAmountUpdates(ctx, totals),
      ctx.db.run(sql`insert into invoice_events (id, invoice_id, organization_id, actor_id, kind, detail, created_at)
        select ${crypto.randomUUID()}, ${id}, ${overdue.organizationId}, null, 'create', ${`Late fee of ${formatMoney(overdue.feeCents)}: invoice #${overdue.number} still owed`}, ${now.getTime()} where exists (select 1 from invoices where id = ${id})`),
    ] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    if ((inserted as { rowsAffected: number }).rowsAffected) added++;
  }
  return added;
}
