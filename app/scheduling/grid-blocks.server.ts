import type { AuthedSession } from "../auth/guards.server";
import type { GridBlock } from "./day-grid";
import { formatTimeOnDay } from "./format";
import type { Interval } from "./intervals";
import { nextStatuses } from "./lifecycle";
import type { LocalDay } from "./local-time";
import type { listAppointments } from "./schedule.server";
import { primaryNext } from "./status";
import { visitFlags } from "./visit-flags";

/** A visit as the day and week grids show it: shared by both views and by in-place answers. */

/** "9:00 AM–9:30 AM", read on the visit's own local day. */
export function timeRange(timeZone: string, day: LocalDay, start: number, end: number) {
  return `${formatTimeOnDay(start, timeZone, day)}–${formatTimeOnDay(end, timeZone, day)}`;
}

export type Row = Awaited<ReturnType<typeof listAppointments>>[number];

export const DESK = new Set(["owner", "manager", "front_desk"]);
const MOVABLE = new Set(["requested", "confirmed"]);
export const MINUTE = 60_000;

/** One visit as a block on the grid of `day`, with the one-tap next step this viewer may take. */
export function blockOf(session: AuthedSession, a: Row, day: LocalDay, timeZone: string): Omit<GridBlock, "lane" | "lanes"> {
  const start = (a.startsAt.getTime() - day.start) / MINUTE;
  const end = (a.endsAt.getTime() - day.start) / MINUTE;
  return {
    id: a.id,
    status: a.status,
    patient: `${a.patientLastName}, ${a.patientFirstName}`,
    service: a.serviceName,
    category: a.categoryColor ?? a.category,
    time: timeRange(timeZone, day, a.startsAt.getTime(), a.endsAt.getTime()),
    start,
    end,
    bufferBefore: a.bufferBeforeMinutes,
    bufferAfter: a.bufferAfterMinutes,
    flags: visitFlags(a, { short: true }),
    next: primaryNext(a.status, nextStatuses(a.status, { userId: session.user.id, role: session.user.role }, { providerId: a.providerId, patientUserId: null })),
    movable: DESK.has(session.user.role) && MOVABLE.has(a.status),
  };
}

/** Where a visit sits with its buffers, as an interval of instants. */
export const blockInterval = (a: Row): Interval => [a.startsAt.getTime() - a.bufferBeforeMinutes * MINUTE, a.endsAt.getTime() + a.bufferAfterMinutes * MINUTE];

