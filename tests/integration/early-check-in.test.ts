import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appointments, locations, patients, services, users } from "../../db/schema";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

/** A confirmed visit with the test provider `minutesFromNow` ahead (clear of their other visits). */
async function visitIn(minutesFromNow: number) {
  const [location] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
  const [patient] = await app.db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1);
  const [service] = await app.db.select().from(services).where(eq(services.organizationId, location.organizationId)).limit(1);
  await app.db.update(appointments).set({ status: "cancelled" }).where(eq(appointments.providerId, provider.id));
  const id = crypto.randomUUID();
  const start = new Date(Date.now() + minutesFromNow * 60_000);
  const end = new Date(start.getTime() + 30 * 60_000);
  await app.db.insert(appointments).values({ id, organizationId: location.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, status: "confirmed", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 100, createdAt: new Date() });
  return id;
}

const statusOf = async (id: string) => (await app.db.select().from(appointments).where(eq(appointments.id, id)))[0].status;

describe("a check-in far ahead of the visit asks first (issue 10)", () => {
  it("asks on Today, the day view and the visit's page, and checks in once confirmed", async () => {
    const id = await visitIn(3 * 60);
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    for (const [path, fields] of [
      ["/today", { appointmentId: id, to: "checked_in" }],
      ["/schedule", { appointmentId: id, to: "checked_in" }],
      [`/appointments/${id}`, { intent: "status", to: "checked_in" }],
    ] as const) {
      const asked = await desk.post(path, fields);
      expect(asked.status, path).toBe(409);
      const html = await asked.text();
      expect(html).toMatch(/This visit is at .*, 3 h from now\. Check the patient in anyway\?/);
      expect(html).toContain("Check in anyway");
      expect(html).toContain('name="confirmEarly" value="1"');
      expect(await statusOf(id)).toBe("confirmed");
    }
    expect((await desk.post("/today", { appointmentId: id, to: "checked_in", confirmEarly: "1" })).status).toBe(302);
    expect(await statusOf(id)).toBe("checked_in");
  });

  it("doesn't ask within the hour", async () => {
    const id = await visitIn(45);
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    expect((await desk.post("/today", { appointmentId: id, to: "checked_in" })).status).toBe(302);
    expect(await statusOf(id)).toBe("checked_in");
  });
});

describe("Today as a timeline (issue 10)", () => {
  it("shows one next step per visit, the day's counts, and key figures for owners and managers only", async () => {
    const id = await visitIn(30);
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const html = await (await desk.get("/today")).text();
    // The visit's row offers its one usual next step (Check in), not a button per status.
    const row = html.slice(html.indexOf(`/appointments/${id}`) - 2000, html.indexOf(`/appointments/${id}`) + 200);
    expect(row).toContain(">Check in<");
    expect(row).not.toContain(">No-show<");
    expect(html).toMatch(/<dt[^>]*>Booked<\/dt><dd[^>]*>\d+<\/dd>/);
    expect(html).toContain(">Waiting</dt>");
    expect(html).toContain(">No-shows</dt>");
    expect(html).not.toContain("The day in figures");
    const owner = new Client(app.url);
    await owner.signIn(ROLE_EMAILS.owner);
    const figures = await (await owner.get("/today")).text();
    expect(figures).toContain("The day in figures");
    // The visit above was booked today.
    expect(figures).toMatch(/Bookings made today<\/dt><dd[^>]*>[1-9]\d*<\/dd>/);
    expect(figures).toMatch(/Utilization<\/dt><dd[^>]*>(\d+%|Nobody works today)/);
    expect(figures).toMatch(/Taken today<\/dt><dd[^>]*>\$0\.00<\/dd>/);
    // Money taken at checkout today shows among them.
    expect((await desk.post("/today", { appointmentId: id, to: "checked_in" })).status).toBe(302);
    const invoice = (await desk.post(`/appointments/${id}`, { intent: "checkout" })).headers.get("location")!;
    expect(invoice).toMatch(/^\/invoices\//);
    expect((await desk.post(invoice, { intent: "pay", method: "cash", amount: "1", paymentKey: crypto.randomUUID() })).status).toBe(302);
    expect(await (await owner.get("/today")).text()).toMatch(/Taken today<\/dt><dd[^>]*>\$1\.00<\/dd>/);
  });
});
