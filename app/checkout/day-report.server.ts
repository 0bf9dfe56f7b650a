import { and, asc, desc, eq, gte, lt, ne, sql, inArray } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { addDays, localToInstant } from "../scheduling/local-time";
import { appointments, cashDrawers, deposits, drawerMovements, giftCardEntries, invoices, invoiceTips, patients, payments, refunds, users } from "../../db/schema";

/** The day's latest invoices listed on the page (the totals count them all). */
export const INVOICES_SHOWN = 50;

/**
 * The end of the day at one location (issue 12): money in by method less money back, tips per
 * provider, discounts, tax, the day's invoices, and the drawer. Every figure is a sum the database
 * does over the day's rows (UTC instants between the location's local midnights), read at once.
 */
export async function dayReport(ctx: Pick<AppContext, "db">, organizationId: string, locationId: string, date: string, timeZone: string) {
  const from = new Date(localToInstant(timeZone, date, 0));
  const to = new Date(localToInstant(timeZone, addDays(date, 1), 0));
  const inDay = (column: typeof invoices.createdAt) => and(gte(column, from), lt(column, to));
  const [taken, given, sums, tips, list, drawers, [sold], [deposited]] = await Promise.all([
    ...moneyInAndOut(ctx, locationId, from, to),
    ctx.db
      .select({ count: sql<number>`count(*)`, subtotal: sql<number>`coalesce(sum(${invoices.subtotalCents}), 0)`, discounts: sql<number>`coalesce(sum(${invoices.discountCents}), 0)`, tax: sql<number>`coalesce(sum(${invoices.taxCents}), 0)`, tips: sql<number>`coalesce(sum(${invoices.tipCents}), 0)`, total: sql<number>`coalesce(sum(${invoices.totalCents}), 0)`, owed: sql<number>`coalesce(sum(${invoices.totalCents} - ${invoices.paidCents}), 0)` })
      .from(invoices)
      .where(and(eq(invoices.locationId, locationId), ne(invoices.status, "void"), inDay(invoices.createdAt))),
    ctx.db
      .select({ name: users.name, cents: sql<number>`sum(${invoiceTips.cents})` })
      .from(invoiceTips)
      .innerJoin(invoices, eq(invoices.id, invoiceTips.invoiceId))
      .innerJoin(users, eq(users.id, invoiceTips.providerId))
      .where(and(eq(invoices.locationId, locationId), ne(invoices.status, "void"), inDay(invoices.createdAt)))
      .groupBy(invoiceTips.providerId)
      .orderBy(asc(users.name)),
    ctx.db
      .select({ id: invoices.id, number: invoices.number, status: invoices.status, totalCents: invoices.totalCents, paidCents: invoices.paidCents, first: patients.firstName, last: patients.lastName, buyer: invoices.buyerName, createdAt: invoices.createdAt })
      .from(invoices)
      .leftJoin(patients, eq(patients.id, invoices.patientId))
      .where(and(eq(invoices.locationId, locationId), inDay(invoices.createdAt)))
      .orderBy(desc(invoices.createdAt))
      .limit(INVOICES_SHOWN),
    ctx.db
      .select()
      .from(cashDrawers)
      .where(and(eq(cashDrawers.locationId, locationId), eq(cashDrawers.organizationId, organizationId), sql`(${cashDrawers.openedAt} < ${to.getTime()} and (${cashDrawers.closedAt} is null or ${cashDrawers.closedAt} >= ${from.getTime()}))`))
      .orderBy(asc(cashDrawers.openedAt)),
    // Gift card value sold here (bought or reloaded, once its invoice was paid); what was spent is the gift card method above.
    ctx.db
      .select({ count: sql<number>`count(*)`, cents: sql<number>`coalesce(sum(${giftCardEntries.amountCents}), 0)` })
      .from(giftCardEntries)
      .innerJoin(invoices, eq(invoices.id, giftCardEntries.invoiceId))
      .where(and(eq(invoices.locationId, locationId), inArray(giftCardEntries.kind, ["issue", "reload"]), gte(giftCardEntries.createdAt, from), lt(giftCardEntries.createdAt, to))),
    // Deposits patients paid online today for visits here (ADR 039); at checkout they count as card payments.
    ctx.db
      .select({ count: sql<number>`count(*)`, cents: sql<number>`coalesce(sum(${deposits.amountCents}), 0)` })
      .from(deposits)
      .innerJoin(appointments, eq(appointments.id, deposits.appointmentId))
      .where(and(eq(appointments.locationId, locationId), inArray(deposits.status, ["paid", "applied", "refunded"]), gte(deposits.paidAt, from), lt(deposits.paidAt, to))),
  ]);
  const methods = [...new Set([...taken.map((t) => t.method), ...given.map((g) => g.method)])];
  const byMethod = methods.map((method) => {
    const inCents = taken.find((t) => t.method === method)?.cents ?? 0;
    const outCents = given.find((g) => g.method === method)?.cents ?? 0;
    return { method, takenCents: inCents, payments: taken.find((t) => t.method === method)?.count ?? 0, refundedCents: outCents, netCents: inCents - outCents };
  });
  return { from, to, byMethod, sums: sums[0], tips, invoices: list, drawers, giftCardsSold: sold, depositsTaken: deposited };
}

/**
 * Money taken (succeeded payments) and given back (refunds, unless they failed or were canceled)
 * at a location between two instants, by method: the day report's rule, and Today's "Taken today".
 */
export function moneyInAndOut(ctx: Pick<AppContext, "db">, locationId: string, from: Date, to: Date) {
  return [
    ctx.db
      .select({ method: payments.method, cents: sql<number>`sum(${payments.amountCents})`, count: sql<number>`count(*)` })
      .from(payments)
      .where(and(eq(payments.locationId, locationId), eq(payments.status, "succeeded"), gte(payments.createdAt, from), lt(payments.createdAt, to)))
      .groupBy(payments.method),
    ctx.db
      .select({ method: refunds.method, cents: sql<number>`sum(${refunds.amountCents})`, count: sql<number>`count(*)` })
      .from(refunds)
      // A Stripe refund that failed or was canceled gave nothing back.
      .where(and(eq(refunds.locationId, locationId), inArray(refunds.status, ["pending", "succeeded"]), gte(refunds.createdAt, from), lt(refunds.createdAt, to)))
      .groupBy(refunds.method),
  ] as const;
}

/**
 * What a drawer should hold now (or held at `until`): its float, cash taken less cash refunded at
 * its location while it was open, and cash put in less taken out.
 */
export async function expectedInDrawer(ctx: Pick<AppContext, "db">, drawer: typeof cashDrawers.$inferSelect, until: Date) {
  const [[cashIn], [cashBack], moves] = await Promise.all([
    ctx.db.select({ cents: sql<number>`coalesce(sum(${payments.amountCents}), 0)` }).from(payments).where(and(eq(payments.locationId, drawer.locationId), eq(payments.method, "cash"), eq(payments.status, "succeeded"), gte(payments.createdAt, drawer.openedAt), lt(payments.createdAt, until))),
    ctx.db.select({ cents: sql<number>`coalesce(sum(${refunds.amountCents}), 0)` }).from(refunds).where(and(eq(refunds.locationId, drawer.locationId), eq(refunds.method, "cash"), gte(refunds.createdAt, drawer.openedAt), lt(refunds.createdAt, until))),
    ctx.db.select().from(drawerMovements).where(eq(drawerMovements.drawerId, drawer.id)).orderBy(asc(drawerMovements.createdAt)),
  ]);
  const movedCents = moves.reduce((a, m) => a + (m.kind === "in" ? m.amountCents : -m.amountCents), 0);
  return { cents: drawer.floatCents + cashIn.cents - cashBack.cents + movedCents, cashInCents: cashIn.cents, cashBackCents: cashBack.cents, moves };
}
