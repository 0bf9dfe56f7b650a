import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appointments, locations, memberships, patients, services, userLocations } from "../../db/schema";
import { localDateOf, localDay } from "../../app/scheduling/local-time";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

describe("Today on a busy day (issue 14)", () => {
  it("lists the next 50 visits still to be seen, with the day's counts and a way to the whole day", async () => {
    const [location] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
    const providers = await app.db
      .select({ id: memberships.userId })
      .from(memberships)
      .innerJoin(userLocations, and(eq(userLocations.userId, memberships.userId), eq(userLocations.locationId, location.id)))
      .where(and(eq(memberships.organizationId, location.organizationId), eq(memberships.role, "provider")));
    const people = await app.db.select({ id: patients.id }).from(patients).where(eq(patients.organizationId, location.organizationId)).limit(60);
    const [service] = await app.db.select().from(services).where(eq(services.organizationId, location.organizationId)).limit(1);
    const day = localDay(location.timeZone, localDateOf(location.timeZone, Date.now()));
    const rows = [];
    for (let i = 0; i < 60; i++) {
      const provider = providers[i % providers.length];
      const start = new Date(day.start + Math.floor(i / providers.length) * 20 * 60_000 + 6 * 3_600_000);
      const end = new Date(start.getTime() + 15 * 60_000);
      rows.push({ id: `busy-${i}`, organizationId: location.organizationId, locationId: location.id, patientId: people[i].id, providerId: provider.id, serviceId: service.id, status: i < 6 ? ("completed" as const) : ("confirmed" as const), startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 100, createdAt: new Date() });
    }
    await app.db.insert(appointments).values(rows);
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const html = await (await desk.get("/today")).text();
    const listed = new Set([...html.matchAll(/href="\/appointments\/(busy-\d+)"/g)].map((m) => m[1]));
    expect(listed.size).toBe(50);
    // The finished ones make way for those still to be seen.
    for (let i = 0; i < 6; i++) expect(listed.has(`busy-${i}`)).toBe(false);
    expect(html).toContain("60<!-- --> visits today; the next <!-- -->50<!-- --> of <!-- -->54<!-- --> still to be seen.");
    expect(html).toContain('href="/schedule"');
  });
});
