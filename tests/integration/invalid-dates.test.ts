import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appointments, locations, patients, scheduleExceptions, services } from "../../db/schema";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

/** A 400 whose page says what to do, not a 500, and never anything written. */
async function expectPlain400(res: Response) {
  expect(res.status).toBe(400);
  expect(await res.text()).toMatch(/real date/i);
}

describe("dates that do not exist (issue 10)", () => {
  it("are a 400 with a clear message on pages and forms, and nothing is written", async () => {
    const owner = new Client(app.url);
    await owner.signIn(ROLE_EMAILS.owner);
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);

    await expectPlain400(await desk.get("/schedule?date=2026-02-30"));
    await expectPlain400(await desk.get("/schedule?date=2026-02-30&view=week"));
    await expectPlain400(await desk.get("/schedule/new?date=2026-02-30"));
    await expectPlain400(await owner.get("/audit?from=2026-13-01"));
    await expectPlain400(await owner.get("/audit?to=2026-04-31"));
    await expectPlain400(await desk.get("/book/lumen?date=2026-02-30"));
    expect((await desk.get("/schedule?date=2028-02-29")).status).toBe(200);

    const [location] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
    const closuresBefore = await app.db.select().from(scheduleExceptions);
    const closure = await owner.post(`/settings/locations/${location.id}`, { intent: "add-closure", date: "2026-02-30", reason: "Holiday" });
    expect(closure.status).toBe(400);
    const closurePage = await closure.text();
    expect(closurePage).toContain("Use a real date");
    expect(closurePage).not.toContain("Closed that day");
    expect(await app.db.select().from(scheduleExceptions)).toHaveLength(closuresBefore.length);

    const [patient] = await app.db.select().from(patients).limit(1);
    const [service] = await app.db.select().from(services).where(eq(services.organizationId, location.organizationId)).limit(1);
    const before = await app.db.select({ id: appointments.id }).from(appointments).where(and(eq(appointments.patientId, patient.id)));
    const booking = await desk.post("/schedule/new", { patientId: patient.id, serviceId: service.id, providerId: "any", date: "2026-02-30", time: "10:00" });
    expect(booking.status).toBe(400);
    expect(await booking.text()).toContain("Use a real date like 2026-11-23.");
    expect(await app.db.select({ id: appointments.id }).from(appointments).where(eq(appointments.patientId, patient.id))).toHaveLength(before.length);
  });

  it("answers in plain words when a form sends a value it never offered", async () => {
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const res = await desk.post("/appointments/not-a-visit", { intent: "status", to: "teleported" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Choose one of the options offered.");
    expect(page).not.toMatch(/Invalid enum value|Expected '/);
  });
});
