import { and, eq } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appointments, locations, patients, serviceProviders, services, users } from "../../db/schema";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
let manager: Client;
let ids: { provider: string; midtown: string; santaMonica: string; botox: string };
const NY = "America/New_York";
const nextWeekday = (weekday: number, from = 3) => {
  let d = Temporal.Now.plainDateISO(NY).add({ days: from });
  while (d.dayOfWeek !== weekday) d = d.add({ days: 1 });
  return d.toString();
};
const timesPage = (date: string, provider = ids.provider) => `/book/lumen?location=${ids.midtown}&service=${ids.botox}&provider=${provider}&date=${date}`;
/** The times listed on the public booking page, as shown ("9:00 AM"). */
async function timesOn(date: string) {
  const html = await (await new Client(app.url).get(timesPage(date))).text();
  const list = /aria-label="Open times">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? "";
  return [...list.matchAll(/>(\d{1,2}:\d{2}\s?[AP]M)</g)].map((m) => m[1].replace(/\s/g, " "));
}

beforeEach(async () => {
  app = await startTestApp();
  manager = new Client(app.url);
  await manager.signIn(ROLE_EMAILS.manager);
  const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
  const [midtown] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const [santaMonica] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Santa Monica"));
  const [botox] = await app.db.select().from(services).where(and(eq(services.name, "Neurotoxin (Botox, Dysport)"), eq(services.organizationId, midtown.organizationId)));
  ids = { provider: provider.id, midtown: midtown.id, santaMonica: santaMonica.id, botox: botox.id };
});
afterEach(async () => {
  await app.close();
});

describe("location booking rules", () => {
  it("refuses bad rules field by field and applies good ones to what patients can book", async () => {
    const bad = await manager.post(`/settings/locations/${ids.midtown}`, { intent: "update-rules", slotIntervalMinutes: "7", minNoticeMinutes: "-5", maxAdvanceDays: "0", selfServiceCutoffHours: "999", reminderHours: "24,abc" });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    for (const message of ["Choose a start-time grid from the list.", "The minimum notice is at least 0 minutes.", "The booking horizon is at least 1 days.", "The self-service cut-off is at most 168 hours.", "Enter up to three whole hours separated by commas"]) expect(html).toContain(message);

    const date = nextWeekday(3);
    expect((await timesOn(date)).some((t) => t.endsWith(":15 AM"))).toBe(true);
    const ok = await manager.post(`/settings/locations/${ids.midtown}`, { intent: "update-rules", slotIntervalMinutes: "30", minNoticeMinutes: "60", maxAdvanceDays: "60", selfServiceCutoffHours: "48", reminderHours: "2, 48,2" });
    expect(ok.status).toBe(200);
    const [row] = await app.db.select().from(locations).where(eq(locations.id, ids.midtown));
    expect(row).toMatchObject({ slotIntervalMinutes: 30, minNoticeMinutes: 60, maxAdvanceDays: 60, selfServiceCutoffHours: 48, reminderHours: "48,2" });
    const times = await timesOn(date);
    expect(times.length).toBeGreaterThan(0);
    expect(times.every((t) => /:(00|30) [AP]M$/.test(t))).toBe(true);
  });

  it("closes a location for a holiday and reopens it", async () => {
    const date = nextWeekday(4);
    expect((await timesOn(date)).length).toBeGreaterThan(0);
    expect((await manager.post(`/settings/locations/${ids.midtown}`, { intent: "add-closure", date, reason: "Holiday" })).status).toBe(200);
    expect(await timesOn(date)).toEqual([]);
    expect((await manager.post(`/settings/locations/${ids.midtown}`, { intent: "add-closure", date })).status).toBe(409);
    const page = await (await manager.get(`/settings/locations/${ids.midtown}`)).text();
    const closureId = /name="intent" value="remove-closure"\/><input type="hidden" name="id" value="([\w-]+)"/.exec(page)![1];
    expect((await manager.post(`/settings/locations/${ids.midtown}`, { intent: "remove-closure", id: closureId })).status).toBe(200);
    expect((await timesOn(date)).length).toBeGreaterThan(0);
  });
});

describe("extra hours", () => {
  it("makes a Saturday bookable at one location, and the provider unavailable at another then", async () => {
    const saturday = nextWeekday(6);
    expect(await timesOn(saturday)).toEqual([]);
    const bad = await manager.post(`/settings/staff/${ids.provider}`, { intent: "add-extra-hours", locationId: ids.midtown, date: saturday, start: "12:00", end: "10:00" });
    expect(bad.status).toBe(400);
    expect((await manager.post(`/settings/staff/${ids.provider}`, { intent: "add-extra-hours", locationId: ids.midtown, date: saturday, start: "10:00", end: "12:00" })).status).toBe(200);
    const times = await timesOn(saturday);
    expect(times[0]).toBe("10:00 AM");
    // 30 minutes plus 15 of clean-up must fit before 12:00.
    expect(times.at(-1)).toBe("11:15 AM");
    // 08:00–10:00 in Santa Monica is 11:00–13:00 in New York: two places at once.
    const clash = await manager.post(`/settings/staff/${ids.provider}`, { intent: "add-extra-hours", locationId: ids.santaMonica, date: saturday, start: "08:00", end: "10:00" });
    expect(clash.status).toBe(409);
    expect(await clash.text()).toContain("two places at once");
    // 11:00–13:00 there is 14:00–16:00 here: fine, and Midtown's morning is untouched.
    expect((await manager.post(`/settings/staff/${ids.provider}`, { intent: "add-extra-hours", locationId: ids.santaMonica, date: saturday, start: "11:00", end: "13:00" })).status).toBe(200);
    expect(await timesOn(saturday)).toEqual(times);
  });
});

describe("per-provider duration and price", () => {
  it("books a provider's own duration and price, and keeps them when the service is saved again", async () => {
    const bad = await manager.post(`/settings/services/${ids.botox}`, { intent: "overrides", "overrides[0].userId": ids.provider, "overrides[0].durationMinutes": "2", "overrides[0].price": "1.234" });
    expect(bad.status).toBe(400);
    const foreign = await manager.post(`/settings/services/${ids.botox}`, { intent: "overrides", "overrides[0].userId": "not-a-provider", "overrides[0].durationMinutes": "45" });
    expect(foreign.status).toBe(400);
    expect((await manager.post(`/settings/services/${ids.botox}`, { intent: "overrides", "overrides[0].userId": ids.provider, "overrides[0].durationMinutes": "45", "overrides[0].price": "525.50" })).status).toBe(200);
    const [override] = await app.db.select().from(serviceProviders).where(and(eq(serviceProviders.serviceId, ids.botox), eq(serviceProviders.userId, ids.provider)));
    expect(override).toMatchObject({ durationMinutes: 45, priceCents: 52_550 });
    // Saving the service itself keeps the overrides of providers who still perform it.
    expect((await manager.post(`/settings/services/${ids.botox}`, { name: "Neurotoxin (Botox, Dysport)", category: "Injectables", durationMinutes: "30", bufferAfterMinutes: "15", price: "450", active: "on", onlineBookable: "on", autoConfirm: "on", newPatientsAllowed: "on", providerIds: ids.provider })).status).toBe(200);
    const [kept] = await app.db.select().from(serviceProviders).where(and(eq(serviceProviders.serviceId, ids.botox), eq(serviceProviders.userId, ids.provider)));
    expect(kept).toMatchObject({ durationMinutes: 45, priceCents: 52_550 });

    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const [{ id: patientId }] = await app.db.select({ id: patients.id }).from(patients).where(eq(patients.organizationId, (await app.db.select().from(locations).where(eq(locations.id, ids.midtown)))[0].organizationId)).limit(1);
    const date = nextWeekday(2);
    const booked = await desk.post(`/schedule/new?patient=${patientId}`, { patientId, serviceId: ids.botox, providerId: ids.provider, date, time: "10:00", occurrences: "1", repeatWeeks: "1" });
    expect(booked.status).toBe(302);
    const [appt] = await app.db.select().from(appointments).where(eq(appointments.id, booked.headers.get("location")!.split("/").pop()!));
    expect(appt.priceCents).toBe(52_550);
    expect(appt.endsAt.getTime() - appt.startsAt.getTime()).toBe(45 * 60_000);
  });
});
