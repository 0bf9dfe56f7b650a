import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { can } from "../auth/permissions";
import { audit } from "../audit/audit.server";
import { formatDateTime, formatMoney } from "../scheduling/format";
import { localDateOf } from "../scheduling/local-time";
import { dayReport, expectedInDrawer } from "./day-report.server";
import { INVOICE_STATUS_LABELS } from "./invoice-page.server";
import { METHOD_LABELS } from "./labels";

const signed = (cents: number) => (cents < 0 ? `− ${formatMoney(-cents)}` : cents > 0 ? `+ ${formatMoney(cents)}` : formatMoney(0));

/** The checkout page's data for a location and a day: the report, the drawer, the day's invoices. */
export async function dayPage(ctx: AppContext, session: AuthedSession, location: { id: string; name: string; timeZone: string }, askedDate: string | null) {
  const today = localDateOf(location.timeZone, ctx.clock.now().getTime());
  const date = askedDate && /^\d{4}-\d{2}-\d{2}$/.test(askedDate) && !Number.isNaN(Date.parse(`${askedDate}T00:00:00Z`)) ? askedDate : today;
  const report = await dayReport(ctx, session.user.organizationId, location.id, date, location.timeZone);
  const open = report.drawers.find((d) => d.closedAt === null) ?? null;
  const expected = open ? await expectedInDrawer(ctx, open, ctx.clock.now()) : null;
  // The day's invoices name patients: the read is audited (ids only).
  if (report.invoices.length) await audit(ctx, { actor: session.user, action: "invoice.day_read", entityType: "location", entityId: location.id, outcome: "allowed", reason: date });
  const when = (d: Date) => formatDateTime(d.getTime(), location.timeZone);
  return {
    date,
    today,
    location: location.name,
    byMethod: report.byMethod.map((m) => ({ method: METHOD_LABELS[m.method], taken: formatMoney(m.takenCents), payments: m.payments, refunded: m.refundedCents ? `− ${formatMoney(m.refundedCents)}` : "—", net: formatMoney(m.netCents) })),
    netCents: report.byMethod.reduce((a, m) => a + m.netCents, 0),
    net: formatMoney(report.byMethod.reduce((a, m) => a + m.netCents, 0)),
    sums: { invoices: report.sums.count, subtotal: formatMoney(report.sums.subtotal), discounts: formatMoney(report.sums.discounts), tax: formatMoney(report.sums.tax), tips: formatMoney(report.sums.tips), total: formatMoney(report.sums.total), owed: formatMoney(report.sums.owed), refunds: formatMoney(report.byMethod.reduce((a, m) => a + m.refundedCents, 0)), giftCardsSold: `${formatMoney(report.giftCardsSold?.cents ?? 0)}${report.giftCardsSold?.count ? ` (${report.giftCardsSold.count})` : ""}`, giftCardsRedeemed: formatMoney(report.byMethod.find((m) => m.method === "gift_card")?.takenCents ?? 0), deposits: `${formatMoney(report.depositsTaken?.cents ?? 0)}${report.depositsTaken?.count ? ` (${report.depositsTaken.count})` : ""}` },
    tips: report.tips.map((t) => ({ name: t.name, amount: formatMoney(t.cents) })),
    invoices: report.invoices.map((i) => ({ id: i.id, number: i.number, patient: i.first ? `${i.first} ${i.last}` : `${i.buyer ?? ""} (buyer)`, status: INVOICE_STATUS_LABELS[i.status], total: formatMoney(i.totalCents), owed: i.status === "void" ? null : i.totalCents > i.paidCents ? formatMoney(i.totalCents - i.paidCents) : null, when: when(i.createdAt) })),
    drawer: open && expected ? { opened: when(open.openedAt), float: formatMoney(open.floatCents), cashIn: formatMoney(expected.cashInCents), cashBack: formatMoney(expected.cashBackCents), moves: expected.moves.map((m) => ({ id: m.id, kind: m.kind, amount: formatMoney(m.amountCents), reason: m.reason, when: when(m.createdAt) })), expected: formatMoney(expected.cents) } : null,
    closed: report.drawers
      .filter((d) => d.closedAt !== null)
      .map((d) => ({ id: d.id, opened: when(d.openedAt), closed: when(d.closedAt!), float: formatMoney(d.floatCents), expected: formatMoney(d.expectedCents ?? 0), counted: formatMoney(d.countedCents ?? 0), overShort: signed((d.countedCents ?? 0) - (d.expectedCents ?? 0)), short: (d.countedCents ?? 0) < (d.expectedCents ?? 0), label: (d.countedCents ?? 0) < (d.expectedCents ?? 0) ? "short" : (d.countedCents ?? 0) > (d.expectedCents ?? 0) ? "over" : "exact", note: d.note })),
    canOperate: can(session.user.role, "checkout:invoice:location") && date === today,
  };
}
