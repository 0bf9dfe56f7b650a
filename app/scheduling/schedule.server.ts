import { and, asc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { appointments, categoryColors, consentTemplates, deposits, encounters, locations, memberships, patientConsents, patients, rooms, scheduleExceptions, serviceConsents, services, shifts, userLocations, users, type AppointmentStatus } from "../../db/schema";
import { audit } from "../audit/audit.server";
import type { BookingActor } from "./booking.server";
import { schedulesByProvider, workingIntervals } from "./availability";
import { nextStatuses } from "./lifecycle";
import { formatTime } from "./format";
import { visitFlags } from "./visit-flags";
import { addDays, localDateOf, localDay } from "./local-time";

export interface ScheduleLocation {
  id: string;
  timeZone: string;
}

/**
 * Appointments at a location between two local dates (inclusive), for the staff calendar.
 * A busy day is a few hundred rows: they come back as one JSON array built by SQLite, because
 * the libSQL driver's per-cell cost would otherwise be most of the page's database time.
 */
export async function appointmentsBetween(ctx: AppContext, actor: BookingActor, location: ScheduleLocation, fromDate: string, toDate: string) {
  const rows = await listAppointments(ctx, actor, location, fromDate, toDate);
  await audit(ctx, { actor, action: "appointment.list", entityType: "appointment", outcome: "allowed", reason: "schedule" });
  return rows;
}

/** appointmentsBetween without the audit event: for callers that audit the read themselves. */
export async function listAppointments(ctx: Pick<AppContext, "db">, actor: BookingActor, location: ScheduleLocation, fromDate: string, toDate: string, only?: { appointmentId: string }) {
  const start = localDay(location.timeZone, fromDate).start;
  const end = localDay(location.timeZone, toDate).end;
  // block_start bounds use the index; no visit's buffers reach a day beyond its own.
  const [row] = await ctx.db.all<{ list: string | null }>(sql`
    select json_group_array(json_array(a.id, a.status, a.starts_at, a.ends_at, a.provider_id, a.room_id, s.name, p.first_name, p.last_name, p.late_cancellations, p.no_shows,
      s.category, a.start_buffer, a.end_buffer, a.notes is not null and a.notes <> '', a.patient_id,
      -- The colour the clinic chose for the service's category, if it chose one.
      (select cc.color from ${categoryColors} cc where cc.organization_id = a.organization_id and cc.category = s.category),
      -- A first visit: nothing completed before it (the patient index answers it per row).
      not exists (select 1 from ${appointments} x where x.patient_id = a.patient_id and x.status = 'completed' and x.starts_at < a.starts_at),
      -- Forms missing: a consent the service requires that the patient hasn't signed within the
      -- form's months before the visit (signed since counts: at check-in, on the tablet). Asked only
      -- of visits still to be seen.
      a.status in ('requested', 'confirmed', 'checked_in', 'in_room') and exists (
        select 1 from ${serviceConsents} sc join ${consentTemplates} ct on ct.id = sc.template_id
        where sc.service_id = a.service_id and not exists (
          select 1 from ${patientConsents} pc where pc.patient_id = a.patient_id and pc.template_id = sc.template_id
            and pc.signed_at >= strftime('%s', a.starts_at / 1000, 'unixepoch', '-' || ct.valid_months || ' months') * 1000)),
      -- A deposit paid online for the visit (the partial index's own condition, so it is used).
      exists (select 1 from ${deposits} d where d.appointment_id = a.id and d.status in ('pending', 'paid', 'applied') and d.status <> 'pending'))) as list
    from (
      select a0.*, (a0.starts_at - a0.block_start) / 60000 as start_buffer, (a0.block_end - a0.ends_at) / 60000 as end_buffer from ${appointments} a0
      where a0.organization_id = ${actor.organizationId} and a0.location_id = ${location.id}
        and a0.block_start >= ${start - 86_400_000} and a0.block_start < ${end}
        and a0.starts_at < ${end} and a0.ends_at > ${start}${only ? sql` and a0.id = ${only.appointmentId}` : sql``}
      order by a0.starts_at
    ) a
    join ${patients} p on p.id = a.patient_id
    join ${services} s on s.id = a.service_id`);
  type Tuple = [string, AppointmentStatus, number, number, string, string | null, string, string, string, number, number, string, number, number, 0 | 1, string, string | null, 0 | 1, 0 | 1, 0 | 1];
  const rows = (JSON.parse(row?.list ?? "[]") as Tuple[])
    .map(([id, status, startsAt, endsAt, providerId, roomId, serviceName, patientFirstName, patientLastName, lateCancellations, noShows, category, bufferBefore, bufferAfter, hasNote, patientId, categoryColor, firstVisit, formsMissing, depositPaid]) => ({
      id, status, startsAt: new Date(startsAt), endsAt: new Date(endsAt), providerId, roomId, serviceName, patientFirstName, patientLastName, lateCancellations, noShows,
      category, bufferBeforeMinutes: bufferBefore, bufferAfterMinutes: bufferAfter, hasNote: hasNote === 1, patientId, categoryColor, firstVisit: firstVisit === 1,
      formsMissing: formsMissing === 1, depositPaid: depositPaid === 1,
    }))
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  return rows;
}

/** Providers assigned to the location (active members), and its active rooms. */
export async function scheduleResources(ctx: AppContext, organizationId: string, locationId: string) {
  const [providers, roomRows] = await Promise.all([
    ctx.db
      .select({ id: users.id, name: users.name })
      .from(users)
      .innerJoin(userLocations, and(eq(userLocations.userId, users.id), eq(userLocations.locationId, locationId)))
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.organizationId, organizationId), eq(memberships.status, "active"), eq(memberships.role, "provider")))
      .orderBy(asc(users.name)),
    ctx.db.select({ id: rooms.id, name: rooms.name, roomType: rooms.roomType }).from(rooms).where(and(eq(rooms.locationId, locationId), eq(rooms.active, true))).orderBy(asc(rooms.name)),
  ]);
  return { providers, rooms: roomRows };
}

/** Each provider's free time on a local day: working hours minus what is booked. */
/**
 * What free time on a day depends on besides the bookings: the shifts of everyone assigned to the
 * location (wherever they work them), the organization's exceptions around the day, and each
 * location's zone. Read all at once, and without waiting for the provider list (a round trip each on Turso).
 */
export async function freeTimeInputs(ctx: Pick<AppContext, "db">, organizationId: string, location: ScheduleLocation, date: string, toDate = date) {
  const [shiftRows, exceptionRows, zones] = await Promise.all([
    ctx.db
      .select({ providerId: shifts.userId, locationId: shifts.locationId, weekday: shifts.weekday, startMinute: shifts.startMinute, endMinute: shifts.endMinute, effectiveFrom: shifts.effectiveFrom, effectiveTo: shifts.effectiveTo })
      .from(shifts)
      .where(and(eq(shifts.organizationId, organizationId), inArray(shifts.userId, ctx.db.select({ id: userLocations.userId }).from(userLocations).where(eq(userLocations.locationId, location.id))))),
    ctx.db
      .select({ providerId: scheduleExceptions.userId, locationId: scheduleExceptions.locationId, date: scheduleExceptions.date, kind: scheduleExceptions.kind, startMinute: scheduleExceptions.startMinute, endMinute: scheduleExceptions.endMinute })
      .from(scheduleExceptions)
      .where(and(eq(scheduleExceptions.organizationId, organizationId), gte(scheduleExceptions.date, addDays(date, -1)), lte(scheduleExceptions.date, addDays(toDate, 1)))),
    ctx.db.select({ id: locations.id, timeZone: locations.timeZone, slotIntervalMinutes: locations.slotIntervalMinutes }).from(locations).where(eq(locations.organizationId, organizationId)),
  ]);
  return { shiftRows, exceptionRows, locationZones: Object.fromEntries(zones.map((z) => [z.id, z.timeZone])), slotIntervalMinutes: zones.find((z) => z.id === location.id)?.slotIntervalMinutes ?? 15 };
}

/**
 * Each provider's hours on a local day at this location: `scheduled` (shifts and extra hours),
 * `working` (less time off and closures), and whether the location is closed that day.
 */
export function providerHours(inputs: Awaited<ReturnType<typeof freeTimeInputs>>, location: ScheduleLocation, date: string, providerIds: string[]) {
  const { shiftRows, exceptionRows, locationZones } = inputs;
  const day = localDay(location.timeZone, date);
  const schedule = { location: { id: location.id, timeZone: location.timeZone, slotIntervalMinutes: inputs.slotIntervalMinutes, minNoticeMinutes: 0, maxAdvanceDays: 0 }, shifts: shiftRows, exceptions: exceptionRows, locationZones };
  const withoutAbsences = { ...schedule, exceptions: exceptionRows.filter((e) => e.kind === "extra_hours") };
  const closed = exceptionRows.some((e) => e.kind === "closed" && e.date === date && (e.locationId === null || e.locationId === location.id));
  // Grouped once: per provider, their schedule.
  const schedules = schedulesByProvider(schedule, providerIds);
  const plain = schedulesByProvider(withoutAbsences, providerIds);
  return {
    day,
    closed,
    hours: new Map(providerIds.map((id) => [id, { working: workingIntervals(schedule, id, day, schedules.get(id)), scheduled: workingIntervals(withoutAbsences, id, day, plain.get(id)) }])),
  };
}

export function weekOf(date: string) {
  // Monday-based week containing `date`.
  const d = new Date(`${date}T12:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7;
  const monday = addDays(date, -weekday);
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** Today's appointments at a location (optionally one provider's), shaped for DayList. */
export async function todayList(ctx: AppContext, actor: BookingActor, location: ScheduleLocation, providerId?: string) {
  const today = localDateOf(location.timeZone, ctx.clock.now().getTime());
  const day = localDay(location.timeZone, today);
  // Whether each visit has a chart, and whether it is signed (no clinical content: the desk sees
  // "chart signed"), read with the day's visits (one round trip, ADR 020).
  const [all, resources, charts] = await Promise.all([
    appointmentsBetween(ctx, actor, location, today, today),
    scheduleResources(ctx, actor.organizationId, location.id),
    ctx.db.select({ appointmentId: encounters.appointmentId, id: encounters.id, status: encounters.status }).from(encounters).innerJoin(appointments, eq(appointments.id, encounters.appointmentId)).where(and(eq(appointments.locationId, location.id), gte(appointments.blockStart, new Date(day.start - 86_400_000)), lte(appointments.blockStart, new Date(day.end)))),
  ]);
  const rows = all.filter((a) => !providerId || a.providerId === providerId);
  const names = new Map(resources.providers.map((p) => [p.id, p.name]));
  const chartOf = new Map(charts.map((c) => [c.appointmentId, c]));
  return rows.map((a) => ({
    chart: chartOf.get(a.id) ? { id: chartOf.get(a.id)!.id, status: chartOf.get(a.id)!.status } : null,
    providerId: a.providerId,
    id: a.id,
    status: a.status,
    time: formatTime(a.startsAt.getTime(), location.timeZone),
    startsAt: a.startsAt.getTime(),
    endsAt: a.endsAt.getTime(),
    patient: `${a.patientFirstName} ${a.patientLastName}`,
    patientId: a.patientId,
    flags: visitFlags(a),
    serviceName: a.serviceName,
    providerName: providerId ? undefined : names.get(a.providerId),
    allowed: nextStatuses(a.status, { userId: actor.id, role: actor.role }, { providerId: a.providerId, patientUserId: null }),
  }));
}
