import { and, eq, sql } from "drizzle-orm";
import { withinActorLocations } from "../auth/scope.server";
import type { AppContext } from "../lib/context.server";
import { exclusiveWrite, whenTaken, type ExclusiveDb } from "../lib/exclusive-write.server";
import { appointmentEvents, appointments, locations, patients } from "../../db/schema";
import { audit, auditInsert } from "../audit/audit.server";
import { computeAvailability } from "./availability";
import { loadAvailabilityRequest } from "./availability.server";
import { loadBookingInputs, planBooking, type BookingActor, type BookingResult } from "./booking.server";
import { composeAppointmentMessages, loadMessageFacts } from "../messaging/appointment-messages.server";
import { messageInsert } from "../messaging/outbox.server";
import { withinSelfServiceCutoff } from "./lifecycle";
import { offerAppointmentTime } from "../waitlist/offers.server";
import { formatDateTime } from "./format";
import { addDays, localDateOf, localToInstant, minuteOfDayAt } from "./local-time";
import { providersFor } from "../booking/booking-flow.server";

/** Only a visit that has not started yet can move. */
const MOVABLE = new Set(["requested", "confirmed"]);
const DESK = new Set(["owner", "manager", "front_desk"]);

export interface MoveTarget {
  /** The new start, or (override) a local day and minute at the visit's location, turned into one there. */
  startsAt: number | { date: string; minutes: number };
  /** Null for "any provider who performs the service". */
  providerId: string | null;
  /** Staff only: outside shifts and notice rules (never over another appointment). */
  overrideReason?: string | null;
  /** A new length in minutes; otherwise a move keeps the visit's current length. */
  durationMinutes?: number;
}

async function findMovable(ctx: { db: Pick<ExclusiveDb, "select"> }, actor: BookingActor, appointmentId: string) {
  const [row] = await ctx.db
    .select({
      id: appointments.id,
      status: appointments.status,
      locationId: appointments.locationId,
      serviceId: appointments.serviceId,
      providerId: appointments.providerId,
      patientId: appointments.patientId,
      patientUserId: patients.userId,
      startsAt: appointments.startsAt,
      endsAt: appointments.endsAt,
      blockStart: appointments.blockStart,
      blockEnd: appointments.blockEnd,
      timeZone: locations.timeZone,
      cutoffHours: locations.selfServiceCutoffHours,
      phone: locations.phone,
    })
    .from(appointments)
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .innerJoin(locations, eq(locations.id, appointments.locationId))
    .where(and(eq(appointments.id, appointmentId), eq(appointments.organizationId, actor.organizationId), withinActorLocations(actor, appointments.locationId)));
  if (!row) return null;
  if (actor.role === "patient" ? row.patientUserId !== actor.id : !DESK.has(actor.role)) return null;
  return row;
}

type Movable = NonNullable<Awaited<ReturnType<typeof findMovable>>>;

/** Why this actor may not move this visit now, or null when they may. */
function refusal(row: Movable, actor: BookingActor, now: number): { code: "forbidden" | "unavailable"; message: string } | null {
  if (!MOVABLE.has(row.status)) return { code: "unavailable", message: "Only a visit that hasn't started can be moved." };
  if (actor.role === "patient" && withinSelfServiceCutoff(row.startsAt.getTime(), now, row.cutoffHours)) {
    return { code: "forbidden", message: `Visits can't be cancelled or changed online within ${row.cutoffHours} hours of the start. Please call the clinic at ${row.phone}.` };
  }
  return null;
}

/**
 * Open times to move a visit to, for one local day: the same service, honouring every rule,
 * with the visit's own current time counted as free.
 */
export async function movableSlots(ctx: AppContext, actor: BookingActor, appointmentId: string, date: string | null, providerId: string | null) {
  const now = ctx.clock.now().getTime();
  // The visit, its service's providers and the open times are read at once, the latter two keyed
  // by the visit in SQL (each query is a round trip on Turso). Without a chosen day the open times
  // are today's at the visit's location: the UTC days around now cover it in any zone.
  const ofVisit = (column: "location_id" | "service_id") => sql`(select ${sql.raw(column)} from ${appointments} where ${appointments.id} = ${appointmentId} and ${appointments.organizationId} = ${actor.organizationId})`;
  const utcToday = new Date(now).toISOString().slice(0, 10);
  const [row, providers, loaded] = await Promise.all([
    findMovable(ctx, actor, appointmentId),
    providersFor(ctx, actor.organizationId, ofVisit("location_id"), ofVisit("service_id")),
    loadAvailabilityRequest(ctx.db, { organizationId: actor.organizationId, locationId: ofVisit("location_id"), serviceId: ofVisit("service_id"), providerId, fromDate: date ?? addDays(utcToday, -1), toDate: date ?? addDays(utcToday, 1), now, excludeAppointmentId: appointmentId }),
  ]);
  if (!row) return null;
  const blocked = refusal(row, actor, now);
  const day = date ?? localDateOf(row.timeZone, now);
  const base = { date: day, timeZone: row.timeZone, currentProviderId: row.providerId, providers, today: localDateOf(row.timeZone, now) };
  if (blocked) return { ...base, blocked: blocked.message, slots: [] };
  const req = loaded && { ...loaded, fromDate: day, toDate: day };
  const [slots] = req ? computeAvailability(req) : [];
  return { ...base, blocked: null, slots: (slots?.slots ?? []).map((s) => ({ start: s.start, providerIds: s.providerIds })), maxDate: addDays(base.today, req?.location.maxAdvanceDays ?? 90) };
}

/**
 * Moves a visit to a new time (and perhaps provider). Like a booking, the check and the write
 * happen in one exclusive write, so a move can never land on time someone else just took.
 * Patients cannot move a visit within the location's cut-off. The visit, the open times around
 * the new start and what its message says are read at once (keyed by the visit in SQL); the move,
 * its history, its audit event and the patient's message commit in one batch.
 */
export async function rescheduleAppointment(ctx: AppContext, actor: BookingActor, appointmentId: string, target: MoveTarget): Promise<BookingResult & { timeZone?: string }> {
  const now = ctx.clock.now().getTime();
  const action = target.overrideReason ? "appointment.reschedule_override" : "appointment.reschedule";
  const auditOf = (ok: boolean, reason?: string) => ({ actor, action, entityType: "appointment", entityId: appointmentId.slice(0, 64), outcome: ok ? ("allowed" as const) : ("denied" as const), reason });
  if (target.overrideReason && !DESK.has(actor.role)) return { ok: false, code: "forbidden", message: "Only the front desk or a manager can book outside availability.", alternatives: [] };
  let freed: { organizationId: string; locationId: string; providerId: string; blockStart: Date; blockEnd: Date } | null = null;
  let timeZone: string | undefined;
  const result = await exclusiveWrite(ctx, async (db, commit): Promise<BookingResult> => {
    const ofVisit = (column: "location_id" | "service_id" | "patient_id") => sql`(select ${sql.raw(column)} from ${appointments} where ${appointments.id} = ${appointmentId} and ${appointments.organizationId} = ${actor.organizationId})`;
    // A local day's noon: the UTC days around it cover that day in any zone.
    const around = typeof target.startsAt === "number" ? target.startsAt : Date.parse(`${target.startsAt.date}T12:00:00Z`);
    const [row, loaded, facts] = await Promise.all([
      findMovable({ db }, actor, appointmentId),
      loadBookingInputs(db, actor, { locationId: ofVisit("location_id"), serviceId: ofVisit("service_id"), providerId: target.providerId, patientId: ofVisit("patient_id"), startsAt: around, excludeAppointmentId: appointmentId }, now),
      loadMessageFacts({ db }, appointmentId),
    ]);
    if (!row) return { ok: false, code: "not_found", message: "That appointment was not found.", alternatives: [] };
    timeZone = row.timeZone;
    const blocked = refusal(row, actor, now);
    if (blocked) return { ok: false, ...blocked, alternatives: [] };
    let startsAt = target.startsAt as number;
    if (typeof target.startsAt !== "number") {
      const { date, minutes } = target.startsAt;
      startsAt = localToInstant(row.timeZone, date, minutes);
      if (minuteOfDayAt(row.timeZone, startsAt) !== minutes) return { ok: false, code: "unavailable", message: `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")} doesn't exist on ${date}: the clocks go forward that night. Choose another time.`, alternatives: [] };
    }
    const currentMinutes = Math.round((row.endsAt.getTime() - row.startsAt.getTime()) / 60_000);
    const durationMinutes = target.durationMinutes ?? currentMinutes;
    if (row.startsAt.getTime() === startsAt && (target.providerId ?? row.providerId) === row.providerId && durationMinutes === currentMinutes) {
      return { ok: false, code: "unavailable", message: "That is the visit's current time. Choose a different time.", alternatives: [] };
    }
    const plan = await planBooking(db, actor, { locationId: row.locationId, serviceId: row.serviceId, providerId: target.providerId, patientId: row.patientId, startsAt, overrideReason: target.overrideReason, excludeAppointmentId: row.id, durationMinutes }, now, loaded);
    if (!plan.ok) return plan;
    const a = plan.appointment;
    const from = formatDateTime(row.startsAt.getTime(), row.timeZone);
    const why = (durationMinutes !== currentMinutes ? `; length ${currentMinutes} → ${durationMinutes} min` : "") + (target.overrideReason ? `; override: ${target.overrideReason.slice(0, 200)}` : "");
    const outgoing = facts ? await composeAppointmentMessages(ctx, "rescheduled", { ...facts, startsAt, provider: loaded?.details.providerNames[plan.providerId] ?? facts.provider }) : [];
    await commit([
      db.update(appointments).set({ startsAt: a.startsAt, endsAt: a.endsAt, blockStart: a.blockStart, blockEnd: a.blockEnd, providerId: a.providerId, roomId: a.roomId, priceCents: a.priceCents }).where(eq(appointments.id, row.id)),
      db.insert(appointmentEvents).values({ appointmentId: row.id, actorUserId: actor.id, fromStatus: row.status, toStatus: row.status, reason: row.startsAt.getTime() === startsAt && plan.providerId === row.providerId ? `length changed${why.replace(/^; length/, "")}` : `moved from ${from}${why}`, createdAt: new Date(now) }),
      auditInsert(ctx, db, auditOf(true)),
      ...outgoing.map((m) => messageInsert(db, m, new Date(now))),
    ], { locations: [row.locationId] });
    freed = { organizationId: actor.organizationId, locationId: row.locationId, providerId: row.providerId, blockStart: row.blockStart, blockEnd: row.blockEnd };
    return { ok: true, appointmentId: row.id, status: row.status as "requested" | "confirmed", providerId: plan.providerId, roomId: plan.roomId };
  }).catch(whenTaken((): BookingResult => ({ ok: false, code: "slot_taken", message: "That time was just taken. Choose another time.", alternatives: [] })));
  if (!result.ok) await audit(ctx, auditOf(false, result.code));
  // The time given up may be exactly what someone on the waitlist wants: offered after the answer.
  const gaveUp = freed;
  if (result.ok && gaveUp) ctx.afterResponse(() => offerAppointmentTime(ctx, gaveUp));
  return { ...result, timeZone };
}
