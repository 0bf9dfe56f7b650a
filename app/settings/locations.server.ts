import { and, asc, count, eq, gte, isNull } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import { locations, rooms, scheduleExceptions } from "../../db/schema";
import { audit } from "../audit/audit.server";
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
  await ctx.db.insert(locations).values({ id, organizationId: session.user.organizationId, ...input, addressLine2: input.addressLine2 ?? null, createdAt: ctx.clock.now() });
  await audit(ctx, { actor: session.user, action: "location.create", entityType: "location", entityId: id, outcome: "allowed" });
  return id;
}

export async function updateLocation(ctx: AppContext, session: AuthedSession, locationId: string, input: z.infer<typeof LocationSchema>) {
  await ctx.db.update(locations).set({ ...input, addressLine2: input.addressLine2 ?? null }).where(and(eq(locations.id, locationId), orgScope(session)));
  await audit(ctx, { actor: session.user, action: "location.update", entityType: "location", entityId: locationId, outcome: "allowed" });
}

export type RoomResult = { ok: true } | { ok: false; field: "name"; message: string };

async function nameTaken(ctx: AppContext, locationId: string, name: string, exceptRoomId?: string) {
  const rows = await ctx.db.select({ id: rooms.id }).from(rooms).where(and(eq(rooms.locationId, locationId), eq(rooms.name, name)));
  return rows.some((r) => r.id !== exceptRoomId);
}

/** The location must already have been loaded through getLocation (tenant-checked) by the caller. */
export async function addRoom(ctx: AppContext, session: AuthedSession, locationId: string, input: z.infer<typeof RoomSchema>): Promise<RoomResult> {
  if (await nameTaken(ctx, locationId, input.name)) return { ok: false, field: "name", message: "A room with that name already exists here." };
  const id = crypto.randomUUID();
  await ctx.db.insert(rooms).values({ id, organizationId: session.user.organizationId, locationId, name: input.name, roomType: input.roomType, createdAt: ctx.clock.now() });
  await audit(ctx, { actor: session.user, action: "room.create", entityType: "room", entityId: id, outcome: "allowed" });
  return { ok: true };
}

export async function updateRoom(ctx: AppContext, session: AuthedSession, locationId: string, input: z.infer<typeof RoomUpdateSchema>): Promise<RoomResult | null> {
  const [room] = await ctx.db.select({ id: rooms.id }).from(rooms).where(and(eq(rooms.id, input.roomId), eq(rooms.locationId, locationId), eq(rooms.organizationId, session.user.organizationId)));
  if (!room) return null;
  if (await nameTaken(ctx, locationId, input.name, room.id)) return { ok: false, field: "name", message: "A room with that name already exists here." };
  await ctx.db.update(rooms).set({ name: input.name, roomType: input.roomType, active: input.active }).where(eq(rooms.id, room.id));
  await audit(ctx, { actor: session.user, action: "room.update", entityType: "room", entityId: room.id, outcome: "allowed" });
  return { ok: true };
}

export async function updateBookingRules(ctx: AppContext, session: AuthedSession, locationId: string, input: z.infer<typeof BookingRulesSchema>) {
  await ctx.db.update(locations).set(input).where(and(eq(locations.id, locationId), orgScope(session)));
  await audit(ctx, { actor: session.user, action: "location.booking_rules", entityType: "location", entityId: locationId, outcome: "allowed" });
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
  const existing = await listClosures(ctx, session, locationId, input.date);
  if (existing.some((c) => c.date === input.date)) return { ok: false as const, message: "The location is already closed that day." };
  const id = crypto.randomUUID();
  await ctx.db.insert(scheduleExceptions).values({ id, organizationId: session.user.organizationId, locationId, userId: null, date: input.date, kind: "closed", startMinute: null, endMinute: null, reason: input.reason ?? null });
  await audit(ctx, { actor: session.user, action: "closure.create", entityType: "schedule_exception", entityId: id, outcome: "allowed" });
  return { ok: true as const };
}

export async function removeClosure(ctx: AppContext, session: AuthedSession, locationId: string, id: string) {
  const removed = await ctx.db
    .delete(scheduleExceptions)
    .where(and(eq(scheduleExceptions.id, id), eq(scheduleExceptions.locationId, locationId), eq(scheduleExceptions.organizationId, session.user.organizationId), eq(scheduleExceptions.kind, "closed")))
    .returning({ id: scheduleExceptions.id });
  if (removed.length) await audit(ctx, { actor: session.user, action: "closure.delete", entityType: "schedule_exception", entityId: id, outcome: "allowed" });
  return removed.length > 0;
}
