import { and, eq, like } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appointmentEvents, appointments, locations, messages, patients, services, users } from "../../db/schema";
import { localToInstant } from "../../app/scheduling/local-time";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
let desk: Client;
let ctx: { providerId: string; serviceId: string; portalPatientId: string; otherPatientId: string; locationId: string };
const NY = "America/New_York";

/** The n-th weekday at least `from` days ahead, in New York. */
function weekday(n: number, from = 3) {
  let d = Temporal.Now.plainDateISO(NY).add({ days: from });
  for (let seen = -1; ; d = d.add({ days: 1 })) if (d.dayOfWeek <= 5 && ++seen === n) return d.toString();
}
const at = (date: string, hhmm: string) => localToInstant(NY, date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));

async function book(patientId: string, date: string, time: string) {
  const res = await desk.post(`/schedule/new?patient=${patientId}`, { patientId, serviceId: ctx.serviceId, providerId: ctx.providerId, date, time, occurrences: "1", repeatWeeks: "1" });
  expect(res.status, `booking ${date} ${time}`).toBe(302);
  return res.headers.get("location")!.split("/").pop()!;
}
const startOf = async (id: string) => (await app.db.select({ startsAt: appointments.startsAt }).from(appointments).where(eq(appointments.id, id)))[0].startsAt.getTime();

beforeEach(async () => {
  app = await startTestApp();
  desk = new Client(app.url);
  await desk.signIn(ROLE_EMAILS.front_desk);
  const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
  const [portal] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.patient));
  const [portalPatient] = await app.db.select().from(patients).where(eq(patients.userId, portal.id));
  const [other] = await app.db.select().from(patients).where(and(eq(patients.organizationId, portalPatient.organizationId), like(patients.email, "%.5@example.com")));
  const [service] = await app.db.select().from(services).where(and(eq(services.organizationId, portalPatient.organizationId), like(services.name, "Neurotoxin%")));
  const [location] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  ctx = { providerId: provider.id, serviceId: service.id, portalPatientId: portalPatient.id, otherPatientId: other.id, locationId: location.id };
});
afterEach(async () => {
  await app.close();
});

describe("moving a visit", () => {
  it("moves a visit to another open time, records who and from when, frees the old time, and tells the patient", async () => {
    const date = weekday(0);
    const id = await book(ctx.portalPatientId, date, "10:00");
    const page = await (await desk.get(`/appointments/${id}?moveDate=${date}&moveProvider=${ctx.providerId}`)).text();
    expect(page).toContain("Move to another time");
    expect(page).toContain(`value="${at(date, "13:00")}"`);
    const res = await desk.post(`/appointments/${id}`, { intent: "move", providerId: ctx.providerId, slot: String(at(date, "13:00")) });
    expect(res.status).toBe(302);
    expect(await startOf(id)).toBe(at(date, "13:00"));
    const events = await app.db.select().from(appointmentEvents).where(eq(appointmentEvents.appointmentId, id));
    expect(events.at(-1)!.reason).toMatch(/^moved from .*10:00/);
    const sent = await app.db.select().from(messages).where(and(eq(messages.appointmentId, id), eq(messages.kind, "rescheduled")));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0].body).toContain("1:00");
    // The old time is free again.
    await book(ctx.otherPatientId, date, "10:00");
  });

  it("refuses a move onto a time that is taken, with fresh alternatives, and changes nothing", async () => {
    const date = weekday(1);
    await book(ctx.otherPatientId, date, "10:00");
    const id = await book(ctx.portalPatientId, date, "11:00");
    const res = await desk.post(`/appointments/${id}`, { intent: "move", providerId: ctx.providerId, slot: String(at(date, "10:00")) });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain("That time was just taken");
    expect(html).toContain("Nearest open times");
    expect(await startOf(id)).toBe(at(date, "11:00"));
  });

  it("lets exactly one of 12 concurrent moves take the same time", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await book(ctx.otherPatientId, weekday(2 + i), "10:00"));
    const target = weekday(2);
    const responses = await Promise.all(ids.slice(1).map((id) => desk.post(`/appointments/${id}`, { intent: "move", providerId: ctx.providerId, slot: String(at(target, "14:00")) })));
    expect(responses.map((r) => r.status).sort()).toEqual([302, ...Array(10).fill(409)]);
    const there = await app.db.select().from(appointments).where(and(eq(appointments.providerId, ctx.providerId), eq(appointments.startsAt, new Date(at(target, "14:00")))));
    expect(there).toHaveLength(1);
  });

  it("lets staff move outside availability only with a reason, and never over another visit", async () => {
    const date = weekday(0);
    const id = await book(ctx.portalPatientId, date, "10:00");
    await book(ctx.otherPatientId, date, "12:00");
    const noReason = await desk.post(`/appointments/${id}`, { intent: "move", override: "on", date, time: "07:30", providerId: ctx.providerId });
    expect(noReason.status).toBe(400);
    const over = await desk.post(`/appointments/${id}`, { intent: "move", override: "on", date, time: "12:00", providerId: ctx.providerId, reason: "patient asked" });
    expect(over.status).toBe(409);
    const early = await desk.post(`/appointments/${id}`, { intent: "move", override: "on", date, time: "07:30", providerId: ctx.providerId, reason: "early start agreed" });
    expect(early.status).toBe(302);
    expect(await startOf(id)).toBe(at(date, "07:30"));
  });
});

describe("patients changing their own visit", () => {
  it("moves their own visit from the portal, but not within the cut-off and never someone else's", async () => {
    const patient = new Client(app.url);
    await patient.signIn(ROLE_EMAILS.patient);
    const date = weekday(0);
    const id = await book(ctx.portalPatientId, date, "10:00");
    const portal = await (await patient.get("/portal")).text();
    expect(portal).toContain(`/portal/visits/${id}`);
    const page = await (await patient.get(`/portal/visits/${id}?moveDate=${date}`)).text();
    expect(page).toContain("Change the time");
    const res = await patient.post(`/portal/visits/${id}`, { intent: "move", providerId: "any", slot: String(at(date, "14:00")) });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/portal?moved=${id}`);
    expect(await startOf(id)).toBe(at(date, "14:00"));
    expect(await (await patient.get(res.headers.get("location")!)).text()).toContain("Your visit has moved");

    // Someone else's visit is not there for them.
    const others = await book(ctx.otherPatientId, weekday(1), "10:00");
    expect((await patient.post(`/portal/visits/${others}`, { intent: "move", providerId: "any", slot: String(at(weekday(1), "14:00")) })).status).toBe(404);
    expect(await startOf(others)).toBe(at(weekday(1), "10:00"));

    // Inside the 24-hour cut-off the policy answers, and nothing moves.
    const soon = Date.now() + 3 * 3600_000;
    await app.db.update(appointments).set({ startsAt: new Date(soon), endsAt: new Date(soon + 1800_000), blockStart: new Date(soon), blockEnd: new Date(soon + 1800_000) }).where(eq(appointments.id, id));
    const late = await patient.post(`/portal/visits/${id}`, { intent: "move", providerId: "any", slot: String(at(date, "15:00")) });
    expect(late.status).toBe(403);
    expect(await late.text()).toContain("within 24 hours");
    expect(await startOf(id)).toBe(soon);
  });
});
