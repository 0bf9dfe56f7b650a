import { copyFileSync, existsSync, renameSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { computeAvailability, type AvailabilityRequest } from "../app/scheduling/availability";
import { loadAvailabilityRequest } from "../app/scheduling/availability.server";
import { addDays } from "../app/scheduling/local-time";
import { openDatabase, tuneLocalDatabase } from "../db/client";
import { locations, organizations, services } from "../db/schema";
import { LARGE_APPOINTMENT_RANGE } from "../db/seed/generate";
import { percentile } from "./large-data";

const DAY = 86_400_000;
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);

async function flagship(dbFile: string) {
  const { client, db } = openDatabase(`file:${dbFile}`);
  await tuneLocalDatabase(client, `file:${dbFile}`);
  const [org] = await db.select().from(organizations).where(eq(organizations.slug, "lumen"));
  const [location] = await db.select().from(locations).where(and(eq(locations.organizationId, org.id), eq(locations.name, "Lumen Midtown")));
  const [service] = await db.select().from(services).where(and(eq(services.organizationId, org.id), eq(services.name, "Neurotoxin (Botox, Dysport)")));
  return { client, db, org, location, service };
}

/**
 * The bench case made bigger: every provider copied `factor` times (with their shifts and
 * bookings), and the fortnight's bookings repeated to fill `days`.
 */
export function scaleRequest(base: AvailabilityRequest, factor: number, days: number): AvailabilityRequest {
  const copies = Array.from({ length: factor }, (_, k) => (id: string) => (k === 0 ? id : `${id}#${k}`));
  const toDate = addDays(base.fromDate, days - 1);
  const end = Date.parse(`${toDate}T00:00:00Z`) + 2 * DAY;
  const busy: AvailabilityRequest["busy"] = [];
  for (let shift = 0; shift * 14 < days; shift++) {
    for (const b of base.busy) {
      const start = b.start + shift * 14 * DAY;
      if (start < end) busy.push({ ...b, start, end: b.end + shift * 14 * DAY });
    }
  }
  return {
    ...base,
    toDate,
    location: { ...base.location, maxAdvanceDays: Math.max(base.location.maxAdvanceDays, days + 1) },
    providers: copies.flatMap((as) => base.providers.map((p) => ({ ...p, id: as(p.id) }))),
    shifts: copies.flatMap((as) => base.shifts.map((s) => ({ ...s, providerId: as(s.providerId) }))),
    exceptions: copies.flatMap((as) => base.exceptions.map((e) => ({ ...e, providerId: e.providerId && as(e.providerId) }))),
    busy: copies.flatMap((as) => busy.map((b) => ({ ...b, providerId: b.providerId && as(b.providerId) }))),
  };
}

/** The xl data set without its two years of history (same clinic, same fortnight): made once from xl. */
export async function ensureXlWithoutHistory(xlDb: string) {
  const file = xlDb.replace(/\.db$/, "-no-history.db");
  if (existsSync(file)) return file;
  console.error("preparing the xl data set without history…");
  copyFileSync(xlDb, `${file}.tmp`);
  const { client } = openDatabase(`file:${file}.tmp`);
  await client.execute({ sql: "delete from appointments where block_start < ?", args: [Date.parse(`${LARGE_APPOINTMENT_RANGE.fromDate}T00:00:00Z`) - 2 * DAY] });
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  client.close();
  renameSync(`${file}.tmp`, file);
  return file;
}

/**
 * How availability's cost grows (issue 14). The engine: the bench case (20 providers, 2,000
 * visits, 14 days), 10 times the providers and visits, and that over 90 days, rounds interleaved;
 * ratios of medians (linear would be 10 and 64). The load: what a booking reads inside its
 * exclusive write at the xl flagship (100 providers, "any provider", the booking's three days),
 * with two years of history and without.
 */
export async function benchAvailabilityScale(largeDb: string, xlDb: string, rounds = 15) {
  const large = await flagship(largeDb);
  const fromDate = LARGE_APPOINTMENT_RANGE.fromDate;
  const now = Date.parse(`${addDays(fromDate, -1)}T12:00:00Z`);
  const base = (await loadAvailabilityRequest(large.db, { organizationId: large.org.id, locationId: large.location.id, serviceId: large.service.id, providerId: null, fromDate, toDate: addDays(fromDate, 13), now }))!;
  large.client.close();
  const cases = { base, providers: scaleRequest(base, 10, 14), both: scaleRequest(base, 10, 90) };
  const times: Record<keyof typeof cases, number[]> = { base: [], providers: [], both: [] };
  const slots: Record<string, number> = {};
  for (const [name, req] of Object.entries(cases)) slots[name] = computeAvailability(req).reduce((n, d) => n + d.slots.length, 0);
  for (let r = 0; r < rounds; r++) {
    for (const name of Object.keys(cases) as (keyof typeof cases)[]) {
      // Short cases are repeated so each sample is long enough to time well.
      const repeat = name === "both" ? 1 : name === "providers" ? 3 : 20;
      const t = performance.now();
      for (let i = 0; i < repeat; i++) computeAvailability(cases[name]);
      times[name].push((performance.now() - t) / repeat);
    }
  }

  const withHistory = await flagship(xlDb);
  const withoutHistory = await flagship(await ensureXlWithoutHistory(xlDb));
  const bookingDay = addDays(fromDate, 2);
  const load = (f: typeof withHistory) => loadAvailabilityRequest(f.db, { organizationId: f.org.id, locationId: f.location.id, serviceId: f.service.id, providerId: null, fromDate: addDays(bookingDay, -1), toDate: addDays(bookingDay, 1), now });
  const loads = { history: [] as number[], none: [] as number[] };
  const busy = { history: (await load(withHistory))!.busy.length, none: (await load(withoutHistory))!.busy.length };
  for (let r = 0; r < rounds * 10; r++) {
    for (const [name, f] of [["history", withHistory], ["none", withoutHistory]] as const) {
      const t = performance.now();
      await load(f);
      loads[name].push(performance.now() - t);
    }
  }
  withHistory.client.close();
  withoutHistory.client.close();

  const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
  return {
    name: "availability-scale",
    unit: "ratio",
    providersRatio: ratio(median(times.providers), median(times.base)),
    bothRatio: ratio(median(times.both), median(times.base)),
    historyRatio: ratio(median(loads.history), median(loads.none)),
    baseMs: median(times.base),
    providersMs: median(times.providers),
    bothMs: median(times.both),
    bookingLoadMs: median(loads.history),
    bookingLoadNoHistoryMs: median(loads.none),
    cases: {
      base: { providers: base.providers.length, visits: base.busy.length, days: 14, slots: slots.base },
      providers: { providers: cases.providers.providers.length, visits: cases.providers.busy.length, days: 14, slots: slots.providers },
      both: { providers: cases.both.providers.length, visits: cases.both.busy.length, days: 90, slots: slots.both },
      booking: { providers: 100, visitsRead: busy.history, visitsReadWithoutHistory: busy.none },
    },
    target: { providersRatio: 12, bothRatio: 70, historyRatio: 1.5 },
  };
}
