import { and, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appointmentEvents, appointments, consentTemplateVersions, deposits, locations, patientConsents, patients, rooms, serviceConsents, users } from "../../db/schema";
import { localDay, localToInstant } from "../../app/scheduling/local-time";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

/** A weekday a few days ahead (the test seed's providers work weekdays 9–5). */
function weekdayAhead(days: number) {
  const day = new Date(Date.now() + days * 86_400_000);
  while ([0, 6].includes(day.getUTCDay())) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

async function setup() {
  const desk = new Client(app.url);
  await desk.signIn(ROLE_EMAILS.front_desk);
  const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
  const [location] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const people = await app.db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(3);
  const serviceId = /<option value="([\w-]+)"[^>]*>Neurotoxin/.exec(await (await desk.get("/schedule/new")).text())![1];
  const date = weekdayAhead(3);
  const book = async (patientId: string, time: string) => {
    const res = await desk.post(`/schedule/new?patient=${patientId}`, { patientId, serviceId, providerId: provider.id, date, time, occurrences: "1", repeatWeeks: "1" });
    expect(res.status, `booking ${time}`).toBe(302);
    return res.headers.get("location")!.split("/").pop()!;
  };
  const at = (time: string) => localToInstant(location.timeZone, date, Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));
  return { desk, provider, location, people, date, book, at, dayView: `/schedule?date=${date}&view=provider` };
}

const row = async (id: string) => (await app.db.select().from(appointments).where(eq(appointments.id, id)))[0];
const history = async (id: string) => (await app.db.select().from(appointmentEvents).where(eq(appointmentEvents.appointmentId, id))).map((e) => e.reason ?? "");

describe("the day grid (issue 10)", () => {
  it("is a time grid without JavaScript: blocks link to their visit, open cells book with that provider at that time", async () => {
    const { desk, provider, people, date, book, dayView } = await setup();
    const id = await book(people[0].id, "10:00");
    const html = await (await desk.get(dayView)).text();
    expect(html).toContain(`aria-labelledby="column-${provider.id}"`);
    expect(html).toContain(`href="/appointments/${id}"`);
    expect(html).toMatch(new RegExp(`data-appointment="${id}" data-start="600" data-length="\\d+"`));
    expect(html).toContain(`href="/schedule/new?date=${date}&amp;provider=${provider.id}&amp;time=11:00"`);
    // The booked time is not offered as an open cell.
    expect(html).not.toContain(`provider=${provider.id}&amp;time=10:00"`);
    const form = await (await desk.get(`/schedule/new?date=${date}&provider=${provider.id}&time=11:00`)).text();
    expect(form).toMatch(/name="time"[^>]*value="11:00"|value="11:00"[^>]*name="time"/);
  });

  it("shows each room's bookings, and visits not yet in a room in their own column", async () => {
    const { desk, people, book, date, location } = await setup();
    const inRoom = await book(people[0].id, "10:00");
    const waiting = await book(people[1].id, "11:00");
    const [room] = await app.db.select().from(rooms).where(eq(rooms.locationId, location.id)).limit(1);
    await app.db.update(appointments).set({ roomId: room.id }).where(eq(appointments.id, inRoom));
    // A service without a room type gets its room when the patient is taken to one.
    await app.db.update(appointments).set({ roomId: null }).where(eq(appointments.id, waiting));
    const html = await (await desk.get(`/schedule?date=${date}&view=room`)).text();
    const column = (id: string) => html.slice(html.indexOf(`data-column="${id}"`), html.indexOf("</section>", html.indexOf(`data-column="${id}"`)));
    expect(column(room.id)).toContain(`href="/appointments/${inRoom}"`);
    expect(column("no-room")).toContain(`href="/appointments/${waiting}"`);
    expect(html).toContain("No room yet");
  });

  it("moves a visit dropped on an open time, through the same rules and history as the move picker", async () => {
    const { desk, provider, people, book, at, dayView } = await setup();
    const id = await book(people[0].id, "10:00");
    const res = await desk.post(dayView, { intent: "move", appointmentId: id, providerId: provider.id, slot: String(at("14:00")) });
    expect(res.status).toBe(200);
    expect((await row(id)).startsAt.getTime()).toBe(at("14:00"));
    expect((await history(id)).some((r) => r.startsWith("moved from"))).toBe(true);
  });

  it("refuses a drop onto a taken time with a 409 and nearby open times, and changes nothing", async () => {
    const { desk, provider, people, book, at, dayView } = await setup();
    const first = await book(people[0].id, "10:00");
    await book(people[1].id, "13:00");
    const before = await row(first);
    const res = await desk.post(dayView, { intent: "move", appointmentId: first, providerId: provider.id, slot: String(at("13:00")) });
    expect(res.status).toBe(409);
    const page = await res.text();
    expect(page).toMatch(/role="alert"[^>]*>[^<]*(taken|another appointment)[^<]*Open nearby: \d/i);
    expect(await row(first)).toEqual(before);
  });

  it("changes a visit's length, refuses one that runs into the next visit, and asks for a reason outside hours", async () => {
    const { desk, provider, people, book, at, dayView, location, date } = await setup();
    const id = await book(people[0].id, "10:00");
    await book(people[1].id, "11:00");
    const longer = await desk.post(dayView, { intent: "move", appointmentId: id, providerId: provider.id, slot: String(at("10:00")), minutes: "45" });
    expect(longer.status).toBe(200);
    const moved = await row(id);
    expect(moved.endsAt.getTime() - moved.startsAt.getTime()).toBe(45 * 60_000);
    expect((await history(id)).some((r) => /^length changed \d+ → 45 min/.test(r))).toBe(true);

    const tooLong = await desk.post(dayView, { intent: "move", appointmentId: id, providerId: provider.id, slot: String(at("10:00")), minutes: "90" });
    expect(tooLong.status).toBe(409);
    expect((await row(id)).endsAt).toEqual(moved.endsAt);

    // Past the end of the day's hours: a rule the desk may break, with a reason.
    const late = await desk.post(dayView, { intent: "move", appointmentId: id, providerId: provider.id, slot: String(at("16:45")) });
    expect(late.status).toBe(422);
    expect(await late.text()).toContain("outside the provider");
    const anyway = await desk.post(dayView, { intent: "move", appointmentId: id, providerId: provider.id, slot: String(at("16:45")), override: "on", reason: "Patient can only come after work" });
    expect(anyway.status).toBe(200);
    expect((await row(id)).startsAt.getTime()).toBe(at("16:45"));
    expect((await history(id)).some((r) => r.includes("override: Patient can only come after work"))).toBe(true);
    // The moved visit kept its own length.
    const after = await row(id);
    expect(after.endsAt.getTime() - after.startsAt.getTime()).toBe(45 * 60_000);
    expect(localDay(location.timeZone, date).date).toBe(date);
  });

  it("lets only the desk move visits", async () => {
    const { people, book, at, provider, dayView } = await setup();
    const id = await book(people[0].id, "10:00");
    const clinician = new Client(app.url);
    await clinician.signIn(ROLE_EMAILS.provider);
    const res = await clinician.post(dayView, { intent: "move", appointmentId: id, providerId: provider.id, slot: String(at("14:00")) });
    expect([403, 404]).toContain(res.status);
    expect((await row(id)).startsAt.getTime()).toBe(at("10:00"));
    const count = await app.db.select({ n: sql<number>`count(*)` }).from(appointmentEvents).where(and(eq(appointmentEvents.appointmentId, id)));
    expect(count[0].n).toBe(1);
  });

  it("shows the week as everyone's load per day, and as a grid of days for one provider", async () => {
    const { desk, provider, people, date, book, location } = await setup();
    const id = await book(people[0].id, "10:00");
    const everyone = await (await desk.get(`/schedule?date=${date}&view=week`)).text();
    expect(everyone).toContain(`href="/schedule?date=`);
    expect(everyone).toContain(`view=week&amp;provider=${provider.id}"`);
    expect(everyone).toMatch(/1 visit<\/span>/);
    expect(everyone).toMatch(/\d+m of \d+h booked|\d+h( \d+m)? of \d+h booked/);
    const week = await (await desk.get(`/schedule?date=${date}&view=week&provider=${provider.id}`)).text();
    expect(week).toContain(`data-column="${date}"`);
    expect(week).toContain(`href="/appointments/${id}"`);
    // Open cells book that day with this provider.
    expect(week).toContain(`href="/schedule/new?date=${date}&amp;provider=${provider.id}&amp;time=14:00"`);
    // Dragged to another day of the week: the same move, on that day.
    const other = weekdayAhead(4) === date ? weekdayAhead(5) : weekdayAhead(4);
    const slot = localToInstant(location.timeZone, other, 14 * 60);
    const moved = await desk.post(`/schedule?date=${date}&view=week&provider=${provider.id}`, { intent: "move", appointmentId: id, providerId: provider.id, slot: String(slot) });
    expect(moved.status).toBe(200);
    expect((await row(id)).startsAt.getTime()).toBe(slot);
    expect((await desk.get(`/schedule?date=${date}&view=week&provider=nobody`)).status).toBe(200);
  });

  it("flags a visit whose consents aren't signed, and one with a deposit paid; signing or paying redraws the grid", async () => {
    const { desk, people, book, dayView, location } = await setup();
    const id = await book(people[0].id, "10:00");
    const block = async () => {
      const html = await (await desk.get(dayView)).text();
      return /data-appointment="[^"]+"[^]*?<\/li>/.exec(html.slice(html.indexOf(`data-appointment="${id}"`)))![0];
    };
    // The seed's neurotoxin needs its treatment consent and the photography consent.
    expect(await block()).toContain("Forms due");
    expect(await block()).not.toContain("Deposit paid");
    const required = await app.db.select({ templateId: serviceConsents.templateId, versionId: consentTemplateVersions.id, sha: consentTemplateVersions.textSha256 }).from(serviceConsents).innerJoin(consentTemplateVersions, eq(consentTemplateVersions.templateId, serviceConsents.templateId)).where(eq(serviceConsents.serviceId, (await row(id)).serviceId));
    expect(required.length).toBeGreaterThan(1);
    const sign = (r: (typeof required)[number], signedAt: Date) => app.db.insert(patientConsents).values({ id: crypto.randomUUID(), organizationId: location.organizationId, patientId: people[0].id, templateId: r.templateId, versionId: r.versionId, textSha256: r.sha, signerName: "Test Patient", signerRole: "patient", method: "typed", device: "test", signedAt, clientId: crypto.randomUUID() });
    // One signed, and the other signed too long ago (more than its 12 or 24 months before the visit): still missing.
    await sign(required[0], new Date());
    await sign(required[1], new Date(Date.now() - 1000 * 86_400_000));
    expect(await block()).toContain("Forms due");
    await sign(required[1], new Date());
    expect(await block()).not.toContain("Forms due");
    await app.db.insert(deposits).values({ id: crypto.randomUUID(), organizationId: location.organizationId, appointmentId: id, patientId: people[0].id, amountCents: 5000, status: "pending", createdAt: new Date() });
    expect(await block()).not.toContain("Deposit paid");
    await app.db.update(deposits).set({ status: "paid", paidAt: new Date() }).where(eq(deposits.appointmentId, id));
    expect(await block()).toContain("Deposit paid");
  });
});
