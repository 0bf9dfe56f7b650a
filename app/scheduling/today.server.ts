import { and, count, eq, gte, lt } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { appointments } from "../../db/schema";
import { moneyInAndOut } from "../checkout/day-report.server";
import { MINUTE } from "./grid-blocks.server";
import { localDateOf, localDay } from "./local-time";
import { freeTimeInputs, providerHours, scheduleResources, type ScheduleLocation } from "./schedule.server";
import { utilization } from "./today";

/**
 * The day's key figures for owners and managers at a location: bookings made today (whenever the
 * visit is), utilization of the providers' working time, no-shows, and the money taken today less
 * what was given back (the day report's rule: succeeded payments, refunds not failed).
 */
export async function keyFigures(ctx: AppContext, session: AuthedSession, location: ScheduleLocation, rows: { status: Parameters<typeof utilization>[0][number]["status"]; startsAt: number; endsAt: number }[]) {
  const today = localDateOf(location.timeZone, ctx.clock.now().getTime());
  const day = localDay(location.timeZone, today);
  const [[made], inputs, resources, taken, given] = await Promise.all([
    ctx.db
      .select({ n: count() })
      .from(appointments)
      .where(and(eq(appointments.organizationId, session.user.organizationId), eq(appointments.locationId, location.id), gte(appointments.createdAt, new Date(day.start)), lt(appointments.createdAt, new Date(day.end)))),
    freeTimeInputs(ctx, session.user.organizationId, location, today),
    scheduleResources(ctx, session.user.organizationId, location.id),
    ...moneyInAndOut(ctx, location.id, new Date(day.start), new Date(day.end)),
  ]);
  const sum = (rows: { cents: number }[]) => rows.reduce((total, r) => total + Number(r.cents), 0);
  const ids = resources.providers.map((p) => p.id);
  const hours = providerHours(inputs, location, today, ids);
  const workingMinutes = ids.reduce((sum, id) => sum + hours.hours.get(id)!.working.reduce((m, [s, e]) => m + (e - s), 0) / MINUTE, 0);
  return { bookingsMade: made?.n ?? 0, utilization: utilization(rows, workingMinutes), workingHours: Math.round(workingMinutes / 6) / 10, noShows: rows.filter((r) => r.status === "no_show").length, takenCents: sum(taken) - sum(given) };
}
