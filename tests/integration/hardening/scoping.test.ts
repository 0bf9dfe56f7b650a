// Finding 6 (location scoping) and the authorization matrix's teeth (issue 9): canary values of
// another organization and of a location the visitor isn't assigned to never reach their pages,
// and POST bodies that pass validation but carry foreign ids are refused without writing.
import { and, eq, ne } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appointments, locations, memberships, messages, organizations, patients, rooms, roomStates, services, userLocations, users, waitlistEntries } from "../../../db/schema";
import { Client, ORG_B, ROLE_EMAILS, startTestApp, type TestApp } from "../../helpers/test-app";

type Visitor = "owner" | "manager" | "front_desk" | "provider" | "medical_director" | "patient" | "patient2" | "other";
const VISITORS: Visitor[] = ["owner", "manager", "front_desk", "provider", "medical_director", "patient", "patient2", "other"];
/** Visitors assigned only to the first location of organization A. */
const ONE_LOCATION: Visitor[] = ["front_desk", "provider"];

/** Strings that exist only in records a visitor must not see. */
const CANARY = { orgB: "Qwxcanary", orgA: "Zzkcanary", location: "Canarywood", patient1: "Avery" } as const;

let app: TestApp;
const clients = {} as Record<Visitor, Client>;
const ids: Record<string, string> = {};
const soon = new Date(Date.now() + 9 * 86_400_000);
const day = soon.toISOString().slice(0, 10);

async function addAppointment(organizationId: string, locationId: string, patientId: string, providerId: string, serviceId: string) {
  const id = crypto.randomUUID();
  const end = new Date(soon.getTime() + 30 * 60_000);
  await app.db.insert(appointments).values({ id, organizationId, locationId, patientId, providerId, serviceId, status: "confirmed", startsAt: soon, endsAt: end, blockStart: soon, blockEnd: end, priceCents: 100, createdAt: new Date() });
  return id;
}

beforeAll(async () => {
  app = await startTestApp();
  const db = app.db;
  const org = async (slug: string) => (await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug)))[0].id;
  const user = async (email: string) => (await db.select({ id: users.id, hash: users.passwordHash }).from(users).where(eq(users.email, email)))[0];
  ids.orgA = await org("lumen");
  ids.orgB = await org("harbor");
  const desk = await user(ROLE_EMAILS.front_desk);
  ids.L0 = (await db.select({ id: userLocations.locationId }).from(userLocations).where(eq(userLocations.userId, desk.id)))[0].id;
  ids.L1 = (await db.select({ id: locations.id }).from(locations).where(and(eq(locations.organizationId, ids.orgA), ne(locations.id, ids.L0))))[0].id;
  ids.LB = (await db.select({ id: locations.id }).from(locations).where(eq(locations.organizationId, ids.orgB)))[0].id;
  await db.update(locations).set({ name: `Lumen ${CANARY.location}` }).where(eq(locations.id, ids.L1));
  ids.providerA = (await user(ROLE_EMAILS.provider)).id;
  ids.providerL1 = (await db.select({ id: userLocations.userId }).from(userLocations).innerJoin(memberships, eq(memberships.userId, userLocations.userId)).where(and(eq(userLocations.locationId, ids.L1), eq(memberships.role, "provider"))))[0].id;
  ids.providerB = (await user(`provider@${ORG_B}`)).id;
  ids.serviceA = (await db.select({ id: services.id }).from(services).where(eq(services.organizationId, ids.orgA)).limit(1))[0].id;
  ids.serviceB = (await db.select({ id: services.id }).from(services).where(eq(services.organizationId, ids.orgB)).limit(1))[0].id;
  ids.roomL0 = (await db.select({ id: rooms.id }).from(rooms).where(eq(rooms.locationId, ids.L0)).limit(1))[0].id;
  ids.roomL1 = (await db.select({ id: rooms.id }).from(rooms).where(eq(rooms.locationId, ids.L1)).limit(1))[0].id;
  ids.roomB = (await db.select({ id: rooms.id }).from(rooms).where(eq(rooms.locationId, ids.LB)).limit(1))[0].id;

  // The portal patient (patient 1), a second portal patient, and canary patients in A and B.
  const portal = await user(ROLE_EMAILS.patient);
  ids.patient1 = (await db.select({ id: patients.id }).from(patients).where(eq(patients.userId, portal.id)))[0].id;
  const patient2User = crypto.randomUUID();
  ids.patient2 = crypto.randomUUID();
  await db.insert(users).values({ id: patient2User, email: `patient2@${"lumen.example"}`, name: "Robin Second", passwordHash: portal.hash, createdAt: new Date() });
  await db.insert(memberships).values({ id: crypto.randomUUID(), userId: patient2User, organizationId: ids.orgA, role: "patient", status: "active", createdAt: new Date() });
  await db.insert(patients).values({ id: ids.patient2, organizationId: ids.orgA, firstName: "Robin", lastName: "Second", dateOfBirth: "1991-02-03", email: "patient2@lumen.example", userId: patient2User, createdAt: new Date() });
  ids.patientA = crypto.randomUUID();
  await db.insert(patients).values({ id: ids.patientA, organizationId: ids.orgA, firstName: "Kim", lastName: CANARY.orgA, dateOfBirth: "1980-01-01", email: "kim@example.com", createdAt: new Date() });
  ids.patientB = crypto.randomUUID();
  await db.insert(patients).values({ id: ids.patientB, organizationId: ids.orgB, firstName: "Lee", lastName: CANARY.orgB, dateOfBirth: "1982-01-01", email: "lee@example.com", phone: "(555) 999-0000", createdAt: new Date() });

  ids.apptP1 = await addAppointment(ids.orgA, ids.L0, ids.patient1, ids.providerA, ids.serviceA);
  ids.apptL1 = await addAppointment(ids.orgA, ids.L1, ids.patientA, ids.providerL1, ids.serviceA);
  ids.apptB = await addAppointment(ids.orgB, ids.LB, ids.patientB, ids.providerB, ids.serviceB);
  for (const [key, orgId, locationId, patientId] of [["entryP1", ids.orgA, ids.L0, ids.patient1], ["entryL1", ids.orgA, ids.L1, ids.patientA], ["entryB", ids.orgB, ids.LB, ids.patientB]] as const) {
    ids[key] = crypto.randomUUID();
    await db.insert(waitlistEntries).values({ id: ids[key], organizationId: orgId, locationId, patientId, serviceId: orgId === ids.orgB ? ids.serviceB : ids.serviceA, fromDate: day, toDate: day, createdAt: new Date() });
  }
  ids.messageB = crypto.randomUUID();
  await db.insert(messages).values({ id: ids.messageB, organizationId: ids.orgB, kind: "confirmation", channel: "email", toAddress: "lee@example.com", subject: `For ${CANARY.orgB}`, body: CANARY.orgB, status: "dead", nextAttemptAt: new Date(), createdAt: new Date() });

  for (const who of VISITORS) {
    clients[who] = new Client(app.url);
    await clients[who].signIn(who === "other" ? `owner@${ORG_B}` : who === "patient2" ? "patient2@lumen.example" : ROLE_EMAILS[who]);
  }
});
afterAll(async () => {
  await app.close();
});

/** The result pages of patient searches (the box posts; the page carries the search sealed). */
async function searchPagesFor(who: Visitor) {
  const pages: string[] = [];
  for (const [path, intent] of [["/patients", null], ["/schedule/new", "search"], ["/waitlist", "search"]] as const) {
    for (const q of [CANARY.orgA.slice(0, 4), CANARY.orgB.slice(0, 4)]) {
      const res = await clients[who].post(path, intent ? { intent, q } : { q });
      if (res.status === 303) pages.push(res.headers.get("location")!);
    }
  }
  return pages;
}

/** Every signed-in page a visitor might open, with the records above in reach. */
function pagesFor(): string[] {
  return [
    "/today", "/provider", "/patients", `/patients/${ids.patientA}`, `/patients/${ids.patientB}`,
    `/schedule?date=${day}`, `/schedule?date=${day}&view=room`, `/schedule?date=${day}&view=week`, "/schedule/new",
    "/board", "/board?privacy=1", "/waitlist", "/outbox", "/audit",
    `/appointments/${ids.apptP1}`, `/appointments/${ids.apptL1}`, `/appointments/${ids.apptB}`,
    `/appointments/${ids.apptP1}/calendar.ics`, `/appointments/${ids.apptL1}/calendar.ics`, `/appointments/${ids.apptB}/calendar.ics`,
    "/portal", "/portal/profile", "/portal/waitlist", `/portal/visits/${ids.apptP1}`, `/portal/visits/${ids.apptB}`,
    "/settings/organization", "/settings/locations", `/settings/locations/${ids.LB}`, "/settings/services", `/settings/services/${ids.serviceB}`, "/settings/staff", `/settings/staff/${ids.providerB}`,
    "/account", "/account/calendar",
  ];
}

describe("canaries", () => {
  it.each(VISITORS)("%s never receives another organization's records", async (who) => {
    const forbidden = who === "other" ? CANARY.orgA : CANARY.orgB;
    const leaks: string[] = [];
    const searches = await searchPagesFor(who);
    if (["owner", "manager", "front_desk", "other"].includes(who)) expect(searches.length).toBe(6);
    // The searches do find what is the visitor's to find.
    if (who === "owner") expect(await (await clients.owner.get(searches[0])).text()).toContain(CANARY.orgA);
    for (const path of [...pagesFor(), ...searches]) {
      const res = await clients[who].get(path);
      const body = await res.text();
      if (res.status === 200 && body.includes(forbidden)) leaks.push(path);
    }
    expect(leaks).toEqual([]);
  });

  it.each(ONE_LOCATION)("%s never receives a visit or the name of a location they aren't assigned to", async (who) => {
    const leaks: string[] = [];
    for (const path of pagesFor()) {
      const res = await clients[who].get(path);
      if (res.status === 200 && (await res.text()).includes(CANARY.location)) leaks.push(path);
    }
    expect(leaks).toEqual([]);
    for (const path of [`/appointments/${ids.apptL1}`, `/appointments/${ids.apptL1}/calendar.ics`]) expect((await clients[who].get(path)).status).toBe(404);
  });

  it("a second patient never sees the first patient's visits, waitlist or profile", async () => {
    for (const path of ["/portal", "/portal/profile", "/portal/waitlist", `/portal/visits/${ids.apptP1}`, `/appointments/${ids.apptP1}/calendar.ics`]) {
      const res = await clients.patient2.get(path);
      expect(res.status === 200 ? await res.text() : "").not.toContain(CANARY.patient1);
    }
    expect((await clients.patient2.get(`/portal/visits/${ids.apptP1}`)).status).toBe(404);
    expect((await clients.patient2.get(`/appointments/${ids.apptP1}/calendar.ics`)).status).toBe(404);
  });
});

describe("foreign ids in bodies that pass validation", () => {
  const cases: [Visitor, string, () => Record<string, string | string[]>, number][] = [
    ["front_desk", "/schedule", () => ({ appointmentId: ids.apptL1, to: "checked_in" }), 404],
    ["other", "/schedule", () => ({ appointmentId: ids.apptP1, to: "checked_in" }), 404],
    ["front_desk", "/appointments/:apptL1", () => ({ intent: "status", to: "checked_in" }), 404],
    ["front_desk", "/appointments/:apptL1", () => ({ intent: "cancel", reason: "patient asked" }), 404],
    ["front_desk", "/appointments/:apptL1", () => ({ intent: "move", providerId: ids.providerL1, override: "on", date: day, time: "15:00", reason: "asked" }), 404],
    ["provider", "/appointments/:apptL1", () => ({ intent: "status", to: "no_show" }), 404],
    ["medical_director", "/appointments/:apptL1", () => ({ intent: "status", to: "checked_in" }), 403],
    ["front_desk", "/board", () => ({ intent: "room-turnover", roomId: ids.roomL1 }), 404],
    ["owner", "/board", () => ({ intent: "room-free", roomId: ids.roomB }), 404],
    ["medical_director", "/board", () => ({ intent: "room-turnover", roomId: ids.roomL0 }), 403],
    ["front_desk", "/waitlist", () => ({ intent: "leave", entryId: ids.entryL1 }), 404],
    ["owner", "/waitlist", () => ({ intent: "leave", entryId: ids.entryB }), 404],
    ["front_desk", "/waitlist", () => ({ intent: "join", locationId: ids.L1, serviceId: ids.serviceA, providerId: "any", fromDate: day, toDate: day, patientId: ids.patientA }), 400],
    ["owner", "/waitlist", () => ({ intent: "join", locationId: ids.L0, serviceId: ids.serviceA, providerId: "any", fromDate: day, toDate: day, patientId: ids.patientB }), 404],
    ["owner", "/outbox", () => ({ intent: "retry", messageId: ids.messageB }), 404],
    ["owner", "/schedule/new", () => ({ patientId: ids.patientB, serviceId: ids.serviceA, providerId: "any", date: day, time: "10:00" }), 404],
    ["owner", "/schedule/new", () => ({ patientId: ids.patientA, serviceId: ids.serviceB, providerId: "any", date: day, time: "10:00" }), 404],
    ["owner", "/schedule/new", () => ({ patientId: ids.patientA, serviceId: ids.serviceA, providerId: ids.providerB, date: day, time: "10:00" }), 404],
    ["front_desk", "/schedule/new", () => ({ patientId: ids.patientA, serviceId: ids.serviceA, providerId: ids.providerL1, date: day, time: "10:00" }), 404],
    ["owner", "/patients/:patientB", () => ({ intent: "invite" }), 404],
    ["front_desk", "/resources/location", () => ({ locationId: ids.L1 }), 403],
    ["owner", "/resources/location", () => ({ locationId: ids.LB }), 403],
    ["manager", "/settings/services/:serviceA", () => ({ name: "Botox", category: "Injectables", durationMinutes: "30", price: "10.00", providerIds: [ids.providerB] }), 400],
    ["manager", "/settings/staff", () => ({ name: "Sam Lee", email: "sam@lumen.example", role: "front_desk", locationIds: [ids.LB] }), 400],
    ["owner", "/settings/locations/:LB", () => ({ intent: "add-room", name: "Room X", roomType: "injection" }), 404],
    ["manager", "/settings/staff/:providerA", () => ({ intent: "add-shift", locationId: ids.LB, weekday: "6", start: "09:00", end: "12:00", effectiveFrom: day }), 400],
    ["patient2", "/portal/visits/:apptP1", () => ({ intent: "cancel" }), 404],
    ["patient2", "/portal/visits/:apptP1", () => ({ intent: "move", providerId: "any", slot: String(soon.getTime() + 3_600_000) }), 404],
    ["patient2", "/portal/waitlist", () => ({ intent: "leave", entryId: ids.entryP1 }), 404],
    ["patient", "/portal/visits/:apptB", () => ({ intent: "cancel" }), 404],
  ];
  const resolve = (path: string) => path.replace(/:(\w+)/g, (_, k: string) => ids[k]);

  it.each(cases.map(([who, path, body, status]) => [`${who} POST ${path}`, who, path, body, status] as const))("%s is refused", async (_, who, path, body, status) => {
    const before = await snapshot();
    const res = await clients[who].post(resolve(path), body());
    expect(res.status).toBe(status);
    expect(await snapshot()).toEqual(before);
  });

  /** What the refused posts could have changed. */
  async function snapshot() {
    const [appts, entries, msgs, floor, roomCount, patientCount, memberCount] = await Promise.all([
      app.db.select({ id: appointments.id, status: appointments.status, startsAt: appointments.startsAt }).from(appointments).orderBy(appointments.id),
      app.db.select({ id: waitlistEntries.id, status: waitlistEntries.status }).from(waitlistEntries).orderBy(waitlistEntries.id),
      app.db.select({ id: messages.id, status: messages.status }).from(messages).where(eq(messages.id, ids.messageB)),
      app.db.select().from(roomStates),
      app.db.$count(rooms),
      app.db.$count(patients),
      app.db.$count(memberships),
    ]);
    return { appts, entries, msgs, floor, roomCount, patientCount, memberCount };
  }
});
