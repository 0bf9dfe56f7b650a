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

describe("calendar colours per service category (issue 10)", () => {
  it("a manager picks a category's colour and the day grid's blocks take it; bad input changes nothing", async () => {
    const [location] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
    const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const [patient] = await app.db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1);
    const [service] = await app.db.select().from(services).where(eq(services.organizationId, location.organizationId)).limit(1);
    const start = new Date(Date.UTC(2031, 2, 4, 15));
    const end = new Date(start.getTime() + 30 * 60_000);
    const id = crypto.randomUUID();
    await app.db.insert(appointments).values({ id, organizationId: location.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, status: "confirmed", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 100, createdAt: new Date() });
    const owner = new Client(app.url);
    await owner.signIn(ROLE_EMAILS.owner);
    const block = async () => {
      const html = await (await owner.get("/schedule?date=2031-03-04")).text();
      const at = html.indexOf(`data-appointment="${id}"`);
      return /class="gv (cat-[a-z]+)"/.exec(html.slice(at, at + 600))?.[1];
    };
    const before = await block();
    expect(before).toMatch(/^cat-/);
    const color = before === "cat-teal" ? "fuchsia" : "teal";
    expect((await owner.post("/settings/services", { intent: "category-color", category: service.category, color })).status).toBe(200);
    expect(await block()).toBe(`cat-${color}`);
    expect((await owner.post("/settings/services", { intent: "category-color", category: service.category, color: "plaid" })).status).toBe(400);
    expect((await owner.post("/settings/services", { intent: "category-color", category: "Nothing uses this", color: "rose" })).status).toBe(404);
    expect(await block()).toBe(`cat-${color}`);
    expect(await (await owner.get("/settings/services")).text()).toContain("Calendar colours");
  });
});
