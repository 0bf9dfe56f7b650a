import type { AppContext } from "../lib/context.server";
import type { AuthedSession, LocationOption } from "../auth/guards.server";
import { addDays, localDateOf, localDay } from "./local-time";
import { blockInterval, blockOf, DESK, MINUTE, timeRange, type Row } from "./grid-blocks.server";
import { formatClock24, formatTimeOnDay } from "./format";
import { freeTimeInputs, listAppointments, providerHours, scheduleResources, weekOf } from "./schedule.server";
import { ViewCache } from "./view-cache";
import { buildWeek } from "./week-view.server";
import { blockHtml, gridHtml } from "./day-grid-html.server";
import { audit } from "../audit/audit.server";
import { assignLanes, freeCells, gridRange, hourMarks, shadesFor, withoutPassedCells, type DayGrid, type GridColumn } from "./day-grid";
import { subtract } from "./intervals";
import { OCCUPYING } from "./lifecycle";

export type ScheduleView = "provider" | "room" | "week";

const views = new ViewCache<Awaited<ReturnType<typeof buildScheduleView>>>();
const markup = new ViewCache<string>();

/**
 * Everything the staff calendar shows for one day (or week) at a location, shaped for the page.
 * The front desk reloads it all day long: the computed view is cached per location, day, view and
 * kind of viewer, valid only at the location's current schedule version, and so is the grid's
 * markup (per cell of the clock too: cells that have passed are not booking links). Every read is
 * audited.
 */
export async function loadScheduleView(ctx: AppContext, session: AuthedSession, location: LocationOption, date: string, view: ScheduleView, today: string, providerId: string | null = null) {
  const viewer = session.user.role === "provider" ? `provider:${session.user.id}` : session.user.role;
  const key = `${location.id}|${date}|${view}|${viewer}|${view === "week" ? (providerId ?? "") : ""}`;
  let built = views.get(key, location.scheduleVersion);
  if (!built) {
    built = await buildScheduleView(ctx, session, location, date, view, providerId);
    views.set(key, location.scheduleVersion, built);
  }
  await audit(ctx, { actor: session.user, action: "appointment.list", entityType: "appointment", outcome: "allowed", reason: "schedule" });
  const now = ctx.clock.now().getTime();
  const nowMinute = built.dayStart !== null && built.dayEnd !== null && now >= built.dayStart && now < built.dayEnd ? (now - built.dayStart) / 60_000 : null;
  let html: string | null = null;
  if (built.grid) {
    // Cells that have passed are dropped when the markup is made: one markup per cell of the clock.
    const cell = Math.max(built.grid.slotMinutes, 15) * 60_000;
    const markupKey = `${key}|${Math.floor(now / cell)}`;
    html = markup.get(markupKey, location.scheduleVersion) ?? null;
    if (html === null) {
      html = gridHtml({ grid: withoutPassedCells(built.grid, now, built.dayStart), date, kind: view === "room" ? "room" : "provider", provider: built.weekOf?.provider?.id });
      markup.set(markupKey, location.scheduleVersion, html);
    }
  }
  const { grid, ...rest } = built;
  // The page needs only the grid's frame; the blocks and cells are in the markup.
  return { ...rest, today, nowMinute, gridHtml: html, frame: grid && { from: grid.from, to: grid.to, slotMinutes: grid.slotMinutes, columns: grid.columns.map((c) => ({ id: c.id, title: c.title, dayStart: c.dayStart ?? null })) } };
}

/**
 * One visit's block on a day, as the grid shows it: what a status change with JavaScript answers
 * instead of the whole day (issue 14). Null when the visit is not on that day at this location.
 */
export async function loadBoardCard(ctx: AppContext, session: AuthedSession, location: LocationOption, date: string, appointmentId: string, view: ScheduleView) {
  const days = view === "week" ? weekOf(date) : [date];
  const [row] = await listAppointments(ctx, session.user, location, days[0], days[days.length - 1], { appointmentId });
  if (!row) return null;
  await audit(ctx, { actor: session.user, action: "appointment.read", entityType: "appointment", entityId: row.id, outcome: "allowed", reason: "schedule" });
  const day = localDay(location.timeZone, localDateOf(location.timeZone, row.startsAt.getTime()));
  return { id: row.id, html: blockHtml(blockOf(session, row, day, location.timeZone), view === "room" ? "room" : "provider") };
}

async function buildScheduleView(ctx: AppContext, session: AuthedSession, location: LocationOption, date: string, view: ScheduleView, providerId: string | null) {
  const days = view === "week" ? weekOf(date) : [date];
  const canBook = DESK.has(session.user.role);
  const base = { location: { name: location.name, timeZone: location.timeZone }, date, view, days, prev: addDays(date, view === "week" ? -7 : -1), next: addDays(date, view === "week" ? 7 : 1), canBook };
  if (view === "week") {
    const week = await buildWeek(ctx, session, location, days, providerId);
    return { ...base, grid: week.grid, dayStart: null, dayEnd: null, closed: false, cancelled: [], weekOf: { providers: week.providers, load: week.load, provider: week.provider } };
  }
  const [rows, resources, inputs] = await Promise.all([
    listAppointments(ctx, session.user, location, date, date),
    scheduleResources(ctx, session.user.organizationId, location.id),
    freeTimeInputs(ctx, session.user.organizationId, location, date),
  ]);
  const providerIds = resources.providers.map((p) => p.id);
  const { day, closed, hours } = providerHours(inputs, location, date, providerIds);
  const dayMinutes = (day.end - day.start) / MINUTE;
  const zone = location.timeZone;
  const labelOf = (instant: number) => formatTimeOnDay(instant, zone, day);
  // Cancelled visits free their time: listed under the grid, not drawn on it.
  const shown = rows.filter((a) => a.status !== "cancelled");
  const blocks = new Map(shown.map((a) => [a.id, blockOf(session, a, day, zone)]));
  const working = [...hours.values()].flatMap((h) => h.scheduled);
  const range = gridRange(dayMinutes, [
    ...working.map(([s, e]) => ({ start: (s - day.start) / MINUTE, end: (e - day.start) / MINUTE })),
    ...shown.map((a) => { const [s, e] = blockInterval(a); return { start: Math.max(0, (s - day.start) / MINUTE), end: Math.min(dayMinutes, (e - day.start) / MINUTE) }; }),
  ]);
  const columnOf = (id: string, title: string, visits: Row[], extra: Pick<GridColumn, "shades" | "free">): GridColumn => ({ id, title, blocks: assignLanes(visits.map((a) => blocks.get(a.id)!)), ...extra });
  let columns: GridColumn[];
  if (view === "room") {
    columns = resources.rooms.map((r) => columnOf(r.id, r.name, shown.filter((a) => a.roomId === r.id), { shades: [], free: [] }));
    // Most visits get their room when they are taken to one: until then they wait in their own column.
    const roomless = shown.filter((a) => a.roomId === null || !resources.rooms.some((r) => r.id === a.roomId));
    if (roomless.length) columns.push(columnOf("no-room", "No room yet", roomless, { shades: [], free: [] }));
  } else {
    columns = resources.providers.map((p) => {
      const own = shown.filter((a) => a.providerId === p.id);
      const h = hours.get(p.id)!;
      const taken = own.filter((a) => (OCCUPYING as readonly string[]).includes(a.status)).map(blockInterval);
      const free = canBook && !closed ? freeCells(subtract(h.working, taken), day.start, Math.max(inputs.slotIntervalMinutes, 15), (t) => formatClock24(t, zone), labelOf) : [];
      return columnOf(p.id, p.name, own, { shades: shadesFor(range, day.start, h.scheduled, h.working, closed), free });
    });
  }
  const grid: DayGrid = { ...range, slotMinutes: inputs.slotIntervalMinutes, hours: hourMarks(range, day.start, labelOf), columns };
  return {
    ...base,
    grid,
    dayStart: day.start,
    dayEnd: day.end,
    closed,
    cancelled: rows.filter((a) => a.status === "cancelled").map((a) => ({ id: a.id, patient: `${a.patientLastName}, ${a.patientFirstName}`, time: blocks.get(a.id)?.time ?? timeRange(zone, day, a.startsAt.getTime(), a.endsAt.getTime()) })),
    weekOf: null,
  };
}
