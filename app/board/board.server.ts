import { and, eq, inArray, max } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { appointmentEvents, providerStates, roomStates, type ProviderState } from "../../db/schema";
import { audit } from "../audit/audit.server";
import type { BookingActor } from "../scheduling/booking.server";
import { listAppointments, freeTime, scheduleResources } from "../scheduling/schedule.server";
import { localDateOf } from "../scheduling/local-time";
import { signRoomToken } from "../../party/room-token";
import { buildSnapshot, type BoardSnapshot } from "./snapshot";

export interface BoardLocation {
  id: string;
  timeZone: string;
}

/** The floor as the database has it now: rooms, providers on today's shifts, waiting and late patients. */
export async function loadBoardSnapshot(ctx: Pick<AppContext, "db" | "clock">, actor: BookingActor, location: BoardLocation): Promise<BoardSnapshot> {
  const now = ctx.clock.now().getTime();
  const today = localDateOf(location.timeZone, now);
  const [resources, appts, roomRows, providerRows] = await Promise.all([
    scheduleResources(ctx as AppContext, actor.organizationId, location.id),
    listAppointments(ctx, actor, location, today, today),
    ctx.db.select().from(roomStates).where(eq(roomStates.locationId, location.id)),
    ctx.db.select().from(providerStates).where(eq(providerStates.locationId, location.id)),
  ]);
  const ids = appts.filter((a) => a.status === "checked_in").map((a) => a.id);
  const checkIns = ids.length
    ? await ctx.db.select({ id: appointmentEvents.appointmentId, at: max(appointmentEvents.createdAt) }).from(appointmentEvents).where(and(inArray(appointmentEvents.appointmentId, ids), eq(appointmentEvents.toStatus, "checked_in"))).groupBy(appointmentEvents.appointmentId)
    : [];
  const checkedInAt = new Map(checkIns.map((c) => [c.id, c.at ? new Date(c.at).getTime() : null]));
  const working = await freeTime(ctx as AppContext, actor.organizationId, location, today, resources.providers.map((p) => p.id), []);
  return buildSnapshot({
    locationId: location.id,
    timeZone: location.timeZone,
    now,
    rooms: resources.rooms,
    roomStates: roomRows.map((r) => ({ roomId: r.roomId, state: r.state, appointmentId: r.appointmentId, since: r.since.getTime() })),
    providers: resources.providers.map((p) => ({ id: p.id, name: p.name, working: working.get(p.id) ?? [] })),
    providerStates: providerRows.map((p) => ({ userId: p.userId, state: p.state, since: p.since.getTime() })),
    appointments: appts.map((a) => ({ id: a.id, status: a.status, startsAt: a.startsAt.getTime(), endsAt: a.endsAt.getTime(), providerId: a.providerId, roomId: a.roomId, firstName: a.patientFirstName, lastName: a.patientLastName, service: a.serviceName, checkedInAt: checkedInAt.get(a.id) ?? null })),
  });
}

/**
 * After a commit that changes the floor, send the location's room the new snapshot; the room
 * diffs it against the last one and broadcasts the small patch. Best effort: the database is the
 * truth, and a client that missed a patch resyncs. Opening the board publishes too, so a room that
 * slept through changes (or kept an old snapshot across a restart) is current before anyone joins.
 */
export async function publishBoard(ctx: AppContext, actor: BookingActor, location: BoardLocation, built?: BoardSnapshot) {
  const { PARTY_URL, PARTY_SECRET } = ctx.env;
  if (!PARTY_URL || !PARTY_SECRET) return;
  try {
    const snapshot = built ?? (await loadBoardSnapshot(ctx, actor, location));
    const res = await fetch(`${PARTY_URL}/parties/main/${encodeURIComponent(location.id)}`, { signal: AbortSignal.timeout(2_000), method: "POST", headers: { authorization: `Bearer ${PARTY_SECRET}`, "content-type": "application/json" }, body: JSON.stringify({ type: "snapshot", snapshot }) });
    if (!res.ok) ctx.logger.warn("board_publish_failed", { status: res.status });
  } catch (error) {
    ctx.logger.warn("board_publish_failed", { error: (error as Error).message });
  }
}

/** A short-lived token for this user to join this location's room (minutes, not hours). */
export async function boardToken(ctx: AppContext, actor: BookingActor, locationId: string, privacy: boolean) {
  if (!ctx.env.PARTY_SECRET || !ctx.env.PARTY_URL) return null;
  const exp = Math.floor(ctx.clock.now().getTime() / 1000) + 5 * 60;
  const token = await signRoomToken({ userId: actor.id, organizationId: actor.organizationId, locationId, role: actor.role, exp, privacy }, ctx.env.PARTY_SECRET);
  return { token, url: ctx.env.PARTY_URL, exp };
}

/** Marks a room turned over (free) or being turned over. */
export async function setRoomState(ctx: AppContext, actor: BookingActor, location: BoardLocation, roomId: string, state: "free" | "turnover") {
  const { rooms: roomList } = await scheduleResources(ctx, actor.organizationId, location.id);
  if (!roomList.some((r) => r.id === roomId)) return false;
  const now = ctx.clock.now();
  if (state === "free") await ctx.db.delete(roomStates).where(eq(roomStates.roomId, roomId));
  else await ctx.db.insert(roomStates).values({ roomId, organizationId: actor.organizationId, locationId: location.id, state, appointmentId: null, since: now }).onConflictDoUpdate({ target: roomStates.roomId, set: { state, appointmentId: null, since: now } });
  await audit(ctx, { actor, action: `room.${state}`, entityType: "room", entityId: roomId, outcome: "allowed" });
  await publishBoard(ctx, actor, location);
  return true;
}

/** A provider's own status: available, documenting, on break ("with patient" follows the appointments). */
export async function setProviderState(ctx: AppContext, actor: BookingActor, location: BoardLocation, userId: string, state: Exclude<ProviderState, "with_patient">) {
  const now = ctx.clock.now();
  await ctx.db
    .insert(providerStates)
    .values({ userId, locationId: location.id, organizationId: actor.organizationId, state, since: now })
    .onConflictDoUpdate({ target: [providerStates.userId, providerStates.locationId], set: { state, since: now } });
  await audit(ctx, { actor, action: `provider.${state}`, entityType: "user", entityId: userId, outcome: "allowed" });
  await publishBoard(ctx, actor, location);
}
