import { Faker, en } from "@faker-js/faker";
import { computeAvailability, type AvailabilityRequest, type BusyBlock, type WeeklyShift } from "../app/scheduling/availability";
import { addDays, datesBetween, localDay } from "../app/scheduling/local-time";

/**
 * 14 days of slots for one service, "any provider", at a location with 20 providers and
 * 2,000 existing appointments in range. Inputs are generated deterministically in memory:
 * the scheduling tables arrive with the rest of the scheduling issue, and then this bench
 * will load the same shapes from the `--size large` database.
 */
export function availabilityFixture(seed = 2026): AvailabilityRequest {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  const timeZone = "America/New_York";
  const fromDate = "2026-12-01";
  const toDate = addDays(fromDate, 13);
  const providers = Array.from({ length: 20 }, (_, i) => ({ id: `provider-${i}` }));
  const shifts: WeeklyShift[] = providers.flatMap((p, i) =>
    [1, 2, 3, 4, 5, 6].filter((d) => (d + i) % 7 !== 0).map((weekday) => ({ providerId: p.id, locationId: "loc", weekday, startMinute: (8 + (i % 3)) * 60, endMinute: (16 + (i % 3)) * 60, effectiveFrom: "2026-01-01", effectiveTo: null })),
  );
  const rooms = Array.from({ length: 12 }, (_, i) => ({ id: `room-${i}`, roomType: i < 8 ? "injection" : "laser" }));
  const dates = datesBetween(fromDate, toDate);
  const busy: BusyBlock[] = Array.from({ length: 2000 }, () => {
    const day = localDay(timeZone, faker.helpers.arrayElement(dates));
    const start = day.start + (8 * 60 + faker.number.int({ min: 0, max: 30 }) * 15) * 60_000;
    return { providerId: faker.helpers.arrayElement(providers).id, roomId: faker.helpers.arrayElement(rooms).id, start, end: start + faker.helpers.arrayElement([30, 45, 60, 90]) * 60_000 };
  });
  return {
    location: { id: "loc", timeZone, slotIntervalMinutes: 15, minNoticeMinutes: 120, maxAdvanceDays: 90 },
    service: { durationMinutes: 45, bufferBeforeMinutes: 5, bufferAfterMinutes: 10, roomType: "injection" },
    providers,
    shifts,
    exceptions: [{ providerId: null, locationId: "loc", date: "2026-12-25", kind: "closed", startMinute: null, endMinute: null }],
    busy,
    rooms,
    fromDate,
    toDate,
    now: Date.UTC(2026, 10, 30, 12),
  };
}

export function benchAvailability(iterations = 300) {
  const req = availabilityFixture();
  let slots = 0;
  for (let i = 0; i < 30; i++) slots = computeAvailability(req).reduce((n, d) => n + d.slots.length, 0);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    computeAvailability(req);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const q = (p: number) => Number(samples[Math.min(samples.length - 1, Math.floor(p * samples.length))].toFixed(3));
  return { name: "availability", unit: "ms", p50: q(0.5), p95: q(0.95), iterations, days: 14, providers: 20, appointments: req.busy.length, slots, target: { p95: 5 } };
}
