import { eq, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { idempotencyKeys, providerStates, roomStates, sessions, type ProviderState, type RoomState } from "../../db/schema";
import type { BatchItem } from "drizzle-orm/batch";
import { auditInsert } from "../audit/audit.server";
import type { BookingActor } from "../scheduling/booking.server";
import { scheduleResources } from "../scheduling/schedule.server";
import { schedulesByProvider, workingIntervals } from "../scheduling/availability";
import { localDateOf, localDay } from "../scheduling/local-time";
import { roomSecrets, sessionTag, signRoomToken } from "../../party/room-token";
import { endRoomAccess, postToRoom } from "./room-access.server";
import { buildSnapshot, type BoardSnapshot } from "./snapshot";

export interface BoardLocation {
  id: string;
  timeZone: string;
}

/**
 * The floor as the database has it now: rooms, providers on today's shifts, waiting and late
 * patients. One statement (the app rebuilds this after every change on the floor), then pure code.
 */
export async function loadBoardSnapshot(ctx: Pick<AppContext, "db" | "clock">, actor: BookingActor, location: BoardLocation): Promise<BoardSnapshot> {
  const now = ctx.clock.now().getTime();
  const today = localDateOf(location.timeZone, now);
  const day = localDay(location.timeZone, today);
  const org = actor.organizationId;
  const [row] = await ctx.db.all<{ board: string }>(sql`
    with
      prov as (
        select u.id, u.name from users u
        join user_locations ul on ul.user_id = u.id and ul.location_id = ${location.id}
        join memberships m on m.user_id = u.id and m.organization_id = ${org} and m.status = 'active' and m.role = 'provider'
      ),
      appt as (
        select a.id, a.status, a.starts_at, a.ends_at, a.provider_id, a.room_id, p.first_name, p.last_name, s.name as service, enc.status as chart, enc.signed_at as chart_signed_at
        from appointments a join patients p on p.id = a.patient_id join services s on s.id = a.service_id
        left join encounters enc on enc.appointment_id = a.id
        where a.organization_id = ${org} and a.location_id = ${location.id}
          and a.block_start >= ${day.start - 86_400_000} and a.block_start < ${day.end} and a.starts_at < ${day.end} and a.ends_at > ${day.start}
      )
    select json_object(
      'rooms', (select json_group_array(json_array(id, name)) from (select id, name from rooms where location_id = ${location.id} and active = 1 order by name)),
      'providers', (select json_group_array(json_array(id, name)) from (select id, name from prov order by name)),
      'roomStates', (select json_group_array(json_array(room_id, state, appointment_id, since)) from room_states where location_id = ${location.id}),
      'providerStates', (select json_group_array(json_array(user_id, state, since)) from provider_states where location_id = ${location.id}),
      'appointments', (select json_group_array(json_array(id, status, starts_at, ends_at, provider_id, room_id, first_name, last_name, service,
          (select max(created_at) from appointment_events e where e.appointment_id = appt.id and e.to_status = 'checked_in'), chart, chart_signed_at)) from appt),
      'shifts', (select json_group_array(json_array(user_id, location_id, weekday, start_minute, end_minute, effective_from, effective_to)) from shifts where organization_id = ${org} and user_id in (select id from prov)),
      'exceptions', (select json_group_array(json_array(user_id, location_id, date, kind, start_minute, end_minute)) from schedule_exceptions
          where organization_id = ${org} and date >= date(${today}, '-1 day') and date <= date(${today}, '+1 day') and (user_id is null or user_id in (select id from prov))),
      'zones', (select json_group_object(id, time_zone) from locations where organization_id = ${org}),
      'dataVersion', (select schedule_version + floor_version from locations where id = ${location.id})
    ) as board`);
  type Raw = {
    rooms: [string, string][];
    providers: [string, string][];
    roomStates: [string, RoomState, string | null, number][];
    providerStates: [string, ProviderState, number][];
    appointments: [string, string, number, number, string, string | null, string, string, string, number | null, "draft" | "signed" | null, number | null][];
    shifts: [string, string, number, number, number, string, string | null][];
    exceptions: [string | null, string | null, string, "time_off" | "extra_hours" | "closed", number | null, number | null][];
    zones: Record<string, string>;
    dataVersion: number;
  };
  const raw = JSON.parse(row.board) as Raw;
  const schedule = {
    location: { id: location.id, timeZone: location.timeZone, slotIntervalMinutes: 15, minNoticeMinutes: 0, maxAdvanceDays: 0 },
    shifts: raw.shifts.map(([providerId, locationId, weekday, startMinute, endMinute, effectiveFrom, effectiveTo]) => ({ providerId, locationId, weekday, startMinute, endMinute, effectiveFrom, effectiveTo })),
    exceptions: raw.exceptions.map(([providerId, locationId, date, kind, startMinute, endMinute]) => ({ providerId, locationId, date, kind, startMinute, endMinute })),
    locationZones: raw.zones,
  };
  const schedules = schedulesByProvider(schedule, raw.providers.map(([id]) => id));
  return buildSnapshot({
    locationId: location.id,
    timeZone: location.timeZone,
    now,
    dataVersion: raw.dataVersion,
    rooms: raw.rooms.map(([id, name]) => ({ id, name })),
    roomStates: raw.roomStates.map(([roomId, state, appointmentId, since]) => ({ roomId, state, appointmentId, since })),
    providers: raw.providers.map(([id, name]) => ({ id, name, working: workingIntervals(schedule, id, day, schedules.get(id)) })),
    providerStates: raw.providerStates.map(([userId, state, since]) => ({ userId, state, since })),
    appointments: raw.appointments.map(([id, status, startsAt, endsAt, providerId, roomId, firstName, lastName, service, checkedInAt, chart, chartSignedAt]) => ({ id, status, startsAt, endsAt, providerId, roomId, firstName, lastName, service, checkedInAt, chart, chartSignedAt })),
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
    const res = await postToRoom(ctx.env, location.id, { type: "snapshot", snapshot });
    if (!res.ok) ctx.logger.warn("board_publish_failed", { status: res.status });
  } catch (error) {
    ctx.logger.warn("board_publish_failed", { error: (error as Error).message });
  }
}

/** How long a room token lives: the socket is closed then, and the client asks for a fresh one. */
export const ROOM_TOKEN_SECONDS = 3 * 60;

/**
 * A short-lived token for this session to join this location's room. It names the session (by a
 * one-way tag) so ending the session drops the socket, and carries the privacy the server decided.
 */
export async function boardToken(ctx: AppContext, session: { id: string; user: BookingActor }, locationId: string, privacy: boolean) {
  if (!ctx.env.PARTY_SECRET || !ctx.env.PARTY_URL) return null;
  const exp = Math.floor(ctx.clock.now().getTime() / 1000) + ROOM_TOKEN_SECONDS;
  const { user } = session;
  const token = await signRoomToken({ userId: user.id, sid: await sessionTag(session.id), organizationId: user.organizationId, locationId, role: user.role, exp, privacy }, (await roomSecrets(ctx.env.PARTY_SECRET)).token);
  return { token, url: ctx.env.PARTY_URL, exp };
}

/**
 * A change that carries a tablet's idempotency key (an offline outbox replay) writes the key first
 * in its batch: a second arrival of the same key fails the whole batch on the key's primary key,
 * and is answered as already applied. Exactly once, even when two replays race.
 */
async function commitOnce(ctx: AppContext, actor: BookingActor, idempotencyKey: string | null | undefined, statements: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]) {
  if (!idempotencyKey) {
    await ctx.db.batch(statements);
    return "applied" as const;
  }
  try {
    await ctx.db.batch([ctx.db.insert(idempotencyKeys).values({ key: idempotencyKey, userId: actor.id, createdAt: ctx.clock.now() }), ...statements]);
    return "applied" as const;
  } catch (error) {
    const reason = String((error as { cause?: Error }).cause?.message ?? (error as Error).message);
    if (reason.includes("idempotency_keys.key")) return "replayed" as const;
    throw error;
  }
}

/** Marks a room turned over (free) or being turned over. */
export async function setRoomState(ctx: AppContext, actor: BookingActor, location: BoardLocation, roomId: string, state: "free" | "turnover", idempotencyKey?: string | null) {
  const { rooms: roomList } = await scheduleResources(ctx, actor.organizationId, location.id);
  if (!roomList.some((r) => r.id === roomId)) return false;
  const now = ctx.clock.now();
  const change =
    state === "free"
      ? ctx.db.delete(roomStates).where(eq(roomStates.roomId, roomId))
      : ctx.db.insert(roomStates).values({ roomId, organizationId: actor.organizationId, locationId: location.id, state, appointmentId: null, since: now }).onConflictDoUpdate({ target: roomStates.roomId, set: { state, appointmentId: null, since: now } });
  // The change and its audit entry commit together: one write, nothing unaudited.
  const outcome = await commitOnce(ctx, actor, idempotencyKey, [change, auditInsert(ctx, ctx.db, { actor, action: `room.${state}`, entityType: "room", entityId: roomId, outcome: "allowed" })]);
  if (outcome === "applied") await publishBoard(ctx, actor, location);
  return true;
}

/** A provider's own status: available, documenting, on break ("with patient" follows the appointments). */
export async function setProviderState(ctx: AppContext, actor: BookingActor, location: BoardLocation, userId: string, state: Exclude<ProviderState, "with_patient">, idempotencyKey?: string | null) {
  const now = ctx.clock.now();
  const outcome = await commitOnce(ctx, actor, idempotencyKey, [
    ctx.db
      .insert(providerStates)
      .values({ userId, locationId: location.id, organizationId: actor.organizationId, state, since: now })
      .onConflictDoUpdate({ target: [providerStates.userId, providerStates.locationId], set: { state, since: now } }),
    auditInsert(ctx, ctx.db, { actor, action: `provider.${state}`, entityType: "user", entityId: userId, outcome: "allowed" }),
  ]);
  if (outcome === "applied") await publishBoard(ctx, actor, location);
}

/**
 * This session becomes a privacy screen (the waiting-room display): initials only, no way to the
 * rest of the app, until someone signs in on it again. Its open sockets are dropped so they come
 * back with privacy tokens.
 */
export async function lockPrivacyScreen(ctx: AppContext, session: { id: string; user: BookingActor }) {
  await ctx.db.batch([
    ctx.db.update(sessions).set({ privacyScreen: true }).where(eq(sessions.id, session.id)),
    auditInsert(ctx, ctx.db, { actor: session.user, action: "board.privacy_screen", entityType: "session", outcome: "allowed" }),
  ]);
  await endRoomAccess(ctx, { userId: session.user.id, sessionId: session.id, organizationId: session.user.organizationId });
}
