import { and, eq } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { shiftsClash } from "../../app/settings/schedules.server";
import { locations, serviceProviders, services, shifts, users } from "../../db/schema";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

describe("services", () => {
  it("a manager adds a service with providers; money is exact cents; bad input is refused", async () => {
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const bad = await manager.post("/settings/services", { name: "Peel", category: "Skin", durationMinutes: "3", price: "12.345" });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("The duration is at least 5 minutes.");
    expect(html).toContain("Enter an amount like 450 or 450.00.");
    const res = await manager.post("/settings/services", { name: "Chemical peel", category: "Skin", durationMinutes: "45", bufferAfterMinutes: "10", price: "199.9", deposit: "50", roomType: "facial", active: "on", onlineBookable: "on", autoConfirm: "on", newPatientsAllowed: "on", providerIds: provider.id });
    expect(res.status).toBe(302);
    const [svc] = await app.db.select().from(services).where(eq(services.name, "Chemical peel"));
    expect(svc).toMatchObject({ priceCents: 19_990, depositCents: 5_000, durationMinutes: 45, bufferAfterMinutes: 10, roomType: "facial" });
    expect(await app.db.select().from(serviceProviders).where(eq(serviceProviders.serviceId, svc.id))).toHaveLength(1);
    expect((await manager.post(`/settings/services/${svc.id}`, { name: "Chemical peel", category: "Skin", durationMinutes: "45", price: "10", deposit: "20", providerIds: "someone-else" })).status).toBe(400);
  });
});

describe("provider schedules", () => {
  it("refuses overlapping shifts anywhere, and shifts and time off change what patients can book", async () => {
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const [santaMonica] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Santa Monica"));
    const [midtown] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
    // The seed has this provider at Midtown Monday–Friday 9–17 (New York time).
    const overlap = await manager.post(`/settings/staff/${provider.id}`, { intent: "add-shift", locationId: santaMonica.id, weekday: "1", start: "08:00", end: "10:00", effectiveFrom: "2026-01-01" });
    expect(overlap.status).toBe(409);
    expect(await overlap.text()).toContain("can&#x27;t be in two places at once");
    const saturday = await manager.post(`/settings/staff/${provider.id}`, { intent: "add-shift", locationId: midtown.id, weekday: "6", start: "10:00", end: "12:00", effectiveFrom: "2026-01-01" });
    expect(saturday.status).toBe(200);
    expect(await app.db.select().from(shifts).where(and(eq(shifts.userId, provider.id), eq(shifts.weekday, 6)))).toHaveLength(1);

    let sat = Temporal.Now.plainDateISO("America/New_York").add({ days: 2 });
    while (sat.dayOfWeek !== 6) sat = sat.add({ days: 1 });
    const [botox] = await app.db.select().from(services).where(eq(services.name, "Neurotoxin (Botox, Dysport)"));
    const timesPage = `/book/lumen?location=${midtown.id}&service=${botox.id}&provider=${provider.id}&date=${sat}`;
    const anon = new Client(app.url);
    const before = await (await anon.get(timesPage)).text();
    expect(before).toContain('aria-label="Open times"');
    expect((await manager.post(`/settings/staff/${provider.id}`, { intent: "add-time-off", date: sat.toString(), reason: "Conference" })).status).toBe(200);
    const after = await (await anon.get(timesPage)).text();
    expect(after).not.toContain('aria-label="Open times"');
    expect((await manager.post(`/settings/staff/${provider.id}`, { intent: "add-time-off", date: sat.toString(), start: "10:00" })).status).toBe(400);
  });

  it("knows when two shifts clash", () => {
    const base = { weekday: 1, startMinute: 540, endMinute: 1020, effectiveFrom: "2026-01-01", effectiveTo: null };
    expect(shiftsClash(base, { ...base, startMinute: 1000, endMinute: 1100 })).toBe(true);
    expect(shiftsClash(base, { ...base, startMinute: 1020, endMinute: 1100 })).toBe(false);
    expect(shiftsClash(base, { ...base, weekday: 2 })).toBe(false);
    expect(shiftsClash({ ...base, effectiveTo: "2026-03-01" }, { ...base, effectiveFrom: "2026-03-02" })).toBe(false);
  });

  it("compares shifts at locations in different zones by the real time, not the local minutes", () => {
    const at = (timeZone: string, weekday: number, from: string, to: string, over: object = {}) => ({ weekday, startMinute: Number(from) * 60, endMinute: Number(to) * 60, effectiveFrom: "2026-01-01", effectiveTo: null, timeZone, ...over });
    // 9–12 in New York ends as 9–12 in Los Angeles begins: no clash, whatever the local minutes say.
    expect(shiftsClash(at("America/New_York", 1, "9", "12"), at("America/Los_Angeles", 1, "9", "12"))).toBe(false);
    // 13–17 in New York is 10–14 in Los Angeles: a clash the local minutes miss.
    expect(shiftsClash(at("America/New_York", 1, "13", "17"), at("America/Los_Angeles", 1, "9", "12"))).toBe(true);
    // Tuesday 9–12 in Tokyo is Monday 19–22 in New York (winter): a clash on different weekdays.
    expect(shiftsClash(at("Asia/Tokyo", 2, "9", "12"), at("America/New_York", 1, "19", "22"))).toBe(true);
    // Noon in New York meets 16:00 in London only in the March weeks when the US is on summer time and the UK isn't yet.
    const newYork = at("America/New_York", 1, "12", "13");
    const london = { ...at("Europe/London", 1, "16", "17"), startMinute: 16 * 60 + 30 };
    expect(shiftsClash(newYork, london)).toBe(true);
    expect(shiftsClash({ ...newYork, effectiveFrom: "2026-04-01", effectiveTo: "2026-10-20" }, london)).toBe(false);
  });
});
