import { and, eq, gt, gte, inArray, isNull, lt, lte, or } from "drizzle-orm";
import type { Db } from "../lib/db.server";
import { appointments, locations, memberships, rooms, scheduleExceptions, serviceProviders, services, shifts, userLocations } from "../../db/schema";
import type { AvailabilityRequest } from "./availability";
import { OCCUPYING } from "./lifecycle";
import { addDays, localDay } from "./local-time";

type Reader = Pick<Db, "select">;

export interface AvailabilityQuery {
  organizationId: string;
  locationId: string;
  serviceId: string;
  /** Null for "any provider". */
  providerId: string | null;
  fromDate: string;
  toDate: string;
  now: number;
  /** An appointment being moved: its own time does not count as taken. */
  excludeAppointmentId?: string | null;
}

/**
 * Loads everything the engine needs for one location, service and date range, scoped to the
 * organization. Null when the location or service is not this organization's (or inactive).
 */
export async function loadAvailabilityRequest(db: Reader, q: AvailabilityQuery): Promise<AvailabilityRequest | null> {
  const [location] = await db
    .select({ id: locations.id, timeZone: locations.timeZone, slotIntervalMinutes: locations.slotIntervalMinutes, minNoticeMinutes: locations.minNoticeMinutes, maxAdvanceDays: locations.maxAdvanceDays })
    .from(locations)
    .where(and(eq(locations.id, q.locationId), eq(locations.organizationId, q.organizationId)));
  const [service] = await db
    .select({ durationMinutes: services.durationMinutes, bufferBeforeMinutes: services.bufferBeforeMinutes, bufferAfterMinutes: services.bufferAfterMinutes, roomType: services.roomType })
    .from(services)
    .where(and(eq(services.id, q.serviceId), eq(services.organizationId, q.organizationId), eq(services.active, true)));
  if (!location || !service) return null;

  const providers = await db
    .select({ id: serviceProviders.userId, durationMinutes: serviceProviders.durationMinutes, priceCents: serviceProviders.priceCents })
    .from(serviceProviders)
    .innerJoin(memberships, and(eq(memberships.userId, serviceProviders.userId), eq(memberships.organizationId, q.organizationId), eq(memberships.status, "active")))
    .innerJoin(userLocations, and(eq(userLocations.userId, serviceProviders.userId), eq(userLocations.locationId, q.locationId)))
    .where(and(eq(serviceProviders.serviceId, q.serviceId), q.providerId ? eq(serviceProviders.userId, q.providerId) : undefined));
  const providerIds = providers.map((p) => p.id);
  const locationRooms = await db.select({ id: rooms.id, roomType: rooms.roomType }).from(rooms).where(and(eq(rooms.locationId, q.locationId), eq(rooms.active, true)));
  const roomIds = locationRooms.map((r) => r.id);
  if (providerIds.length === 0) return { location, service, providers: [], shifts: [], exceptions: [], busy: [], rooms: locationRooms, fromDate: q.fromDate, toDate: q.toDate, now: q.now };

  const rangeStart = new Date(localDay(location.timeZone, addDays(q.fromDate, -1)).start);
  const rangeEnd = new Date(localDay(location.timeZone, addDays(q.toDate, 1)).end);
  const [shiftRows, exceptionRows, busyRows, zoneRows] = await Promise.all([
    db
      .select({ providerId: shifts.userId, locationId: shifts.locationId, weekday: shifts.weekday, startMinute: shifts.startMinute, endMinute: shifts.endMinute, effectiveFrom: shifts.effectiveFrom, effectiveTo: shifts.effectiveTo })
      .from(shifts)
      .where(and(eq(shifts.organizationId, q.organizationId), inArray(shifts.userId, providerIds))),
    db
      .select({ providerId: scheduleExceptions.userId, locationId: scheduleExceptions.locationId, date: scheduleExceptions.date, kind: scheduleExceptions.kind, startMinute: scheduleExceptions.startMinute, endMinute: scheduleExceptions.endMinute })
      .from(scheduleExceptions)
      .where(
        and(
          eq(scheduleExceptions.organizationId, q.organizationId),
          // A day either side: extra hours elsewhere, in another zone, can reach into this range.
          gte(scheduleExceptions.date, addDays(q.fromDate, -1)),
          lte(scheduleExceptions.date, addDays(q.toDate, 1)),
          or(isNull(scheduleExceptions.userId), inArray(scheduleExceptions.userId, providerIds)),
        ),
      ),
    db
      .select({ appointmentId: appointments.id, providerId: appointments.providerId, roomId: appointments.roomId, start: appointments.blockStart, end: appointments.blockEnd })
      .from(appointments)
      .where(
        and(
          eq(appointments.organizationId, q.organizationId),
          inArray(appointments.status, [...OCCUPYING]),
          lt(appointments.blockStart, rangeEnd),
          gt(appointments.blockEnd, rangeStart),
          or(inArray(appointments.providerId, providerIds), roomIds.length ? inArray(appointments.roomId, roomIds) : undefined),
        ),
      ),
    db.select({ id: locations.id, timeZone: locations.timeZone }).from(locations).where(eq(locations.organizationId, q.organizationId)),
  ]);
  return {
    locationZones: Object.fromEntries(zoneRows.map((z) => [z.id, z.timeZone])),
    location,
    service,
    providers,
    shifts: shiftRows,
    exceptions: exceptionRows,
    busy: busyRows.filter((b) => b.appointmentId !== q.excludeAppointmentId).map((b) => ({ providerId: b.providerId, roomId: b.roomId, start: b.start.getTime(), end: b.end.getTime() })),
    rooms: locationRooms,
    fromDate: q.fromDate,
    toDate: q.toDate,
    now: q.now,
  };
}
