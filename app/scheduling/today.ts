import type { AppointmentStatus } from "../../db/schema/scheduling";
import { OCCUPYING } from "./lifecycle";

export interface DayCounts {
  /** Visits on the books today (everything but cancellations). */
  booked: number;
  /** Patients who have come in: checked in, in a room or done. */
  arrived: number;
  /** Checked in, waiting to be taken to a room. */
  waiting: number;
  inRoom: number;
  done: number;
  noShows: number;
}

/** The counts at the top of Today, from the day's visits. */
export function dayCounts(rows: { status: AppointmentStatus }[]): DayCounts {
  const n = (...statuses: AppointmentStatus[]) => rows.filter((r) => statuses.includes(r.status)).length;
  return { booked: rows.length - n("cancelled"), arrived: n("checked_in", "in_room", "completed"), waiting: n("checked_in"), inRoom: n("in_room"), done: n("completed"), noShows: n("no_show") };
}

/**
 * Utilization: the share of the providers' working time today that visits hold (a no-show held the
 * time too; a cancellation gave it back). Null when nobody works today.
 */
export function utilization(rows: { status: AppointmentStatus; startsAt: number; endsAt: number }[], workingMinutes: number): number | null {
  if (workingMinutes <= 0) return null;
  const held = rows.filter((r) => (OCCUPYING as readonly string[]).includes(r.status) || r.status === "no_show").reduce((sum, r) => sum + (r.endsAt - r.startsAt) / 60_000, 0);
  return Math.round((held / workingMinutes) * 100);
}
