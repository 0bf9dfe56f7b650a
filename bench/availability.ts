import { and, eq } from "drizzle-orm";
import { computeAvailability } from "../app/scheduling/availability";
import { loadAvailabilityRequest } from "../app/scheduling/availability.server";
import { addDays } from "../app/scheduling/local-time";
import { openDatabase } from "../db/client";
import { locations, organizations, services } from "../db/schema";
import { LARGE_APPOINTMENT_RANGE } from "../db/seed/generate";
import { percentile } from "./large-data";

/**
 * 14 days of slots for one service with "any provider" at the flagship of the large data set
 * (20 providers, 2,000 appointments in range). Inputs are loaded once from the database; the
 * figure is the engine's compute time per request.
 */
export async function benchAvailability(dbFile: string, iterations = 300) {
  const { client, db } = openDatabase(`file:${dbFile}`);
  const [org] = await db.select().from(organizations).where(eq(organizations.slug, "lumen"));
  const [location] = await db.select().from(locations).where(and(eq(locations.organizationId, org.id), eq(locations.name, "Lumen Midtown")));
  const [service] = await db.select().from(services).where(and(eq(services.organizationId, org.id), eq(services.name, "Neurotoxin (Botox, Dysport)")));
  const fromDate = LARGE_APPOINTMENT_RANGE.fromDate;
  const req = (await loadAvailabilityRequest(db, { organizationId: org.id, locationId: location.id, serviceId: service.id, providerId: null, fromDate, toDate: addDays(fromDate, 13), now: Date.parse(`${addDays(fromDate, -1)}T12:00:00Z`) }))!;
  client.close();
  let slots = 0;
  for (let i = 0; i < 30; i++) slots = computeAvailability(req).reduce((n, d) => n + d.slots.length, 0);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    computeAvailability(req);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { name: "availability", unit: "ms", p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), iterations, days: 14, providers: req.providers.length, appointments: req.busy.length, slots, target: { p95: 5 } };
}
