import type { AppointmentStatus } from "../../db/schema/scheduling";
import type { Role } from "../../db/schema/accounts";

/**
 * The appointment lifecycle, as one table: which status may follow which, and who may make
 * the change. "own" means a provider on their own appointment, or a patient on theirs.
 */
type Who = Role | "provider_own" | "patient_own";
const DESK: Who[] = ["owner", "manager", "front_desk"];

export const TRANSITIONS: Record<AppointmentStatus, Partial<Record<AppointmentStatus, Who[]>>> = {
  requested: { confirmed: DESK, cancelled: [...DESK, "patient_own"] },
  confirmed: { checked_in: DESK, in_room: [...DESK, "provider_own"], cancelled: [...DESK, "patient_own"], no_show: DESK },
  checked_in: { in_room: [...DESK, "provider_own"], confirmed: DESK, cancelled: DESK },
  in_room: { completed: [...DESK, "provider_own"], checked_in: DESK },
  completed: {},
  cancelled: {},
  no_show: { confirmed: ["owner", "manager"] },
};

export interface TransitionActor {
  userId: string;
  role: Role;
}

export function canTransition(from: AppointmentStatus, to: AppointmentStatus, actor: TransitionActor, appointment: { providerId: string; patientUserId: string | null }): boolean {
  const allowed = TRANSITIONS[from][to];
  if (!allowed) return false;
  if (allowed.includes(actor.role)) return true;
  if (actor.role === "provider" && allowed.includes("provider_own")) return appointment.providerId === actor.userId;
  if (actor.role === "patient" && allowed.includes("patient_own")) return appointment.patientUserId === actor.userId;
  return false;
}

export function nextStatuses(from: AppointmentStatus, actor: TransitionActor, appointment: { providerId: string; patientUserId: string | null }): AppointmentStatus[] {
  return (Object.keys(TRANSITIONS[from]) as AppointmentStatus[]).filter((to) => canTransition(from, to, actor, appointment));
}

/** Statuses that hold time on the calendar. */
export const OCCUPYING: readonly AppointmentStatus[] = ["requested", "confirmed", "checked_in", "in_room", "completed"];

/** Patients may not change a visit themselves within the location's cut-off (e.g. 24 h). */
export function withinSelfServiceCutoff(startsAt: number, now: number, cutoffHours: number) {
  return startsAt - now < cutoffHours * 3600_000;
}

/** How early the desk can check a patient in without being asked to confirm. */
export const EARLY_CHECK_IN_MINUTES = 60;

/**
 * Minutes until the visit when checking in now would be unusually early (more than an hour
 * ahead, or another day: usually the wrong row tapped); null when it is a normal check-in.
 */
export function earlyCheckInMinutes(startsAt: number, now: number): number | null {
  const ahead = Math.round((startsAt - now) / 60_000);
  return ahead > EARLY_CHECK_IN_MINUTES ? ahead : null;
}

/** "2 h 10 min", "45 min", "3 days" — how far ahead something is, for people. */
export function durationWords(minutes: number): string {
  if (minutes >= 48 * 60) return `${Math.round(minutes / 1440)} days`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : "", m || !h ? `${m} min` : ""].filter(Boolean).join(" ");
}
