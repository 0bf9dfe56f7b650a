import type { AppContext } from "../lib/context.server";
import type { AuthedSession, LocationOption } from "../auth/guards.server";
import { assignLanes, freeCells, gridRange, hourMarks, shadesFor, type DayGrid, type GridColumn } from "./day-grid";
import { blockInterval, blockOf, DESK, MINUTE } from "./grid-blocks.server";
import { formatClock24, formatShortDate, formatTimeOnDay } from "./format";
import { subtract } from "./intervals";
import { OCCUPYING } from "./lifecycle";
import { localDay, type LocalDay } from "./local-time";
import { freeTimeInputs, listAppointments, providerHours, scheduleResources } from "./schedule.server";

/**
 * The week (issue 10): for one provider, a grid with a column per day; for everyone, a compact
 * table of each provider's load per day (visits, booked against working hours). Both from the
 * same rows and hours as the day grid.
 */

const occupies = (status: string) => (OCCUPYING as readonly string[]).includes(status);

export async function buildWeek(ctx: AppContext, session: AuthedSession, location: LocationOption, days: string[], providerId: string | null) {
  const zone = location.timeZone;
  const [rows, resources, inputs] = await Promise.all([
    listAppointments(ctx, session.user, location, days[0], days[days.length - 1]),
    scheduleResources(ctx, session.user.organizationId, location.id),
    freeTimeInputs(ctx, session.user.organizationId, location, days[0], days[days.length - 1]),
  ]);
  const localDays = days.map((d) => localDay(zone, d));
  const dayIndex = (instant: number) => localDays.findIndex((d) => instant >= d.start && instant < d.end);
  const ids = resources.providers.map((p) => p.id);
  const hoursByDay = days.map((d) => providerHours(inputs, location, d, ids));
  const shown = rows.filter((a) => a.status !== "cancelled");
  const providers = resources.providers.map((p) => ({ id: p.id, name: p.name }));

  const load = resources.providers.map((p) => ({
    id: p.id,
    name: p.name,
    days: days.map((date, i) => {
      const mine = shown.filter((a) => a.providerId === p.id && dayIndex(a.startsAt.getTime()) === i);
      const working = hoursByDay[i].hours.get(p.id)!.working.reduce((sum, [s, e]) => sum + (e - s), 0) / MINUTE;
      const booked = mine.filter((a) => occupies(a.status)).reduce((sum, a) => sum + (a.endsAt.getTime() - a.startsAt.getTime()), 0) / MINUTE;
      return { date, visits: mine.length, bookedMinutes: booked, workingMinutes: working, closed: hoursByDay[i].closed };
    }),
  }));
  const provider = providerId ? resources.providers.find((p) => p.id === providerId) : undefined;
  if (!provider) return { providers, load, grid: null, provider: null };

  const canBook = DESK.has(session.user.role);
  const slot = inputs.slotIntervalMinutes;
  const minutesOf = (day: LocalDay, instant: number) => (instant - day.start) / MINUTE;
  const mine = shown.filter((a) => a.providerId === provider.id);
  const spans = days.flatMap((_, i) => [
    ...hoursByDay[i].hours.get(provider.id)!.scheduled.map(([s, e]) => ({ start: minutesOf(localDays[i], s), end: minutesOf(localDays[i], e) })),
    ...mine.filter((a) => dayIndex(a.startsAt.getTime()) === i).map((a) => { const [s, e] = blockInterval(a); return { start: Math.max(0, minutesOf(localDays[i], s)), end: Math.min(1440, minutesOf(localDays[i], e)) }; }),
  ]);
  const range = gridRange(1440, spans);
  const columns: GridColumn[] = days.map((date, i) => {
    const day = localDays[i];
    const own = mine.filter((a) => dayIndex(a.startsAt.getTime()) === i);
    const h = hoursByDay[i].hours.get(provider.id)!;
    const taken = own.filter((a) => occupies(a.status)).map(blockInterval);
    return {
      id: date,
      title: formatShortDate(date),
      date,
      dayStart: day.start,
      blocks: assignLanes(own.map((a) => blockOf(session, a, day, zone))),
      shades: shadesFor(range, day.start, h.scheduled, h.working, hoursByDay[i].closed),
      free: canBook && !hoursByDay[i].closed ? freeCells(subtract(h.working, taken), day.start, Math.max(slot, 15), (t) => formatClock24(t, zone), (t) => formatTimeOnDay(t, zone, day)) : [],
    };
  });
  const grid: DayGrid = { ...range, slotMinutes: slot, hours: hourMarks(range, localDays[0].start, (t) => formatTimeOnDay(t, zone, localDays[0])), columns };
  return { providers, load, grid, provider: { id: provider.id, name: provider.name } };
}
