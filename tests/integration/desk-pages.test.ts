import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { locations, messages, patients, users } from "../../db/schema";
import { plainName } from "../../db/seed/generate";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

const userNamed = async (email: string) => (await app.db.select().from(users).where(eq(users.email, email)))[0];

describe("pages the desk reads all day (issue 10, rough edges)", () => {
  it("the audit log names people and shows the location's time", async () => {
    const owner = new Client(app.url);
    await owner.signIn(ROLE_EMAILS.owner);
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    await desk.get("/patients");
    const html = await (await owner.get("/audit")).text();
    const deskUser = await userNamed(ROLE_EMAILS.front_desk);
    expect(html).toContain(deskUser.name);
    expect(html).toContain("When (America/New York)");
    expect(html).not.toMatch(/front_desk [0-9a-f]{8}/);
    expect(html).toMatch(/[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2}\s?[AP]M/);
  });

  it("the outbox filters by status, channel and address, and pages 50 at a time", async () => {
    const [location] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
    const now = Date.now();
    await app.db.insert(messages).values(
      Array.from({ length: 55 }, (_, i) => ({
        id: crypto.randomUUID(),
        organizationId: location.organizationId,
        kind: "reminder",
        channel: i % 5 === 0 ? ("sms" as const) : ("email" as const),
        toAddress: i % 5 === 0 ? `+1212555${String(1000 + i)}` : `person${i}@example.com`,
        subject: `Reminder ${i}`,
        body: "See you soon.",
        status: i === 7 ? ("dead" as const) : ("sent" as const),
        nextAttemptAt: new Date(now),
        createdAt: new Date(now - i * 60_000),
      })),
    );
    const owner = new Client(app.url);
    await owner.signIn(ROLE_EMAILS.owner);
    const first = await (await owner.get("/outbox")).text();
    expect(first).toContain("Older messages");
    expect(first).toContain("Reminder 0");
    expect(first).not.toContain("Reminder 54<");
    const older = /href="(\/outbox\?before=\d+)"/.exec(first)![1];
    expect(await (await owner.get(older)).text()).toContain("Reminder 54");
    const dead = await (await owner.get("/outbox?status=dead")).text();
    expect(dead).toContain("Reminder 7");
    expect(dead).not.toContain("Reminder 8");
    const texts = await (await owner.get("/outbox?channel=sms&to=%2B1212555101")).text();
    expect(texts).toContain("Reminder 10<");
    expect(texts).toContain("Reminder 15<");
    expect(texts).not.toContain("Reminder 5<");
    expect(texts).not.toContain("person11@");
    expect((await owner.get("/outbox?status=lost")).status).toBe(400);
  });

  it("dates read like dates, and people are greeted by their first name", async () => {
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const [patient] = await app.db.select().from(patients).limit(1);
    await app.db.update(patients).set({ dateOfBirth: "1986-04-12" }).where(eq(patients.id, patient.id));
    const page = await (await desk.get(`/patients/${patient.id}`)).text();
    expect(page).toMatch(/Patient since [A-Z][a-z]{2} \d{1,2}, \d{4}/);
    expect(page).toContain("Apr 12, 1986");

    const md = new Client(app.url);
    await md.signIn(ROLE_EMAILS.medical_director);
    const director = await userNamed(ROLE_EMAILS.medical_director);
    const first = director.name.replace(/^Dr\. /, "").split(" ")[0];
    expect(await (await md.get("/today")).text()).toContain(`Good to see you, ${first}`);
    expect(plainName("Ms. Cleta Klocko")).toBe("Cleta Klocko");
    expect(plainName("Ivan Ruiz III")).toBe("Ivan Ruiz");
  });

  it("never promises nearby times it doesn't have: a closed day offers the next day with open times", async () => {
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const owner = new Client(app.url);
    await owner.signIn(ROLE_EMAILS.owner);
    const [location] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
    const [patient] = await app.db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1);
    const serviceId = /<option value="([\w-]+)"[^>]*>Neurotoxin/.exec(await (await desk.get("/schedule/new")).text())![1];
    const day = new Date(Date.now() + 5 * 86_400_000);
    while ([0, 6, 5].includes(day.getUTCDay())) day.setUTCDate(day.getUTCDate() + 1);
    const date = day.toISOString().slice(0, 10);
    expect((await owner.post(`/settings/locations/${location.id}`, { intent: "add-closure", date, reason: "Training day" })).status).toBe(200);
    const res = await desk.post(`/schedule/new?patient=${patient.id}`, { patientId: patient.id, serviceId, providerId: "any", date, time: "10:00", occurrences: "1", repeatWeeks: "1" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Nothing else is open that day.");
    expect(page).not.toContain("Here are the nearest open times.");
    expect(page).toMatch(/Next day with open times: <a [^>]*href="\/schedule\/new\?patient=[^"]+&amp;date=\d{4}-\d{2}-\d{2}&amp;time=\d{2}:\d{2}">[A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}, from \d{1,2}:\d{2} [AP]M</);
  });

  it("the portal shows a patient their past visits too, and only theirs", async () => {
    const { appointments, services } = await import("../../db/schema");
    const me = await userNamed(ROLE_EMAILS.patient);
    const [mine] = await app.db.select().from(patients).where(eq(patients.userId, me.id));
    const [someoneElse] = await app.db.select().from(patients).where(eq(patients.organizationId, mine.organizationId)).limit(1).offset(3);
    const [location] = await app.db.select().from(locations).where(eq(locations.organizationId, mine.organizationId)).limit(1);
    const [service] = await app.db.select().from(services).where(eq(services.organizationId, mine.organizationId)).limit(1);
    const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const visit = (patientId: string, daysAgo: number, status: "completed" | "no_show") => {
      const start = new Date(Date.now() - daysAgo * 86_400_000);
      const end = new Date(start.getTime() + 30 * 60_000);
      return { id: crypto.randomUUID(), organizationId: mine.organizationId, locationId: location.id, patientId, providerId: provider.id, serviceId: service.id, roomId: null, status, startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 100, createdAt: start };
    };
    await app.db.insert(appointments).values([visit(mine.id, 30, "completed"), visit(mine.id, 60, "no_show"), visit(someoneElse.id, 10, "completed")]);
    const patient = new Client(app.url);
    await patient.signIn(ROLE_EMAILS.patient);
    const html = await (await patient.get("/portal")).text();
    const past = html.slice(html.indexOf("Past visits"), html.indexOf("Past visits") + 4000);
    expect(past).toContain(service.name);
    expect(past).toContain("Missed");
    expect((past.match(/<li class="py-3">/g) ?? []).length).toBe(2);
  });

  it("a privacy screen is the board alone, and the board says who is on shift now, later or done", async () => {
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const board = await (await desk.get("/board")).text();
    expect(board).toContain('href="/schedule"');
    expect(board).toContain("Providers today");
    expect(board).toMatch(/On shift until \d|On shift later, from \d|Done for the day|Not working today/);
    expect(board).not.toContain("not on shift now");
    const privacy = await (await desk.get("/board?privacy=1")).text();
    expect(privacy).not.toContain('href="/schedule"');
    expect(privacy).not.toContain("Sign out");
    expect(privacy).toContain("Leave privacy mode");
  });

  it("finds a patient from any page: the shell's search posts and lands on the results", async () => {
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const today = await (await desk.get("/today")).text();
    expect(today).toMatch(/<form[^>]*action="\/patients"[^>]*role="search"|<form[^>]*role="search"[^>]*action="\/patients"/);
    const [patient] = await app.db.select().from(patients).limit(1);
    const found = await desk.post("/patients", { q: patient.lastName });
    expect(found.status).toBe(303);
    const results = await (await desk.get(found.headers.get("location")!)).text();
    expect(results).toContain(`/patients/${patient.id}`);
    expect(found.headers.get("location")).not.toContain(encodeURIComponent(patient.lastName));
  });
});
