import { and, asc, eq } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { locations, memberships, rooms, userLocations, users } from "../../db/schema";
import { accessibleLocations, currentLocation, type AuthedSession } from "../auth/guards.server";

/** The location the user is working in, with its rooms and the staff assigned there. */
export async function workingLocationOverview(ctx: AppContext, session: AuthedSession) {
  const options = await accessibleLocations(ctx, session);
  const location = currentLocation(session, options);
  if (!location) return null;
  // All at once: on Turso each query is a network round trip.
  const [[detail], roomRows, staffRows] = await Promise.all([
    ctx.db
      .select({ id: locations.id, name: locations.name, timeZone: locations.timeZone, addressLine1: locations.addressLine1, city: locations.city, region: locations.region, phone: locations.phone })
      .from(locations)
      .where(and(eq(locations.id, location.id), eq(locations.organizationId, session.user.organizationId))),
    ctx.db.select({ id: rooms.id, name: rooms.name, roomType: rooms.roomType }).from(rooms).where(and(eq(rooms.locationId, location.id), eq(rooms.active, true))).orderBy(asc(rooms.name)),
    ctx.db
      .select({ id: users.id, name: users.name, role: memberships.role })
      .from(users)
      .innerJoin(userLocations, eq(userLocations.userId, users.id))
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.organizationId, session.user.organizationId)))
      .where(and(eq(userLocations.locationId, location.id), eq(memberships.status, "active")))
      .orderBy(asc(users.name)),
  ]);
  return { location: detail, rooms: roomRows, staff: staffRows };
}

/** "Saturday, November 21 · 5:12 PM" in the location's own zone, whatever the server's TZ. */
export function formatLocalNow(now: Date, timeZone: string) {
  return new Intl.DateTimeFormat("en-US", { timeZone, weekday: "long", month: "long", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" }).format(now);
}
