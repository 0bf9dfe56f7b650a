import type { AppContext } from "../lib/context.server";
import type { AuthedSession, LocationOption } from "../auth/guards.server";
import { nextStatuses } from "./lifecycle";
import { addDays, localDay, type LocalDay } from "./local-time";
import { formatClock24, formatTimeOnDay } from "./format";
import { freeTime, freeTimeInputs, listAppointments, scheduleResources, weekOf } from "./schedule.server";
import { ViewCache } from "./view-cache";
import { audit } from "../audit/audit.server";
import { primaryNext } from "./status";
import { boardHtml, cardHtml, type BoardCard, type BoardColumn } from "./board-html.server";

export type ScheduleView = "provider" | "room" | "week";

const views = new ViewCache<Awaited<ReturnType<typeof buildScheduleView>>>();

/**
 * Everything the staff calendar shows for one day (or week) at a location, shaped for the page.
 * The front desk reloads it all day long: the computed view is cached per location, day, view and
 * kind of viewer, valid only at the location's current schedule version. Every read is audited.
 */
export async function loadScheduleView(ctx: AppContext, session: AuthedSession, location: LocationOption, date: string, view: ScheduleView, today: string) {
  const viewer = session.user.role === "provider" ? `provider:${session.user.id}` : session.user.role;
  const key = `${location.id}|${date}|${view}|${viewer}`;
  let built = views.get(key, location.scheduleVersion);
  if (!built) {
    built = await buildScheduleView(ctx, session, location, date, view);
    views.set(key, location.scheduleVersion, built);
  }
  await audit(ctx, { actor: session.user, action: "appointment.list", entityType: "appointment", outcome: "allowed", reason: "schedule" });
  return { ...built, today };
}

/** "9:00 AM–9:30 AM", read on the visit's own local day. */
function timeRange(timeZone: string, day: LocalDay, start: number, end: number) {
  return `${formatTimeOnDay(start, timeZone, day)}–${formatTimeOnDay(end, timeZone, day)}`;
}

type Row = Awaited<ReturnType<typeof listAppointments>>[number];

/** What a card on the day board shows for one visit, and the one-tap next step this viewer may take. */
function boardCard(session: AuthedSession, a: Row, label: (start: number, end: number) => string): BoardCard {
  return {
    id: a.id,
    status: a.status,
    time: label(a.startsAt.getTime(), a.endsAt.getTime()),
    patient: `${a.patientLastName}, ${a.patientFirstName}`,
    flags: [a.lateCancellations ? `${a.lateCancellations} late cancel${a.lateCancellations > 1 ? "s" : ""}` : null, a.noShows ? `${a.noShows} no-show${a.noShows > 1 ? "s" : ""}` : null].filter(Boolean).join(" · "),
    serviceName: a.serviceName,
    next: primaryNext(a.status, nextStatuses(a.status, { userId: session.user.id, role: session.user.role }, { providerId: a.providerId, patientUserId: null })),
  };
}

/**
 * One visit's card on a day, as the board shows it: what a status change with JavaScript answers
 * instead of the whole day (issue 14: 603 KB for a check-in on a 1,000-visit day). Null when the
 * visit is not on that day at this location.
 */
export async function loadBoardCard(ctx: AppContext, session: AuthedSession, location: LocationOption, date: string, appointmentId: string) {
  const [row] = await listAppointments(ctx, session.user, location, date, date, { appointmentId });
  if (!row) return null;
  await audit(ctx, { actor: session.user, action: "appointment.read", entityType: "appointment", entityId: row.id, outcome: "allowed", reason: "schedule" });
  const day = localDay(location.timeZone, date);
  return { id: row.id, html: cardHtml(boardCard(session, row, (start, end) => timeRange(location.timeZone, day, start, end))) };
}

async function buildScheduleView(ctx: AppContext, session: AuthedSession, location: LocationOption, date: string, view: ScheduleView) {
  const days = view === "week" ? weekOf(date) : [date];
  const localDays = days.map((d) => localDay(location.timeZone, d));
  const [rows, resources, inputs] = await Promise.all([
    listAppointments(ctx, session.user, location, days[0], days[days.length - 1]),
    scheduleResources(ctx, session.user.organizationId, location.id),
    view === "provider" ? freeTimeInputs(ctx, session.user.organizationId, location, date) : null,
  ]);
  const free = inputs ? freeTime(inputs, location, date, resources.providers.map((p) => p.id), rows) : new Map<string, [number, number][]>();
  const dayOf = (instant: number) => localDays.find((d) => instant >= d.start && instant < d.end) ?? localDays[0];
  const label = (start: number, end: number) => timeRange(location.timeZone, dayOf(start), start, end);
  const appts = rows.map((a) => ({ ...boardCard(session, a, label), date: dayOf(a.startsAt.getTime()).date, providerId: a.providerId, roomId: a.roomId }));
  const canBook = ["owner", "manager", "front_desk"].includes(session.user.role);
  const base = { location: { name: location.name, timeZone: location.timeZone }, date, view, days, prev: addDays(date, view === "week" ? -7 : -1), next: addDays(date, view === "week" ? 7 : 1), canBook };
  if (view === "week") {
    const names = new Map(resources.providers.map((p) => [p.id, p.name]));
    return { ...base, columns: 0, board: null, week: appts.map((a) => ({ id: a.id, date: a.date, start: a.time.split("–")[0], patient: a.patient, providerName: names.get(a.providerId) ?? "" })) };
  }
  const columns: BoardColumn[] = (view === "room" ? resources.rooms : resources.providers).map((r) => ({
    id: r.id,
    title: r.name,
    cards: appts.filter((a) => (view === "room" ? a.roomId : a.providerId) === r.id),
    free: view === "provider" && canBook ? (free.get(r.id) ?? []).map(([s, e]) => ({ label: label(s, e), href: `/schedule/new?date=${date}&provider=${r.id}&time=${formatClock24(s, location.timeZone)}` })) : null,
  }));
  return { ...base, columns: columns.length, board: boardHtml(columns), week: [] };
}
