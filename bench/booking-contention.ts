import { and, eq, sql } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { openDatabase } from "../db/client";
import { appointments, organizations, serviceProviders, services, users } from "../db/schema";
import { Client } from "../tests/helpers/test-app";
import type { benchServer } from "./http";

/**
 * 50 concurrent clients over HTTP (the staff booking form's action, as the enhanced form posts
 * it) competing for a small set of slots: at any moment everyone picks among the same twenty
 * earliest open times, so each is fought over by several clients at once; a client told "just
 * taken" picks again, and a client that booked moves on to the next patient. Counts successful bookings per second, then looks
 * for double bookings in the database (any two occupying appointments of one provider, or of one
 * room, that overlap). The HTTP ceiling of the same 50 clients against the cheapest signed-in
 * action is measured in the same run, for context.
 */
export async function benchBookingContention(server: Awaited<ReturnType<typeof benchServer>>, clients = 50) {
  const { client, db } = openDatabase(`file:${server.file}`);
  const [org] = await db.select().from(organizations).where(eq(organizations.slug, "lumen"));
  const [service] = await db.select().from(services).where(and(eq(services.organizationId, org.id), eq(services.name, "Neurotoxin (Botox, Dysport)")));
  const providers = (await db.select({ id: serviceProviders.userId }).from(serviceProviders).innerJoin(users, eq(users.id, serviceProviders.userId)).where(eq(serviceProviders.serviceId, service.id))).map((p) => p.id);
  const patientIds = ((await client.execute({ sql: "select id from patients where organization_id = ? limit 500", args: [org.id] })).rows as unknown as { id: string }[]).map((r) => r.id);

  // Two empty weekdays well after the seeded busy fortnight, inside the booking window:
  // every provider, 9:00 to 16:15 every 45 minutes. 20 providers × 10 times × 2 days = 400 slots.
  const days: string[] = [];
  for (let d = Temporal.Now.plainDateISO("America/New_York").add({ days: 35 }); days.length < 2; d = d.add({ days: 1 })) if (d.dayOfWeek <= 5) days.push(d.toString());
  const times = Array.from({ length: 10 }, (_, k) => 9 * 60 + k * 45).map((m) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`);
  const slots = days.flatMap((date) => times.flatMap((time) => providers.map((providerId) => ({ date, time, providerId }))));

  const cookie = server.desk.cookies.get("atrium_session")!;
  const signedIn = () => {
    const http = new Client(server.app.url);
    http.cookies.set("atrium_session", cookie);
    return http;
  };
  let success = 0;
  let conflicts = 0;
  let failures = 0;
  /** What the failures answered, by status (a failure is neither booked nor "just taken"). */
  const failureStatuses: Record<number, number> = {};
  // What the booking page shows everyone: the earliest open times. Each patient wants one visit:
  // they pick one of the first few open times, and if it was just taken they pick again from the
  // fresh list; once booked, the next patient takes their connection.
  const open = slots.map((_, i) => i);
  const window = 20;
  let nextPatient = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const http = signedIn();
      while (open.length) {
        const patientId = patientIds[nextPatient++ % patientIds.length];
        while (open.length) {
          const pick = open[Math.floor(Math.random() * Math.min(window, open.length))];
          const slot = slots[pick];
          const res = await http.post(`/schedule/new.data?patient=${patientId}`, { patientId, serviceId: service.id, providerId: slot.providerId, date: slot.date, time: slot.time, occurrences: "1", repeatWeeks: "1" });
          const body = await res.text();
          const i = open.indexOf(pick);
          if (i >= 0) open.splice(i, 1); // booked by this patient or by someone else: gone either way
          if (res.status === 202 || body.includes('"redirect"')) {
            success++;
            break;
          }
          if (res.status === 409) conflicts++;
          else {
            failures++;
            failureStatuses[res.status] = (failureStatuses[res.status] ?? 0) + 1;
          }
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const overlap = (key: "provider_id" | "room_id") => sql`
      select count(*) as n from ${appointments} a join ${appointments} b
        on a.${sql.raw(key)} = b.${sql.raw(key)} and a.id < b.id
       and a.block_start < b.block_end and b.block_start < a.block_end
       and a.status in ('requested','confirmed','checked_in','in_room','completed')
       and b.status in ('requested','confirmed','checked_in','in_room','completed')`;
  const [{ n: providerDoubles }] = await db.all<{ n: number }>(overlap("provider_id"));
  const [{ n: roomDoubles }] = await db.all<{ n: number }>(overlap("room_id"));
  client.close();

  // The same 50 clients against the cheapest signed-in action (a refused empty status change).
  let ceilingRequests = 0;
  const ceilingStart = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const http = signedIn();
      while (performance.now() - ceilingStart < 5_000) {
        await (await http.post("/schedule.data", {})).arrayBuffer();
        ceilingRequests++;
      }
    }),
  );
  const ceiling = ceilingRequests / ((performance.now() - ceilingStart) / 1000);
  const requests = success + conflicts + failures;
  return {
    name: "booking-contention",
    unit: "bookings/s",
    value: Number((success / seconds).toFixed(1)),
    doubleBookings: providerDoubles + roomDoubles,
    successful: success,
    conflicts,
    failures,
    failureStatuses,
    requestsPerSecond: Number((requests / seconds).toFixed(1)),
    httpCeilingPerSecond: Number(ceiling.toFixed(1)),
    clients,
    slots: slots.length,
    seconds: Number(seconds.toFixed(2)),
    target: { value: 300, doubleBookings: 0 },
  };
}
