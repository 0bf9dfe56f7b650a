import { normalize, overlapsWithin, rangeWithin, subtract, timeList, type Interval, type TimeList } from "./intervals";
import { addDays, datesBetween, instantAt, localDay, minuteOfDayAt, type LocalDay } from "./local-time";

/**
 * The availability engine: pure functions over plain data, no database, no clock, no
 * machine time zone. Callers load the inputs (one location, one service, a date range)
 * and get every bookable start instant with the providers free at it.
 */

export interface WeeklyShift {
  providerId: string;
  locationId: string;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Local minutes since midnight, end exclusive. */
  startMinute: number;
  endMinute: number;
  /** Local dates, inclusive; null = open-ended. */
  effectiveFrom: string;
  effectiveTo: string | null;
}

export type ExceptionKind = "time_off" | "extra_hours" | "closed";

export interface ScheduleException {
  /** Null: applies to everyone at the location (a holiday closure). */
  providerId: string | null;
  /** Null: applies at every location (a provider's day off). */
  locationId: string | null;
  date: string;
  kind: ExceptionKind;
  /** Null for the whole day. */
  startMinute: number | null;
  endMinute: number | null;
}

/** Time already taken, as UTC instants, buffers included. */
export interface BusyBlock {
  providerId: string | null;
  roomId: string | null;
  start: number;
  end: number;
}

export interface AvailabilityRequest {
  location: { id: string; timeZone: string; slotIntervalMinutes: number; minNoticeMinutes: number; maxAdvanceDays: number };
  service: { durationMinutes: number; bufferBeforeMinutes: number; bufferAfterMinutes: number; roomType: string | null };
  /** The providers to consider (one, or all who perform the service for "any"), with per-provider duration overrides. */
  providers: { id: string; durationMinutes?: number | null; priceCents?: number | null }[];
  /** Shifts of those providers at every location: shifts elsewhere make them unavailable here. */
  shifts: WeeklyShift[];
  exceptions: ScheduleException[];
  busy: BusyBlock[];
  /** Time zones of the organization's other locations, for shifts and extra hours there. */
  locationZones?: Record<string, string>;
  /** Active rooms at the location. */
  rooms: { id: string; roomType: string }[];
  fromDate: string;
  toDate: string;
  now: number;
}

export interface Slot {
  start: number;
  providerIds: string[];
}

export interface DaySlots {
  date: string;
  slots: Slot[];
}

const MINUTE = 60_000;

function shiftApplies(shift: WeeklyShift, day: LocalDay) {
  return shift.weekday === day.weekday && shift.effectiveFrom <= day.date && (shift.effectiveTo === null || day.date <= shift.effectiveTo);
}

function exceptionInterval(timeZone: string, day: LocalDay, e: { startMinute: number | null; endMinute: number | null }): Interval {
  if (e.startMinute === null || e.endMinute === null) return [day.start, day.end];
  return [instantAt(timeZone, day, e.startMinute), instantAt(timeZone, day, e.endMinute)];
}

/** The local days of another zone that can overlap this local day (just this day when the zone is the same). */
function overlappingDays(zone: string, day: LocalDay, sameZone: boolean): LocalDay[] {
  if (sameZone) return [day];
  return [addDays(day.date, -1), day.date, addDays(day.date, 1)].map((d) => localDay(zone, d)).filter((d) => d.start < day.end && day.start < d.end);
}

type ScheduleInputs = Pick<AvailabilityRequest, "location" | "shifts" | "exceptions" | "locationZones">;

/** One provider's shifts and exceptions (their own, and everyone's closures), picked out once. */
export interface ProviderSchedule {
  shifts: WeeklyShift[];
  exceptions: ScheduleException[];
}

/**
 * Shifts and exceptions grouped by provider, in one pass over each list: looking them up per
 * provider and day instead made the cost grow with providers squared (issue 14).
 */
export function schedulesByProvider(req: Pick<AvailabilityRequest, "shifts" | "exceptions">, providerIds: Iterable<string>): Map<string, ProviderSchedule> {
  const everyone = req.exceptions.filter((e) => e.providerId === null);
  const out = new Map<string, ProviderSchedule>();
  for (const id of providerIds) out.set(id, { shifts: [], exceptions: [...everyone] });
  for (const s of req.shifts) out.get(s.providerId)?.shifts.push(s);
  for (const e of req.exceptions) if (e.providerId !== null) out.get(e.providerId)?.exceptions.push(e);
  return out;
}

/** When a provider works at this location on one local day, after exceptions and their other locations' shifts. */
export function workingIntervals(req: ScheduleInputs, providerId: string, day: LocalDay, schedule?: ProviderSchedule): Interval[] {
  const { id: locationId, timeZone } = req.location;
  const own = schedule ?? schedulesByProvider(req, [providerId]).get(providerId)!;
  // Another location's hours are in its own zone: 9–5 in Los Angeles is 12–8 in New York.
  const zoneOf = (id: string | null) => (id && req.locationZones?.[id]) || timeZone;
  const here: Interval[] = [];
  const off: Interval[] = [];
  for (const s of own.shifts) {
    if (s.locationId === locationId) {
      if (shiftApplies(s, day)) here.push([instantAt(timeZone, day, s.startMinute), instantAt(timeZone, day, s.endMinute)]);
      continue;
    }
    const zone = zoneOf(s.locationId);
    for (const other of overlappingDays(zone, day, zone === timeZone)) if (shiftApplies(s, other)) off.push([instantAt(zone, other, s.startMinute), instantAt(zone, other, s.endMinute)]);
  }
  for (const e of own.exceptions) {
    if (e.kind === "extra_hours" && e.locationId !== locationId) {
      // Extra hours at another location take that time away here, in that location's zone.
      const zone = zoneOf(e.locationId);
      for (const other of overlappingDays(zone, day, zone === timeZone)) if (other.date === e.date) off.push(exceptionInterval(zone, other, e));
      continue;
    }
    if (e.date !== day.date) continue;
    const atThisLocation = e.locationId === null || e.locationId === locationId;
    if (e.kind === "closed" && atThisLocation) return [];
    if (e.kind === "time_off") off.push(exceptionInterval(timeZone, day, e));
    if (e.kind === "extra_hours") here.push(exceptionInterval(timeZone, day, e));
  }
  return subtract(normalize(here), off);
}

/** Candidate start instants on the location's local grid inside [from, to]. */
function gridStarts(timeZone: string, day: LocalDay, interval: number, from: number, to: number): number[] {
  const out: number[] = [];
  if (to < from) return out;
  if (day.uniform) {
    const step = interval * MINUTE;
    const first = day.start + Math.ceil((from - day.start) / step) * step;
    for (let s = first; s <= to; s += step) out.push(s);
    return out;
  }
  // Transition day: walk minute by minute through real instants, keep local grid minutes.
  for (let s = Math.ceil(from / MINUTE) * MINUTE; s <= to; s += MINUTE) {
    if (minuteOfDayAt(timeZone, s) % interval === 0) out.push(s);
  }
  return out;
}

function busyBy<K extends "providerId" | "roomId">(busy: BusyBlock[], key: K) {
  const grouped = new Map<string, { starts: number[]; ends: number[] }>();
  for (const b of busy) {
    const id = b[key];
    if (!id) continue;
    let list = grouped.get(id);
    if (!list) grouped.set(id, (list = { starts: [], ends: [] }));
    list.starts.push(b.start);
    list.ends.push(b.end);
  }
  const out = new Map<string, TimeList>();
  for (const [id, list] of grouped) out.set(id, timeList(list.starts, list.ends));
  return out;
}

const NONE: TimeList = { starts: [], ends: [] };

export function computeAvailability(req: AvailabilityRequest): DaySlots[] {
  const { timeZone, slotIntervalMinutes, minNoticeMinutes, maxAdvanceDays } = req.location;
  const { bufferBeforeMinutes, bufferAfterMinutes, roomType } = req.service;
  const earliest = req.now + minNoticeMinutes * MINUTE;
  const latest = req.now + maxAdvanceDays * 1440 * MINUTE;
  const providerBusy = busyBy(req.busy, "providerId");
  const roomBusy = busyBy(req.busy, "roomId");
  const roomsNeeded = roomType === null ? null : req.rooms.filter((r) => r.roomType === roomType).map((r) => roomBusy.get(r.id) ?? NONE);
  const before = bufferBeforeMinutes * MINUTE;
  const after = bufferAfterMinutes * MINUTE;
  const schedules = schedulesByProvider(req, req.providers.map((p) => p.id));

  return datesBetween(req.fromDate, req.toDate).map((date) => {
    const day = localDay(timeZone, date);
    const byStart = new Map<number, string[]>();
    if (roomsNeeded && roomsNeeded.length === 0) return { date, slots: [] };
    // Blocks stay inside one day's working hours: only that day's part of each list is searched,
    // so a check costs the same in a 90-day window as in a 1-day one.
    const rooms = roomsNeeded?.map((room) => ({ room, range: rangeWithin(room, day.start, day.end) }));
    for (const provider of req.providers) {
      const duration = (provider.durationMinutes ?? req.service.durationMinutes) * MINUTE;
      const busy = providerBusy.get(provider.id) ?? NONE;
      const [busyFrom, busyTo] = rangeWithin(busy, day.start, day.end);
      for (const [ws, we] of workingIntervals(req, provider.id, day, schedules.get(provider.id))) {
        // The whole block, buffers included, stays inside working hours.
        const from = Math.max(ws + before, earliest);
        const to = Math.min(we - duration - after, latest);
        for (const start of gridStarts(timeZone, day, slotIntervalMinutes, from, to)) {
          const blockStart = start - before;
          const blockEnd = start + duration + after;
          if (overlapsWithin(busy, blockStart, blockEnd, busyFrom, busyTo)) continue;
          if (rooms && !rooms.some(({ room, range }) => !overlapsWithin(room, blockStart, blockEnd, range[0], range[1]))) continue;
          const list = byStart.get(start);
          if (list) list.push(provider.id);
          else byStart.set(start, [provider.id]);
        }
      }
    }
    const slots = [...byStart].sort((a, b) => a[0] - b[0]).map(([start, providerIds]) => ({ start, providerIds }));
    return { date, slots };
  });
}
