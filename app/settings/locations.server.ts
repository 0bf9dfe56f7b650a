import { and, asc, count, eq, gte, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import { locations, rooms, scheduleExceptions } from "../../db/schema";
import { auditInsertByChange, commitAudited } from "../audit/audit.server";
import type { AuthedSession } from "../auth/guards.server";
import type { BookingRulesSchema, ClosureSchema, LocationSchema, RoomSchema, RoomUpdateSchema } from "./schemas";

const orgScope = (session: AuthedSession) => eq(locations.organizationId, session.user.organizationId);

export async function listLocations(ctx: AppContext, session: AuthedSession) {
  return ctx.db
    .select({ id: locations.id, name: locations.name, timeZone: locations.timeZone, city: locations.city, region: locations.region, rooms: count(rooms.id) })
    .from(locations)
    .leftJoin(rooms, eq(rooms.locationId, locations.id))
    .where(orgScope(session))
    .groupBy(locations.id)
    .orderBy(asc(locations.name));
}

export async function getLocation(ctx: AppContext, session: AuthedSession, locationId: string) {
  // Both at once (a round trip each on Turso); rooms are scoped by the organization too.
  const [[location], roomRows] = await Promise.all([
    ctx.db.select().from(locations).where(and(eq(locations.id, locationId), orgScope(session))),
    ctx.db.select({ id: rooms.id, name: rooms.name, roomType: rooms.roomType, active: rooms.active }).from(rooms).where(and(eq(rooms.locationId, locationId), eq(rooms.organizationId, session.user.organizationId))).orderBy(asc(rooms.name)),
  ]);
  if (!location) return null;
  return { location, rooms: roomRows };
}

export async function createLocation(ctx: AppContext, session: AuthedSession, input: z.infer<typeof LocationSchema>) {
  const id = crypto.randomUUID();
  await commitAudited(ctx, [ctx.db.insert(locations).values({ id, organizationId: session.user.organizationId, ...input, addressLine2: input.addressLine2 ?? null, createdAt: ctx.clock.now() })], { actor: session.user, action: "location.create", entityType: "location", entityId: id, outcome: "allowed" });
  return id;
}

export async function updateLocation(ctx: AppContext, session: AuthedSession, locationId: string, input: z.infer<typeof LocationSchema>) {
  await commitAudited(ctx, [ctx.db.update(locations).set({ ...input, addressLine2: input.addressLine2 ?? null }).where(and(eq(locations.id, locationId), orgScope(session)))], { actor: session.user, action: "location.update", entityType: "location", entityId: locationId, outcome: "allowed" });
}

export type RoomResult = { ok: true } | { ok: false; field: "name"; message: string };

/** No other room of the location has this name (for a write's WHERE: the name check and the write are one statement). */
function nameFree(locationId: string, name: string, exceptRoomId?: string) {
  return sql`not exists (select 1 from ${rooms} r where r.location_id = ${locationId} and r.name = ${name} and r.id <> ${exceptRoomId ?? ""})`;
}

/**
 * The location must already have been loaded through getLocation (tenant-checked) by the caller.
 * The name check, the insert and its audit are one batch; the insert's own condition decides.
 */
export async function addRoom(ctx: AppContext, session: AuthedSession, locationId: string, input: z.infer<typeof RoomSchema>): Promise<RoomResult> {
  const id = crypto.randomUUID();
  const [inserted] = (await ctx.db.batch([
    ctx.db.run(sql`insert into ${rooms} (id, organization_id, location_id, name, room_type, active, created_at) select ${id}, ${session.user.organizationId}, ${locationId}, ${input.name}, ${input.roomType}, 1, ${ctx.clock.now().getTime()} where ${nameFree(locationId, input.name)}`),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "room.create", entityType: "room", entityId: id }, "name_taken"),
  ])) as [{ rowsAffected: number }, unknown];
  return inserted.rowsAffected ? { ok: true } : { ok: false, field: "name", message: "A room with that name already exists here." };
}

/** Null when the room isn't this location's; the name check and the update are one statement. */
export async function updateRoom(ctx: AppContext, session: AuthedSession, locationId: string, input: z.infer<typeof RoomUpdateSchema>): Promise<RoomResult | null> {
  const mine = and(eq(rooms.id, input.roomId), eq(rooms.locationId, locationId), eq(rooms.organizationId, session.user.organizationId));
  const [[room], updated] = (await ctx.db.batch([
    ctx.db.select({ id: rooms.id }).from(rooms).where(mine),
    ctx.db.update(rooms).set({ name: input.name, roomType: input.roomType, active: input.active }).where(and(mine, nameFree(locationId, input.name, input.roomId))).returning({ id: rooms.id }),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "room.update", entityType: "room", entityId: input.roomId.slice(0, 64) }, "name_taken_or_not_found"),
  ])) as unknown as [{ id: string }[], { id: string }[], unknown];
  if (!room) return null;
  return updated.length ? { ok: true } : { ok: false, field: "name", message: "A room with that name already exists here." };
}

export async function updateBookingRules(ctx: AppContext, session: AuthedSession, locationId: string, input: z.infer<typeof BookingRulesSchema>) {
  await commitAudited(ctx, [ctx.db.update(locations).set(input).where(and(eq(locations.id, locationId), orgScope(session)))], { actor: session.user, action: "location.booking_rules", entityType: "location", entityId: locationId, outcome: "allowed" });
}

/** Upcoming whole-day closures (holidays) of a location the caller has already tenant-checked. */
export async function listClosures(ctx: AppContext, session: AuthedSession, locationId: string, fromDate: string) {
  return ctx.db
    .select({ id: scheduleExceptions.id, date: scheduleExceptions.date, reason: scheduleExceptions.reason })
    .from(scheduleExceptions)
    .where(and(eq(scheduleExceptions.locationId, locationId), eq(scheduleExceptions.organizationId, session.user.organizationId), isNull(scheduleExceptions.userId), eq(scheduleExceptions.kind, "closed"), gte(scheduleExceptions.date, fromDate)))
    .orderBy(asc(scheduleExceptions.date));
}

export async function addClosure(ctx: AppContext, session: AuthedSession, locationId: string, input: z.infer<typeof ClosureSchema>) {
  const id = crypto.randomUUID();
  // One batch: the insert happens only if the day isn't closed already, and its audit says which.
  const [inserted] = (await ctx.db.batch([
    ctx.db.run(sql`insert into ${scheduleExceptions} (id, organization_id, location_id, user_id, date, kind, start_minute, end_minute, reason) select ${id}, ${session.user.organizationId}, ${locationId}, null, ${input.date}, 'closed', null, null, ${input.reason ?? null} where not exists (select 1 from ${scheduleExceptions} e where e.location_id = ${locationId} and e.user_id is null and e.kind = 'closed' and e.date = ${input.date})`),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "closure.create", entityType: "schedule_exception", entityId: id }, "already_closed"),
  ])) as [{ rowsAffected: number }, unknown];
  if (!inserted.rowsAffected) return { ok: false as const, message: "The location is already closed that day." };
  return { ok: true as const };
}

export async function removeClosure(ctx: AppContext, session: AuthedSession, locationId: string, id: string) {
  const [removed] = (await ctx.db.batch([
    ctx.db
      .delete(scheduleExceptions)
      .where(and(eq(scheduleExceptions.id, id), eq(scheduleExceptions.locationId, locationId), eq(scheduleExceptions.organizationId, session.user.organizationId), eq(scheduleExceptions.kind, "closed")))
      .returning({ id: scheduleExceptions.id }),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "closure.delete", entityType: "schedule_exception", entityId: id.slice(0, 64) }, "not_found"),
  ])) as unknown as [{ id: string }[], unknown];
  return removed.length > 0;
}
