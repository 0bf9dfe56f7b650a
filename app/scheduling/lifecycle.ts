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
