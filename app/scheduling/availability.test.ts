import { describe, expect, it } from "vitest";
import { computeAvailability, type AvailabilityRequest, type WeeklyShift } from "./availability";
import { subtract, normalize, overlapsAny, timeList } from "./intervals";
import { localDay, localToInstant } from "./local-time";

const NY = "America/New_York";
const at = (date: string, hhmm: string, tz = NY) => localToInstant(tz, date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
const hhmm = (instant: number, tz = NY) => new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", hour12: false }).format(instant);

const MONDAY = "2026-11-16";
const shift = (over: Partial<WeeklyShift> = {}): WeeklyShift => ({ providerId: "p1", locationId: "loc-a", weekday: 1, startMinute: 9 * 60, endMinute: 12 * 60, effectiveFrom: "2026-01-01", effectiveTo: null, ...over });

function request(over: Partial<AvailabilityRequest> = {}): AvailabilityRequest {
  return {
    location: { id: "loc-a", timeZone: NY, slotIntervalMinutes: 30, minNoticeMinutes: 0, maxAdvanceDays: 365 },
    service: { durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, roomType: null },
    providers: [{ id: "p1" }],
    shifts: [shift()],
    exceptions: [],
    busy: [],
    rooms: [],
    fromDate: MONDAY,
    toDate: MONDAY,
    now: Date.UTC(2026, 10, 1),
    ...over,
  };
}
const times = (req: AvailabilityRequest, tz = NY) => computeAvailability(req).flatMap((d) => d.slots.map((s) => hhmm(s.start, tz)));

describe("availability engine", () => {
  it("offers grid starts whose whole visit fits the shift, in the location's zone", () => {
    expect(times(request())).toEqual(["09:00", "09:30", "10:00", "10:30", "11:00"]);
    const [day] = computeAvailability(request());
    expect(new Date(day.slots[0].start).toISOString()).toBe("2026-11-16T14:00:00.000Z");
  });

  it("keeps buffers inside working hours and clear of other appointments", () => {
    expect(times(request({ service: { durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 15, roomType: null } }))).toEqual(["09:00", "09:30", "10:00", "10:30"]);
    const busy = [{ providerId: "p1", roomId: null, start: at(MONDAY, "10:00"), end: at(MONDAY, "11:00") }];
    expect(times(request({ busy }))).toEqual(["09:00", "11:00"]);
    const prep = { durationMinutes: 60, bufferBeforeMinutes: 15, bufferAfterMinutes: 0, roomType: null };
    expect(times(request({ service: prep }))).toEqual(["09:30", "10:00", "10:30", "11:00"]);
    // 11:00 would need its 15-minute set-up from 10:45, inside the 10:00–11:00 appointment.
    expect(times(request({ busy, service: prep }))).toEqual([]);
  });

  it("reads another location's shifts and extra hours in that location's own zone", () => {
    const LA = "America/Los_Angeles";
    const allDay = shift({ startMinute: 9 * 60, endMinute: 17 * 60 });
    // 9:00–12:00 in Los Angeles is 12:00–15:00 in New York.
    const west = shift({ locationId: "loc-b", startMinute: 9 * 60, endMinute: 12 * 60 });
    const req = request({ shifts: [allDay, west], locationZones: { "loc-a": NY, "loc-b": LA } });
    expect(times(req)).toEqual(["09:00", "09:30", "10:00", "10:30", "11:00", "15:00", "15:30", "16:00"]);
    const extraWest = { providerId: "p1", locationId: "loc-b", date: MONDAY, kind: "extra_hours" as const, startMinute: 6 * 60, endMinute: 7 * 60 };
    // 6:00–7:00 in Los Angeles is 9:00–10:00 here.
    expect(times(request({ shifts: [allDay], exceptions: [extraWest], locationZones: { "loc-a": NY, "loc-b": LA } }))[0]).toBe("10:00");
  });

  it("honours time off, extra hours and holiday closures", () => {
    const off = { providerId: "p1", locationId: null, date: MONDAY, kind: "time_off" as const, startMinute: 10 * 60, endMinute: 11 * 60 };
    expect(times(request({ exceptions: [off] }))).toEqual(["09:00", "11:00"]);
    expect(times(request({ exceptions: [{ ...off, startMinute: null, endMinute: null }] }))).toEqual([]);
    const extra = { providerId: "p1", locationId: "loc-a", date: MONDAY, kind: "extra_hours" as const, startMinute: 13 * 60, endMinute: 14 * 60 };
    expect(times(request({ exceptions: [extra] }))).toEqual(["09:00", "09:30", "10:00", "10:30", "11:00", "13:00"]);
    const holiday = { providerId: null, locationId: "loc-a", date: MONDAY, kind: "closed" as const, startMinute: null, endMinute: null };
    expect(times(request({ exceptions: [holiday] }))).toEqual([]);
  });

  it("never offers a provider at two locations at once", () => {
    const elsewhere = shift({ locationId: "loc-b", startMinute: 9 * 60, endMinute: 10 * 60 + 30 });
    expect(times(request({ shifts: [shift(), elsewhere] }))).toEqual(["10:30", "11:00"]);
  });

  it("needs a free room of the required type", () => {
    const service = { durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, roomType: "laser" };
    const rooms = [{ id: "laser-1", roomType: "laser" }, { id: "inj-1", roomType: "injection" }];
    const busy = [{ providerId: "p2", roomId: "laser-1", start: at(MONDAY, "09:00"), end: at(MONDAY, "10:00") }];
    expect(times(request({ service, rooms, busy }))).toEqual(["10:00", "10:30", "11:00"]);
    expect(times(request({ service, rooms: [{ id: "inj-1", roomType: "injection" }] }))).toEqual([]);
  });

  it("merges providers for 'any provider' and uses per-provider durations", () => {
    const req = request({ providers: [{ id: "p1" }, { id: "p2", durationMinutes: 90 }], shifts: [shift(), shift({ providerId: "p2", startMinute: 10 * 60, endMinute: 13 * 60 })] });
    const slots = computeAvailability(req)[0].slots.map((s) => `${hhmm(s.start)} ${s.providerIds.join("+")}`);
    expect(slots).toEqual(["09:00 p1", "09:30 p1", "10:00 p1+p2", "10:30 p1+p2", "11:00 p1+p2", "11:30 p2"]);
  });

  it("applies minimum notice, maximum advance and effective dates", () => {
    expect(times(request({ now: at(MONDAY, "09:40"), location: { id: "loc-a", timeZone: NY, slotIntervalMinutes: 30, minNoticeMinutes: 60, maxAdvanceDays: 30 } }))).toEqual(["11:00"]);
    expect(times(request({ now: Date.UTC(2026, 8, 1), location: { id: "loc-a", timeZone: NY, slotIntervalMinutes: 30, minNoticeMinutes: 0, maxAdvanceDays: 30 } }))).toEqual([]);
    expect(times(request({ shifts: [shift({ effectiveTo: "2026-11-15" })] }))).toEqual([]);
  });

  it("keeps wall-clock hours across the spring-forward day", () => {
    const now = Date.UTC(2026, 1, 1);
    const sunday = (date: string) => request({ now, fromDate: date, toDate: date, shifts: [shift({ weekday: 7 })] });
    expect(times(sunday("2026-03-01"))).toEqual(times(sunday("2026-03-08")));
    const [before] = computeAvailability(sunday("2026-03-01"));
    const [after] = computeAvailability(sunday("2026-03-08"));
    expect(new Date(before.slots[0].start).toISOString()).toBe("2026-03-01T14:00:00.000Z");
    expect(new Date(after.slots[0].start).toISOString()).toBe("2026-03-08T13:00:00.000Z");
    const night = (date: string) => request({ now, fromDate: date, toDate: date, location: { id: "loc-a", timeZone: NY, slotIntervalMinutes: 60, minNoticeMinutes: 0, maxAdvanceDays: 365 }, shifts: [shift({ weekday: 7, startMinute: 0, endMinute: 6 * 60 })] });
    // 02:00 does not exist that night: five hours of work, five one-hour slots.
    expect(times(night("2026-03-08"))).toEqual(["00:00", "01:00", "03:00", "04:00", "05:00"]);
  });

  it("offers the repeated hour on the fall-back day", () => {
    const night = request({ fromDate: "2026-11-01", toDate: "2026-11-01", location: { id: "loc-a", timeZone: NY, slotIntervalMinutes: 60, minNoticeMinutes: 0, maxAdvanceDays: 365 }, shifts: [shift({ weekday: 7, startMinute: 0, endMinute: 6 * 60 })], now: Date.UTC(2026, 9, 1) });
    const [day] = computeAvailability(night);
    expect(day.slots.map((s) => hhmm(s.start))).toEqual(["00:00", "01:00", "01:00", "02:00", "03:00", "04:00", "05:00"]);
    expect(day.slots[2].start - day.slots[1].start).toBe(3600_000);
  });

  it("gives the same instants whatever the machine's TZ (this file runs under UTC and Asia/Kolkata)", () => {
    expect(localDay(NY, "2026-03-08")).toMatchObject({ weekday: 7, uniform: false, start: Date.UTC(2026, 2, 8, 5) });
    expect(localDay("Asia/Kolkata", "2026-03-08")).toMatchObject({ uniform: true, start: Date.UTC(2026, 2, 7, 18, 30) });
  });
});

describe("interval helpers", () => {
  it("merge, subtract and search", () => {
    expect(normalize([[5, 7], [1, 3], [2, 4], [9, 9]])).toEqual([[1, 4], [5, 7]]);
    expect(subtract([[0, 10]], [[2, 3], [5, 12]])).toEqual([[0, 2], [3, 5]]);
    const list = normalize([[1, 3], [6, 8]]);
    expect(overlapsAny(list, 3, 6)).toBe(false);
    expect(overlapsAny(list, 2, 4)).toBe(true);
    expect(overlapsAny(list, 7, 20)).toBe(true);
  });

  it("keeps a shift that ends at midnight whole on the day the clocks go back (found by the property test)", () => {
    // 2026-11-01 is 25 hours long in New York; 24:00 was read as 23:00 there.
    const req = request({ shifts: [shift({ weekday: 7, startMinute: 22 * 60, endMinute: 1440 })], fromDate: "2026-11-01", toDate: "2026-11-01" });
    expect(times(req)).toEqual(["22:00", "22:30", "23:00"]);
  });

  it("merges time lists given out of order, as parallel arrays", () => {
    expect(timeList([30, 0, 10, 50], [40, 10, 20, 50])).toEqual({ starts: [0, 30], ends: [20, 40] });
  });
});
