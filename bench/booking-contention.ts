import { and, eq, sql } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { openDatabase } from "../db/client";
import { appointments, organizations, serviceProviders, services, users } from "../db/schema";
import { Client } from "../tests/helpers/test-app";
import type { benchServer } from "./http";

/**
 * 50 concurrent clients over HTTP (the staff booking form) competing for a small set of slots
 * on empty future days. Counts successful bookings per second and then looks for double
 * bookings in the database (any two occupying appointments of one provider that overlap).
 */
export async function benchBookingContention(server: Awaited<ReturnType<typeof benchServer>>, clients = 50) {
  const { client, db } = openDatabase(`file:${server.file}`);
  const [org] = await db.select().from(organizations).where(eq(organizations.slug, "lumen"));
  const [service] = await db.select().from(services).where(and(eq(services.organizationId, org.id), eq(services.name, "Neurotoxin (Botox, Dysport)")));
  const providers = (await db.select({ id: serviceProviders.userId }).from(serviceProviders).innerJoin(users, eq(users.id, serviceProviders.userId)).where(eq(serviceProviders.serviceId, service.id))).map((p) => p.id);
  const [patient] = (await client.execute("select id from patients where organization_id = ? limit 1", [org.id])).rows as unknown as { id: string }[];

  // Weekdays two to three weeks out, 9:00–16:00 every 45 minutes, every provider: the contested slots.
  const days: string[] = [];
  // Empty weekdays well after the seeded busy fortnight and today, inside the 90-day booking window.
  for (let d = Temporal.Now.plainDateISO("America/New_York").add({ days: 35 }); days.length < 5; d = d.add({ days: 1 })) if (d.dayOfWeek <= 5) days.push(d.toString());
  const times = Array.from({ length: 10 }, (_, k) => 9 * 60 + k * 45).map((m) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`);
  const slots = days.flatMap((date) => times.flatMap((time) => providers.map((providerId) => ({ date, time, providerId }))));

  const cookie = server.desk.cookies.get("atrium_session")!;
  let success = 0;
  let conflicts = 0;
  let failures = 0;
  // A shared pool: every client takes one of the first few open slots, so each slot is fought
  // over by several clients at once; a slot leaves the pool once booked (or seen taken).
  const pool = [...slots];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const http = new Client(server.app.url);
      http.cookies.set("atrium_session", cookie);
      while (pool.length) {
        const slot = pool[Math.floor(Math.random() * Math.min(5, pool.length))];
        // The .data endpoint is what the enhanced form posts: the action, without a page render.
        const res = await http.post(`/schedule/new.data?patient=${patient.id}`, { patientId: patient.id, serviceId: service.id, providerId: slot.providerId, date: slot.date, time: slot.time, occurrences: "1", repeatWeeks: "1" });
        const body = await res.text();
        const redirected = res.status === 202 || res.headers.has("x-remix-redirect") || body.includes("/appointments/");
        const taken = res.status === 409 || body.includes("just taken") || body.includes("No room");
        if (redirected && !taken) success++;
        else if (taken) conflicts++;
        else failures++;
        const i = pool.indexOf(slot);
        if (i >= 0) pool.splice(i, 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const [{ n: doubleBookings }] = (
    await db.all<{ n: number }>(sql`
      select count(*) as n from ${appointments} a join ${appointments} b
        on a.provider_id = b.provider_id and a.id < b.id
       and a.block_start < b.block_end and b.block_start < a.block_end
       and a.status in ('requested','confirmed','checked_in','in_room','completed')
       and b.status in ('requested','confirmed','checked_in','in_room','completed')`)
  );
  client.close();
  return { name: "booking-contention", unit: "bookings/s", value: Number((success / seconds).toFixed(1)), doubleBookings, successful: success, conflicts, failures, clients, slots: slots.length, seconds: Number(seconds.toFixed(2)), target: { value: 300, doubleBookings: 0 } };
}
