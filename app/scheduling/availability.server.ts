import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../lib/db.server";
import { computeAvailability, type AvailabilityRequest } from "./availability";
import { OCCUPYING } from "./lifecycle";
import { addDays as addDaysIso, localDay } from "./local-time";

type Reader = Pick<Db, "all">;

export interface AvailabilityQuery {
  /** An id, or a subquery giving one (a public booking page reads by the clinic's address). */
  organizationId: string | SQL;
  /** An id, or a subquery giving one (a page that reads an appointment and its open times at once). */
  locationId: string | SQL;
  serviceId: string | SQL;
  /** Null for "any provider". */
  providerId: string | null;
  fromDate: string;
  toDate: string;
  now: number;
  /** An appointment being moved: its own time does not count as taken. */
  excludeAppointmentId?: string | null;
  /** Booking for this patient: also load what a confirmation message needs. */
  patientId?: string | SQL | null;
}

/** What a booking needs beyond the engine's inputs: price, confirmation rule, and message details. */
export interface BookingDetails {
  service: { name: string; priceCents: number; autoConfirm: boolean };
  location: { name: string; address: string; phone: string };
  providerNames: Record<string, string>;
  /** Null when the patient is not this organization's. */
  patient: { firstName: string; email: string | null; phone: string | null; emailConsent: boolean; smsConsent: boolean } | null;
}

export type LoadedAvailability = AvailabilityRequest & { details: BookingDetails };

const HOUR = 3_600_000;
/** The longest an appointment's block (buffers included) can be. */
export const MAX_BLOCK_MS = 24 * HOUR;

/**
 * Loads everything the engine needs for one location, service and date range, scoped to the
 * organization, in one statement: booking runs this inside its exclusive write, so every
 * round trip saved there is throughput. Null when the location or service is not this
 * organization's (or inactive).
 */
export async function loadAvailabilityRequest(db: Reader, q: AvailabilityQuery): Promise<LoadedAvailability | null> {
  const org = q.organizationId;
  const occupying = sql.join(OCCUPYING.map((s) => sql`${s}`), sql`, `);
  const windowStart = Date.parse(`${q.fromDate}T00:00:00Z`) - 24 * HOUR;
  const windowEnd = Date.parse(`${q.toDate}T00:00:00Z`) + 48 * HOUR;
  // Bounds are set from the location's zone once it is known; a day either side is a safe
  // superset for the range (no visit's block spans more than a few hours).
  const [row] = await db.all<{ req: string }>(sql`
    with
      loc as (select * from locations where id = ${q.locationId} and organization_id = ${org}),
      svc as (select * from services where id = ${q.serviceId} and organization_id = ${org} and active = 1),
      prov as (
        select sp.user_id as id, sp.duration_minutes as d, sp.price_cents as c, u.name as name
        from service_providers sp
        join memberships m on m.user_id = sp.user_id and m.organization_id = ${org} and m.status = 'active'
        join user_locations ul on ul.user_id = sp.user_id and ul.location_id = ${q.locationId}
        join users u on u.id = sp.user_id
        where sp.service_id = ${q.serviceId} and (${q.providerId} is null or sp.user_id = ${q.providerId})
      ),
      rms as (select id, room_type from rooms where location_id = ${q.locationId} and active = 1)
    select json_object(
      'location', (select json_object('id', id, 'timeZone', time_zone, 'slotIntervalMinutes', slot_interval_minutes, 'minNoticeMinutes', min_notice_minutes, 'maxAdvanceDays', max_advance_days, 'name', name, 'address', address_line1 || ', ' || city, 'phone', phone) from loc),
      'service', (select json_object('durationMinutes', duration_minutes, 'bufferBeforeMinutes', buffer_before_minutes, 'bufferAfterMinutes', buffer_after_minutes, 'roomType', room_type, 'name', name, 'priceCents', price_cents, 'autoConfirm', auto_confirm) from svc),
      'providers', (select json_group_array(json_array(id, d, c, name)) from prov),
      'rooms', (select json_group_array(json_array(id, room_type)) from rms),
      'zones', (select json_group_object(id, time_zone) from locations where organization_id = ${org}),
      'shifts', (select json_group_array(json_array(user_id, location_id, weekday, start_minute, end_minute, effective_from, effective_to)) from shifts where organization_id = ${org} and user_id in (select id from prov)),
      'exceptions', (
        select json_group_array(json_array(user_id, location_id, date, kind, start_minute, end_minute)) from schedule_exceptions
        where organization_id = ${org} and date >= date(${q.fromDate}, '-1 day') and date <= date(${q.toDate}, '+1 day')
          and (user_id is null or user_id in (select id from prov))
      ),
      'busy', (
        select json_group_array(json_array(provider_id, room_id, block_start, block_end)) from appointments
        where organization_id = ${org} and status in (${occupying})
          -- Bounded at both ends, so only the window's visits are read, however long the clinic's
          -- history: a block starts at most a day before it ends (services are at most 8 h plus
          -- buffers; migration 0015's triggers rely on the same bound).
          and block_start < ${windowEnd} and block_start > ${windowStart - MAX_BLOCK_MS} and block_end > ${windowStart}
          and (provider_id in (select id from prov) or room_id in (select id from rms where room_type = (select room_type from svc)))
          and id is not ${q.excludeAppointmentId ?? null}
      ),
      'patient', (select json_object('firstName', first_name, 'email', email, 'phone', phone, 'emailConsent', email_consent, 'smsConsent', sms_consent) from patients where id = ${q.patientId ?? null} and organization_id = ${org})
    ) as req`);
  type Raw = {
    location: { id: string; timeZone: string; slotIntervalMinutes: number; minNoticeMinutes: number; maxAdvanceDays: number; name: string; address: string; phone: string } | null;
    service: { durationMinutes: number; bufferBeforeMinutes: number; bufferAfterMinutes: number; roomType: string | null; name: string; priceCents: number; autoConfirm: number } | null;
    providers: [string, number | null, number | null, string][];
    rooms: [string, string][];
    zones: Record<string, string>;
    shifts: [string, string, number, number, number, string, string | null][];
    exceptions: [string | null, string | null, string, "time_off" | "extra_hours" | "closed", number | null, number | null][];
    busy: [string, string | null, number, number][];
    patient: { firstName: string; email: string | null; phone: string | null; emailConsent: number; smsConsent: number } | null;
  };
  const raw = JSON.parse(row.req) as Raw;
  if (!raw.location || !raw.service) return null;
  const { location: l, service: s } = raw;
  // Only blocks that can touch the requested local days matter; the SQL bounds were a UTC superset.
  const rangeStart = localDay(l.timeZone, q.fromDate).start - 12 * HOUR;
  const rangeEnd = localDay(l.timeZone, q.toDate).end + 12 * HOUR;
  return {
    location: { id: l.id, timeZone: l.timeZone, slotIntervalMinutes: l.slotIntervalMinutes, minNoticeMinutes: l.minNoticeMinutes, maxAdvanceDays: l.maxAdvanceDays },
    service: { durationMinutes: s.durationMinutes, bufferBeforeMinutes: s.bufferBeforeMinutes, bufferAfterMinutes: s.bufferAfterMinutes, roomType: s.roomType },
    providers: raw.providers.map(([id, durationMinutes, priceCents]) => ({ id, durationMinutes, priceCents })),
    shifts: raw.shifts.map(([providerId, locationId, weekday, startMinute, endMinute, effectiveFrom, effectiveTo]) => ({ providerId, locationId, weekday, startMinute, endMinute, effectiveFrom, effectiveTo })),
    exceptions: raw.exceptions.map(([providerId, locationId, date, kind, startMinute, endMinute]) => ({ providerId, locationId, date, kind, startMinute, endMinute })),
    busy: raw.busy.filter(([, , start, end]) => start < rangeEnd && end > rangeStart).map(([providerId, roomId, start, end]) => ({ providerId, roomId, start, end })),
    rooms: raw.rooms.map(([id, roomType]) => ({ id, roomType })),
    locationZones: raw.zones,
    fromDate: q.fromDate,
    toDate: q.toDate,
    now: q.now,
    details: {
      service: { name: s.name, priceCents: s.priceCents, autoConfirm: Boolean(s.autoConfirm) },
      location: { name: l.name, address: l.address, phone: l.phone },
      providerNames: Object.fromEntries(raw.providers.map(([id, , , name]) => [id, name])),
      patient: raw.patient && { ...raw.patient, emailConsent: Boolean(raw.patient.emailConsent), smsConsent: Boolean(raw.patient.smsConsent) },
    },
  };
}

/**
 * The first day after `date` (within two weeks) with an open time for this service, and its first
 * time: what a refusal offers when nothing else is open the day asked for (issue 10).
 */
export async function nextOpenDay(db: Reader, q: Omit<AvailabilityQuery, "fromDate" | "toDate"> & { after: string }) {
  const fromDate = addDaysIso(q.after, 1);
  const loaded = await loadAvailabilityRequest(db, { ...q, fromDate, toDate: addDaysIso(q.after, 14) });
  if (!loaded) return null;
  const day = computeAvailability(loaded).find((d) => d.slots.length > 0);
  return day ? { date: day.date, first: day.slots[0].start, timeZone: loaded.location.timeZone } : null;
}
