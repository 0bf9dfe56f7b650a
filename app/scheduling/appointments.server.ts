import { and, asc, desc, eq, gt, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { withinActorLocations } from "../auth/scope.server";
import type { AppContext } from "../lib/context.server";
import { exclusiveWrite, whenTaken, type ExclusiveDb } from "../lib/exclusive-write.server";
import { publishBoard } from "../board/board.server";
import { appointmentEvents, appointments, idempotencyKeys, locations, patients, providerStates, roomStates, rooms, services, users, type AppointmentStatus } from "../../db/schema";
import { audit, auditInsert } from "../audit/audit.server";
import type { BookingActor } from "./booking.server";
import { composeAppointmentMessages, loadMessageFacts } from "../messaging/appointment-messages.server";
import { messageInsert } from "../messaging/outbox.server";
import { offerAppointmentTime } from "../waitlist/offers.server";
import { canTransition, durationWords, earlyCheckInMinutes, nextStatuses, withinSelfServiceCutoff } from "./lifecycle";
import { formatDateTime, formatTime } from "./format";
import { localDateOf } from "./local-time";

export type TransitionResult =
  | { ok: true; status: AppointmentStatus; from?: AppointmentStatus; freed?: FreedBlock; location?: { id: string; timeZone: string }; providerId?: string; replayed?: boolean }
  /** `confirm`: the change is allowed once the person confirms it (an unusually early check-in). */
  | { ok: false; status: number; message: string; confirm?: "early_check_in" };

/**
 * The treatment floor follows the visit: into a room occupies it and puts the provider with the
 * patient; completing leaves the room to be turned over and the provider documenting; undoing
 * "in room" frees the room again. Written in the same batch as the status change.
 */
function floorChanges(db: ExclusiveDb, row: { organizationId: string; locationId: string; roomId: string | null; providerId: string }, appointmentId: string, from: AppointmentStatus, to: AppointmentStatus, now: Date) {
  const room = (state: "occupied" | "turnover") =>
    // The room remembers the visit while it's turned over too, so the provider's tablet shows it as theirs.
    db.insert(roomStates).values({ roomId: row.roomId!, organizationId: row.organizationId, locationId: row.locationId, state, appointmentId, since: now }).onConflictDoUpdate({ target: roomStates.roomId, set: { state, appointmentId, since: now } });
  const provider = (state: "with_patient" | "documenting" | "available") =>
    db.insert(providerStates).values({ userId: row.providerId, locationId: row.locationId, organizationId: row.organizationId, state, since: now }).onConflictDoUpdate({ target: [providerStates.userId, providerStates.locationId], set: { state, since: now } });
  if (to === "in_room") return [...(row.roomId ? [room("occupied")] : []), provider("with_patient")];
  if (to === "completed") return [...(row.roomId ? [room("turnover")] : []), provider("documenting")];
  if (from === "in_room") return [db.delete(roomStates).where(eq(roomStates.appointmentId, appointmentId)), provider("available")];
  return [];
}

type FreedBlock = { organizationId: string; locationId: string; providerId: string; blockStart: Date; blockEnd: Date };

/** Which patient message a status change sends, if any. */
function messageFor(from: AppointmentStatus, to: AppointmentStatus) {
  if (from === "requested" && to === "confirmed") return "request_confirmed" as const;
  if (from === "requested" && to === "cancelled") return "request_declined" as const;
  if (to === "cancelled") return "cancellation" as const;
  return null;
}

const detailColumns = {
  id: appointments.id,
  status: appointments.status,
  startsAt: appointments.startsAt,
  endsAt: appointments.endsAt,
  providerId: appointments.providerId,
  providerName: users.name,
  patientId: appointments.patientId,
  patientUserId: patients.userId,
  patientFirstName: patients.firstName,
  patientLastName: patients.lastName,
  serviceId: appointments.serviceId,
  serviceName: services.name,
  locationId: appointments.locationId,
  locationName: locations.name,
  timeZone: locations.timeZone,
  address: sql<string>`${locations.addressLine1} || ', ' || ${locations.city} || ', ' || ${locations.region} || ' ' || ${locations.postalCode}`,
  locationPhone: locations.phone,
  cutoffHours: locations.selfServiceCutoffHours,
  roomId: appointments.roomId,
  roomName: rooms.name,
  serviceRoomType: services.roomType,
  priceCents: appointments.priceCents,
};

function detailQuery(ctx: AppContext) {
  return ctx.db
    .select(detailColumns)
    .from(appointments)
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .innerJoin(users, eq(users.id, appointments.providerId))
    .innerJoin(services, eq(services.id, appointments.serviceId))
    .innerJoin(locations, eq(locations.id, appointments.locationId))
    .leftJoin(rooms, eq(rooms.id, appointments.roomId));
}

/** One appointment of the actor's organization (patients: only their own), audited as a patient-record read. */
export async function getAppointment(ctx: AppContext, actor: BookingActor, appointmentId: string) {
  const [row] = await detailQuery(ctx).where(and(eq(appointments.id, appointmentId), eq(appointments.organizationId, actor.organizationId), withinActorLocations(actor, appointments.locationId))).limit(1);
  const visible = row && (actor.role !== "patient" || row.patientUserId === actor.id);
  await audit(ctx, { actor, action: "appointment.read", entityType: "appointment", entityId: appointmentId.slice(0, 64), outcome: visible ? "allowed" : "denied", reason: visible ? undefined : "not_found" });
  if (!visible) return null;
  return { ...row, allowedNext: nextStatuses(row.status, { userId: actor.id, role: actor.role }, row) };
}

/** A patient's upcoming visits; `patientId` may be a subquery (the portal reads them with the patient's own record). */
export async function upcomingForPatient(ctx: AppContext, actor: BookingActor, patientId: string | SQL) {
  const rows = await detailQuery(ctx)
    .where(and(eq(appointments.patientId, patientId), eq(appointments.organizationId, actor.organizationId), withinActorLocations(actor, appointments.locationId), gte(appointments.endsAt, ctx.clock.now()), inArray(appointments.status, ["requested", "confirmed", "checked_in", "in_room"])))
    .orderBy(asc(appointments.startsAt))
    .limit(20);
  await audit(ctx, { actor, action: "appointment.list", entityType: "appointment", outcome: "allowed", reason: "patient_upcoming" });
  return rows;
}

/** A patient's past visits, newest first (the portal's history: what was done, when, by whom). */
export async function pastForPatient(ctx: AppContext, actor: BookingActor, patientId: string | SQL, limit = 20) {
  const rows = await detailQuery(ctx)
    .where(and(eq(appointments.patientId, patientId), eq(appointments.organizationId, actor.organizationId), withinActorLocations(actor, appointments.locationId), lt(appointments.startsAt, ctx.clock.now()), inArray(appointments.status, ["completed", "no_show", "cancelled"])))
    .orderBy(desc(appointments.startsAt))
    .limit(limit);
  await audit(ctx, { actor, action: "appointment.list", entityType: "appointment", outcome: "allowed", reason: "patient_past" });
  return rows;
}

/**
 * Moves an appointment along its lifecycle, if the table in lifecycle.ts allows this actor to.
 * Patients cannot cancel within the location's cut-off; staff can, and the patient is flagged.
 */
/**
 * Whether a patient can be taken into this room now: it is at the visit's location, suits the
 * service, has nobody else in it on the floor (one being turned over is taken as ready), and, when
 * it isn't the booked room, no other visit is booked in it for the rest of this one.
 * The reads are keyed by the visit's id, so they go out with the visit's own read.
 */
function readRoomFacts(db: ExclusiveDb, organizationId: string, appointmentId: string, roomId: string | null, now: number) {
  const visit = (column: "room_id" | "service_id" | "block_end") => sql`(select ${sql.raw(column)} from ${appointments} where ${appointments.id} = ${appointmentId})`;
  const room = roomId ?? visit("room_id");
  return Promise.all([
    db
      .select({ id: rooms.id, locationId: rooms.locationId, name: rooms.name, roomType: rooms.roomType, active: rooms.active, floorState: roomStates.state, floorVisit: roomStates.appointmentId, needs: services.roomType })
      .from(rooms)
      .leftJoin(roomStates, eq(roomStates.roomId, rooms.id))
      .innerJoin(services, eq(services.id, visit("service_id")))
      .where(and(eq(rooms.id, room), eq(rooms.organizationId, organizationId))),
    db
      .select({ startsAt: appointments.startsAt })
      .from(appointments)
      .where(and(eq(appointments.roomId, room), inArray(appointments.status, ["requested", "confirmed", "checked_in", "in_room"]), sql`${appointments.id} <> ${appointmentId}`, lt(appointments.blockStart, visit("block_end")), gt(appointments.blockEnd, new Date(now))))
      .limit(1),
  ]);
}

function roomProblem(row: { locationId: string; roomId: string | null }, [[room], [booked]]: Awaited<ReturnType<typeof readRoomFacts>>, appointmentId: string, roomId: string): string | null {
  if (!room || !room.active || room.locationId !== row.locationId) return "Choose a room at this location.";
  if (room.floorState === "occupied" && room.floorVisit !== appointmentId) return `${room.name} has a patient in it. Choose another room, or mark it ready first.`;
  // The booked room was matched to the service when it was booked.
  if (roomId === row.roomId) return null;
  if (room.needs && room.roomType !== room.needs) return `${room.name} isn't a ${room.needs.replace("_", " ")} room, which this service needs.`;
  return booked ? `${room.name} is booked for another visit before this one ends. Choose another room.` : null;
}

/**
 * Moves an appointment along its lifecycle, if the table in lifecycle.ts allows this actor to.
 * Patients cannot cancel within the location's cut-off; staff can, and the patient is flagged.
 * The change, its history, the floor, its audit event and the patient's message commit in one
 * batch; what the visit, its room and its message need is read at once before it.
 */
export async function transitionAppointment(ctx: AppContext, actor: BookingActor, appointmentId: string, to: AppointmentStatus, reason: string | null, idempotencyKey?: string | null, roomId?: string | null, options: { earlyConfirmed?: boolean } = {}): Promise<TransitionResult> {
  const now = ctx.clock.now().getTime();
  const auditOf = (result: { ok: boolean; status: number | string }) => ({ actor, action: `appointment.${to}`, entityType: "appointment", entityId: appointmentId.slice(0, 64), outcome: result.ok ? ("allowed" as const) : ("denied" as const), reason: result.ok ? (roomId ? "room_chosen" : undefined) : String(result.status) });
  const result = await exclusiveWrite(ctx, async (db, commit): Promise<TransitionResult> => {
    const [seen, [row], facts, roomFacts] = await Promise.all([
      // A replay of a change already applied (an offline tablet resending) answers as before, once.
      idempotencyKey ? db.select({ key: idempotencyKeys.key }).from(idempotencyKeys).where(and(eq(idempotencyKeys.key, idempotencyKey), eq(idempotencyKeys.userId, actor.id))) : [],
      db
        .select({ status: appointments.status, organizationId: appointments.organizationId, locationId: appointments.locationId, roomId: appointments.roomId, serviceId: appointments.serviceId, timeZone: locations.timeZone, blockStart: appointments.blockStart, blockEnd: appointments.blockEnd, providerId: appointments.providerId, patientId: appointments.patientId, patientUserId: patients.userId, startsAt: appointments.startsAt, cutoffHours: locations.selfServiceCutoffHours, phone: locations.phone })
        .from(appointments)
        .innerJoin(patients, eq(patients.id, appointments.patientId))
        .innerJoin(locations, eq(locations.id, appointments.locationId))
        .where(and(eq(appointments.id, appointmentId), eq(appointments.organizationId, actor.organizationId), withinActorLocations(actor, appointments.locationId))),
      to === "confirmed" || to === "cancelled" ? loadMessageFacts({ db }, appointmentId) : null,
      to === "in_room" ? readRoomFacts(db, actor.organizationId, appointmentId, roomId ?? null, now) : null,
    ]);
    if (seen.length) return { ok: true, status: to, replayed: true };
    if (!row || (actor.role === "patient" && row.patientUserId !== actor.id)) return { ok: false, status: 404, message: "That appointment was not found." };
    if (!canTransition(row.status, to, { userId: actor.id, role: actor.role }, row)) {
      return { ok: false, status: 403, message: `An appointment that is ${row.status.replace("_", " ")} can't be moved to ${to.replace("_", " ")} by you.` };
    }
    // Checking in more than an hour ahead is usually the wrong row: asked once, then done.
    const early = to === "checked_in" && !options.earlyConfirmed ? earlyCheckInMinutes(row.startsAt.getTime(), now) : null;
    if (early !== null) {
      return { ok: false, status: 409, confirm: "early_check_in", message: `This visit is at ${localDateOf(row.timeZone, row.startsAt.getTime()) === localDateOf(row.timeZone, now) ? formatTime(row.startsAt.getTime(), row.timeZone) : formatDateTime(row.startsAt.getTime(), row.timeZone)}, ${durationWords(early)} from now. Check the patient in anyway?` };
    }
    // Into a room: the booked one, or the one chosen on the floor (which then becomes the visit's room).
    const room = to === "in_room" ? (roomId ?? row.roomId) : row.roomId;
    if (to !== "in_room" && roomId) return { ok: false, status: 400, message: "A room is chosen only when taking the patient to a room." };
    if (to === "in_room" && room && roomFacts) {
      const problem = roomProblem(row, roomFacts, appointmentId, room);
      if (problem) return { ok: false, status: 409, message: problem };
    }
    const late = to === "cancelled" && withinSelfServiceCutoff(row.startsAt.getTime(), now, row.cutoffHours);
    if (late && actor.role === "patient") {
      return { ok: false, status: 409, message: `Visits can't be cancelled or changed online within ${row.cutoffHours} hours of the start. Please call the clinic at ${row.phone}.` };
    }
    const flag =
      late ? db.update(patients).set({ lateCancellations: sql`${patients.lateCancellations} + 1` }).where(eq(patients.id, row.patientId))
      : to === "no_show" ? db.update(patients).set({ noShows: sql`${patients.noShows} + 1` }).where(eq(patients.id, row.patientId))
      : null;
    const change = db.update(appointments).set({ status: to, ...(room !== row.roomId ? { roomId: room } : {}), ...(late ? { cancelledLate: true } : {}) }).where(eq(appointments.id, appointmentId));
    const event = db.insert(appointmentEvents).values({ appointmentId, actorUserId: actor.id, fromStatus: row.status, toStatus: to, reason: reason?.slice(0, 300) ?? (late ? "late_cancellation" : null), createdAt: new Date(now) });
    const floor = floorChanges(db, { ...row, roomId: room }, appointmentId, row.status, to, new Date(now));
    const remember = idempotencyKey ? [db.insert(idempotencyKeys).values({ key: idempotencyKey, userId: actor.id, createdAt: new Date(now) })] : [];
    const kind = messageFor(row.status, to);
    const outgoing = kind && facts ? await composeAppointmentMessages(ctx, kind, facts) : [];
    await commit(
      [change, event, ...(flag ? [flag] : []), ...floor, ...remember, auditInsert(ctx, db, auditOf({ ok: true, status: to })), ...outgoing.map((m) => messageInsert(db, m, new Date(now)))],
      { locations: [row.locationId] },
    );
    return { ok: true, status: to, from: row.status, freed: to === "cancelled" ? row : undefined, location: { id: row.locationId, timeZone: row.timeZone }, providerId: row.providerId };
  }).catch(whenTaken((taken): TransitionResult => ({ ok: false, status: 409, message: taken.message })));
  if (!result.ok) await audit(ctx, auditOf(result));
  // After the answer: the freed time offered to the waitlist, the board told (neither changes what
  // this request answers, and each is retried by its own means: offers by the next freed time or
  // the job, the board by its next snapshot).
  const { freed, location } = result.ok ? result : { freed: undefined, location: undefined };
  if (freed) ctx.afterResponse(() => offerAppointmentTime(ctx, freed));
  if (location) ctx.afterResponse(() => publishBoard(ctx, actor, location));
  return result.ok ? { ok: true, status: result.status, providerId: result.providerId } : result;
}

export async function appointmentHistory(ctx: AppContext, appointmentId: string) {
  return ctx.db
    .select({ id: appointmentEvents.id, fromStatus: appointmentEvents.fromStatus, toStatus: appointmentEvents.toStatus, reason: appointmentEvents.reason, createdAt: appointmentEvents.createdAt, actorName: users.name })
    .from(appointmentEvents)
    .leftJoin(users, eq(users.id, appointmentEvents.actorUserId))
    .where(eq(appointmentEvents.appointmentId, appointmentId))
    .orderBy(asc(appointmentEvents.id));
}

/** The rooms at a visit's location, as the floor has them, read by the visit's id (so with the visit, not after it). */
export function roomsOfVisit(ctx: AppContext, organizationId: string, appointmentId: string) {
  return roomChoices(ctx, organizationId, sql`(select ${appointments.locationId} from ${appointments} where ${appointments.id} = ${appointmentId} and ${appointments.organizationId} = ${organizationId})`, null);
}

/** The rooms a patient could be taken into now, as the floor has them: suitable ones, free first. */
export async function roomChoices(ctx: AppContext, organizationId: string, locationId: string | SQL, roomType: string | null) {
  const rows = await ctx.db
    .select({ id: rooms.id, name: rooms.name, roomType: rooms.roomType, state: roomStates.state })
    .from(rooms)
    .leftJoin(roomStates, eq(roomStates.roomId, rooms.id))
    .where(and(eq(rooms.organizationId, organizationId), eq(rooms.locationId, locationId), eq(rooms.active, true)))
    .orderBy(asc(rooms.name));
  return rows.filter((r) => !roomType || r.roomType === roomType).map((r) => ({ id: r.id, name: r.name, roomType: r.roomType, state: r.state ?? ("free" as const) }));
}
