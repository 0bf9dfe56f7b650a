import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { computeAvailability, type AvailabilityRequest, type BusyBlock, type ScheduleException, type WeeklyShift } from "./availability";

/**
 * The engine against a brute-force reference over randomized schedules (issue 14): the reference
 * walks every minute of every day and asks, minute by minute, "is this provider working, free,
 * and is a room free?", straight from the rules, with its own time-zone arithmetic (Temporal) and
 * none of the engine's interval algebra, grouping or grid stepping.
 */
const MINUTE = 60_000;
const ZONES = ["America/New_York", "America/Los_Angeles", "UTC", "Asia/Kolkata"] as const;
// Ordinary days and both US daylight-saving changes.
const START_DATES = ["2026-03-07", "2026-03-08", "2026-06-15", "2026-10-31", "2026-11-01", "2026-12-01"] as const;

const offsetCache = new Map<string, number>();
/** The zone's UTC offset in ms at an instant (US and Indian changes fall on whole UTC hours). */
function offsetAt(zone: string, t: number) {
  const hour = Math.floor(t / 3_600_000) * 3_600_000;
  const key = `${zone}|${hour}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) offsetCache.set(key, (offset = Temporal.Instant.fromEpochMilliseconds(hour).toZonedDateTimeISO(zone).offsetNanoseconds / 1e6));
  return offset;
}
function local(zone: string, t: number) {
  const wall = t + offsetAt(zone, t);
  const date = new Date(wall).toISOString().slice(0, 10);
  return { date, minute: Math.floor((wall - Date.parse(`${date}T00:00:00Z`)) / MINUTE), weekday: ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1 };
}
const instantCache = new Map<string, number>();
/** A local wall-clock time as an instant, "compatible" as RFC 5545 says (gaps move forward). */
function instant(zone: string, date: string, minute: number) {
  const key = `${zone}|${date}|${minute}`;
  let t = instantCache.get(key);
  if (t === undefined) {
    const midnight = Temporal.PlainDate.from(date).toPlainDateTime({ hour: 0 }).add({ minutes: minute });
    instantCache.set(key, (t = midnight.toZonedDateTime(zone, { disambiguation: "compatible" }).epochMilliseconds));
  }
  return t;
}
function shiftDay(date: string, days: number) {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}
const within = (t: number, start: number, end: number) => start <= t && t < end;

function referenceAvailability(req: AvailabilityRequest) {
  const L = req.location.id;
  const zone = req.location.timeZone;
  const zoneOf = (id: string | null) => (id && req.locationZones?.[id]) || zone;
  const applies = (s: WeeklyShift, date: string) => s.weekday === local("UTC", Date.parse(`${date}T12:00:00Z`)).weekday && s.effectiveFrom <= date && (s.effectiveTo === null || date <= s.effectiveTo);
  const exceptionCovers = (e: ScheduleException, z: string, t: number) =>
    e.startMinute === null || e.endMinute === null ? local(z, t).date === e.date : within(t, instant(z, e.date, e.startMinute), instant(z, e.date, e.endMinute));
  const mine = (e: ScheduleException, p: string) => e.providerId === null || e.providerId === p;

  function working(p: string, t: number, day: string) {
    if (local(zone, t).date !== day) return false;
    if (req.exceptions.some((e) => mine(e, p) && e.kind === "closed" && e.date === day && (e.locationId === null || e.locationId === L))) return false;
    const here =
      req.shifts.some((s) => s.providerId === p && s.locationId === L && applies(s, day) && within(t, instant(zone, day, s.startMinute), instant(zone, day, s.endMinute))) ||
      req.exceptions.some((e) => mine(e, p) && e.kind === "extra_hours" && e.locationId === L && e.date === day && exceptionCovers(e, zone, t));
    if (!here) return false;
    const timeOff = req.exceptions.some((e) => mine(e, p) && e.kind === "time_off" && e.date === day && exceptionCovers(e, zone, t));
    const elsewhere =
      req.shifts.some((s) => {
        if (s.providerId !== p || s.locationId === L) return false;
        const z = zoneOf(s.locationId);
        return [-1, 0, 1].some((k) => {
          const d = shiftDay(local(z, t).date, k);
          return applies(s, d) && within(t, instant(z, d, s.startMinute), instant(z, d, s.endMinute));
        });
      }) || req.exceptions.some((e) => mine(e, p) && e.kind === "extra_hours" && e.locationId !== L && exceptionCovers(e, zoneOf(e.locationId), t));
    return !timeOff && !elsewhere;
  }

  const overlaps = (b: BusyBlock, start: number, end: number) => b.start < end && b.end > start;
  const earliest = req.now + req.location.minNoticeMinutes * MINUTE;
  const latest = req.now + req.location.maxAdvanceDays * 1440 * MINUTE;
  const before = req.service.bufferBeforeMinutes * MINUTE;
  const after = req.service.bufferAfterMinutes * MINUTE;
  const rooms = req.service.roomType === null ? null : req.rooms.filter((r) => r.roomType === req.service.roomType);
  const out: { date: string; slots: { start: number; providerIds: string[] }[] }[] = [];
  for (let date = req.fromDate; date <= req.toDate; date = shiftDay(date, 1)) {
    const slots: { start: number; providerIds: string[] }[] = [];
    for (let t = Date.parse(`${date}T00:00:00Z`) - 15 * 60 * MINUTE; t < Date.parse(`${date}T00:00:00Z`) + 39 * 60 * MINUTE; t += MINUTE) {
      const at = local(zone, t);
      if (at.date !== date || at.minute % req.location.slotIntervalMinutes !== 0 || t < earliest || t > latest) continue;
      const providerIds: string[] = [];
      for (const p of req.providers) {
        const blockStart = t - before;
        const blockEnd = t + (p.durationMinutes ?? req.service.durationMinutes) * MINUTE + after;
        let ok = true;
        for (let u = blockStart; ok && u < blockEnd; u += MINUTE) ok = working(p.id, u, date);
        if (!ok) continue;
        if (req.busy.some((b) => b.providerId === p.id && overlaps(b, blockStart, blockEnd))) continue;
        if (rooms && !rooms.some((r) => !req.busy.some((b) => b.roomId === r.id && overlaps(b, blockStart, blockEnd)))) continue;
        providerIds.push(p.id);
      }
      if (providerIds.length) slots.push({ start: t, providerIds });
    }
    out.push({ date, slots });
  }
  return out;
}

const weekdayOf = (date: string) => local("UTC", Date.parse(`${date}T12:00:00Z`)).weekday;
const minuteOf = (step: number, max: number) => fc.integer({ min: 0, max: Math.floor(max / step) }).map((k) => k * step);
const PROVIDERS = ["p0", "p1", "p2"];
const requests = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    otherZone: fc.constantFrom(...ZONES),
    fromDate: fc.constantFrom(...START_DATES),
    days: fc.integer({ min: 1, max: 2 }),
    providerCount: fc.integer({ min: 1, max: 3 }),
    overrides: fc.array(fc.option(fc.integer({ min: 3, max: 18 }).map((k) => k * 5), { nil: null }), { minLength: 3, maxLength: 3 }),
    shifts: fc.array(
      fc.record({
        provider: fc.constantFrom(...PROVIDERS),
        location: fc.constantFrom("L", "L", "M"),
        // Mostly a weekday of the days asked for, so most shifts apply.
        weekday: fc.oneof(fc.constantFrom<"first" | "second">("first", "second"), fc.integer({ min: 1, max: 7 })),
        start: minuteOf(15, 1380),
        length: minuteOf(15, 720).map((m) => m + 15),
        fromLater: fc.boolean(),
        endsEarly: fc.boolean(),
      }),
      { maxLength: 8 },
    ),
    exceptions: fc.array(
      fc.record({
        provider: fc.option(fc.constantFrom(...PROVIDERS), { nil: null }),
        location: fc.constantFrom<"L" | "M" | null>("L", "M", null),
        dayOffset: fc.integer({ min: -1, max: 2 }),
        kind: fc.constantFrom<ScheduleException["kind"]>("time_off", "extra_hours", "closed"),
        range: fc.option(fc.record({ start: minuteOf(15, 1380), length: minuteOf(15, 480).map((m) => m + 15) }), { nil: null }),
      }),
      { maxLength: 4 },
    ),
    busy: fc.array(
      fc.record({ provider: fc.option(fc.constantFrom(...PROVIDERS), { nil: null }), room: fc.option(fc.constantFrom("r0", "r1", "r2"), { nil: null }), start: minuteOf(5, 3 * 1440), length: minuteOf(5, 150).map((m) => m + 5) }),
      { maxLength: 10 },
    ),
    rooms: fc.array(fc.constantFrom("injection", "injection", "laser"), { minLength: 1, maxLength: 3 }),
    roomType: fc.constantFrom<string | null>(null, null, "injection"),
    duration: fc.integer({ min: 3, max: 18 }).map((k) => k * 5),
    before: minuteOf(5, 20),
    after: minuteOf(5, 20),
    interval: fc.constantFrom(5, 10, 15, 30, 60),
    minNotice: minuteOf(15, 240),
    maxAdvanceDays: fc.integer({ min: 2, max: 60 }),
    nowHoursBefore: fc.integer({ min: -6, max: 48 }),
  })
  .map((g): AvailabilityRequest => {
    const base = Date.parse(`${g.fromDate}T00:00:00Z`) - 12 * 60 * MINUTE;
    return {
      location: { id: "L", timeZone: g.zone, slotIntervalMinutes: g.interval, minNoticeMinutes: g.minNotice, maxAdvanceDays: g.maxAdvanceDays },
      service: { durationMinutes: g.duration, bufferBeforeMinutes: g.before, bufferAfterMinutes: g.after, roomType: g.roomType },
      providers: PROVIDERS.slice(0, g.providerCount).map((id, i) => ({ id, durationMinutes: g.overrides[i] })),
      shifts: g.shifts.map((s) => ({
        providerId: s.provider,
        locationId: s.location,
        weekday: typeof s.weekday === "number" ? s.weekday : weekdayOf(shiftDay(g.fromDate, s.weekday === "first" ? 0 : 1)),
        startMinute: s.start,
        endMinute: Math.min(1440, s.start + s.length),
        effectiveFrom: s.fromLater ? shiftDay(g.fromDate, 1) : "2026-01-01",
        effectiveTo: s.endsEarly ? g.fromDate : null,
      })),
      // Extra hours always name their location (the settings form gives one).
      exceptions: g.exceptions.map((e) => ({
        providerId: e.provider,
        locationId: e.kind === "extra_hours" ? (e.location ?? "L") : e.location,
        date: shiftDay(g.fromDate, e.dayOffset),
        kind: e.kind,
        startMinute: e.range ? e.range.start : null,
        endMinute: e.range ? Math.min(1440, e.range.start + e.range.length) : null,
      })),
      busy: g.busy.map((b) => ({ providerId: b.provider, roomId: b.room, start: base + b.start * MINUTE, end: base + (b.start + b.length) * MINUTE })),
      rooms: g.rooms.map((roomType, i) => ({ id: `r${i}`, roomType })),
      locationZones: { L: g.zone, M: g.otherZone },
      fromDate: g.fromDate,
      toDate: shiftDay(g.fromDate, g.days - 1),
      now: Date.parse(`${g.fromDate}T00:00:00Z`) - g.nowHoursBefore * 60 * MINUTE,
    };
  });

describe("availability engine against a brute-force reference", () => {
  it("gives the same slots over randomized schedules, zones and daylight-saving days", () => {
    fc.assert(
      fc.property(requests, (req) => {
        expect(computeAvailability(req)).toEqual(referenceAvailability(req));
      }),
      { numRuns: 150 },
    );
  });

  it("finds slots on most generated schedules (the comparison is not of empty lists)", () => {
    const samples = fc.sample(requests, { numRuns: 150, seed: 14 });
    const withSlots = samples.filter((req) => computeAvailability(req).some((d) => d.slots.length > 0)).length;
    expect(withSlots).toBeGreaterThan(35);
  });
});
