import { eq } from "drizzle-orm";
import ICAL from "ical.js";
import { afterEach, beforeEach, expect, it } from "vitest";
import { appointments, locations, patients, services, users } from "../../db/schema";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

it("gives a provider a private, revocable calendar feed that shows patients as initials only", async () => {
  const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
  const [patient] = await app.db.select().from(patients).where(eq(patients.lastName, "Avery"));
  const [service] = await app.db.select().from(services).where(eq(services.organizationId, patient.organizationId)).limit(1);
  const [location] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const start = new Date(Math.floor((Date.now() + 3 * 86_400_000) / 60_000) * 60_000);
  await app.db.insert(appointments).values({ id: crypto.randomUUID(), organizationId: patient.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, status: "confirmed", startsAt: start, endsAt: new Date(start.getTime() + 1800_000), blockStart: start, blockEnd: new Date(start.getTime() + 1800_000), priceCents: 1, createdAt: new Date() });

  const client = new Client(app.url);
  await client.signIn(ROLE_EMAILS.provider);
  const created = await (await client.post("/account/calendar", { intent: "new" })).text();
  const url = /value="(http[^"]+\/calendar\.ics)"/.exec(created)![1];
  const feed = await fetch(url);
  expect(feed.status).toBe(200);
  expect(feed.headers.get("content-type")).toContain("text/calendar");
  const body = await feed.text();
  const events = new ICAL.Component(ICAL.parse(body)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
  expect(events).toHaveLength(1);
  expect(events[0].summary).toMatch(/— J\.A\.$/);
  expect(body).not.toContain("Avery");
  expect(events[0].startDate.toJSDate().getTime()).toBe(start.getTime());

  // Replacing the link revokes the old one; turning it off revokes the new one.
  const replaced = await (await client.post("/account/calendar", { intent: "new" })).text();
  const url2 = /value="(http[^"]+\/calendar\.ics)"/.exec(replaced)![1];
  expect((await fetch(url)).status).toBe(404);
  expect((await fetch(url2)).status).toBe(200);
  await client.post("/account/calendar", { intent: "off" });
  expect((await fetch(url2)).status).toBe(404);
});
