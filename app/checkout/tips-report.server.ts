import { and, asc, eq, gte, lt, ne } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { audit } from "../audit/audit.server";
import { formatCalendarDate, formatMoney } from "../scheduling/format";
import { addDays, localDateOf, localToInstant } from "../scheduling/local-time";
import { invoices, invoiceTips, organizations, users } from "../../db/schema";
import { payPeriodOf, shiftPeriod } from "./pay-periods";

/**
 * Tips per provider for one pay period at a location (issue 12): what each was given on invoices
 * paid in the period (money collected, not merely invoiced), as payroll needs it.
 */
export async function tipsReport(ctx: AppContext, session: AuthedSession, location: { id: string; name: string; timeZone: string }, date: string | null) {
  const today = localDateOf(location.timeZone, ctx.clock.now().getTime());
  const day = date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : today;
  // The clinic's pay period and the tips paid around the day, read together (one round trip): no
  // period is longer than a month, so 35 days either side holds it; the period is cut below.
  const around = (days: number) => new Date(localToInstant(location.timeZone, addDays(day, days), 0));
  const [[org], paid] = await ctx.db.batch([
    ctx.db.select({ kind: organizations.payPeriod, anchor: organizations.payPeriodAnchor }).from(organizations).where(eq(organizations.id, session.user.organizationId)),
    ctx.db
      .select({ providerId: invoiceTips.providerId, name: users.name, cents: invoiceTips.cents, invoiceId: invoiceTips.invoiceId, paidAt: invoices.paidAt })
      .from(invoiceTips)
      .innerJoin(invoices, eq(invoices.id, invoiceTips.invoiceId))
      .innerJoin(users, eq(users.id, invoiceTips.providerId))
      .where(and(eq(invoices.organizationId, session.user.organizationId), eq(invoices.locationId, location.id), ne(invoices.status, "void"), gte(invoices.paidAt, around(-35)), lt(invoices.paidAt, around(36))))
      .orderBy(asc(users.name)),
  ]);
  const period = payPeriodOf(org.kind, org.anchor, day);
  const from = localToInstant(location.timeZone, period.start, 0);
  const to = localToInstant(location.timeZone, addDays(period.end, 1), 0);
  const byProvider = new Map<string, { name: string; cents: number; invoices: Set<string> }>();
  for (const t of paid) {
    const at = t.paidAt!.getTime();
    if (at < from || at >= to || t.cents === 0) continue;
    const row = byProvider.get(t.providerId) ?? { name: t.name, cents: 0, invoices: new Set<string>() };
    row.cents += t.cents;
    row.invoices.add(t.invoiceId);
    byProvider.set(t.providerId, row);
  }
  const rows = [...byProvider.values()].map((r) => ({ name: r.name, cents: r.cents, invoices: r.invoices.size }));
  await audit(ctx, { actor: session.user, action: "report.tips", entityType: "location", entityId: location.id, outcome: "allowed" });
  const total = rows.reduce((a, r) => a + r.cents, 0);
  return {
    location: location.name,
    period: `${formatCalendarDate(period.start)} – ${formatCalendarDate(period.end)}`,
    kind: org.kind,
    previous: shiftPeriod(org.kind, org.anchor, day, -1).start,
    next: period.end < today ? shiftPeriod(org.kind, org.anchor, day, 1).start : null,
    rows: rows.map((r) => ({ name: r.name, amount: formatMoney(r.cents), invoices: r.invoices })),
    total: formatMoney(total),
  };
}
