import { and, eq, like } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { appointments, messages, patients, services, users, waitlistEntries, waitlistOffers } from "../../db/schema";
import { parseEnv } from "../../app/lib/env.server";
import { createLogger } from "../../app/lib/logger.server";
import { localToInstant } from "../../app/scheduling/local-time";
import { expireWaitlist } from "../../app/waitlist/offers.server";
import { sha256Hex } from "../../app/auth/password.server";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
let desk: Client;
let patient: Client;
let ids: { provider: string; service: string; portalPatient: string; second: string; walkIn: string; location: string };
const NY = "America/New_York";
const date = (() => {
  let d = Temporal.Now.plainDateISO(NY).add({ days: 4 });
  while (d.dayOfWeek > 5) d = d.add({ days: 1 });
  return d.toString();
})();
const at = (hhmm: string) => localToInstant(NY, date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));

async function book(patientId: string, time: string) {
  const res = await desk.post(`/schedule/new?patient=${patientId}`, { patientId, serviceId: ids.service, providerId: ids.provider, date, time, occurrences: "1", repeatWeeks: "1" });
  expect(res.status).toBe(302);
  return res.headers.get("location")!.split("/").pop()!;
}
const join = (client: Client, path: string, extra: Record<string, string> = {}) => client.post(path, { intent: "join", locationId: ids.location, serviceId: ids.service, providerId: "any", fromDate: date, toDate: date, ...extra });
/** The offer a cancellation (or a pass) makes goes out just after the answer (ctx.afterResponse): wait for it. */
function offeredAfterCancelling(patientId: string) {
  return vi.waitFor(async () => {
    const tokens = await offerTokenFor(patientId);
    expect(tokens.length).toBeGreaterThan(0);
    return tokens;
  }, { timeout: 3000, interval: 20 });
}

async function offerTokenFor(patientId: string) {
  const [p] = await app.db.select({ email: patients.email }).from(patients).where(eq(patients.id, patientId));
  const rows = await app.db.select().from(messages).where(and(eq(messages.kind, "waitlist_offer"), eq(messages.toAddress, p.email!)));
  return rows.map((m) => /\/waitlist\/offers\/([\w-]+)/.exec(m.body)?.[1]).filter(Boolean) as string[];
}

beforeEach(async () => {
  app = await startTestApp();
  desk = new Client(app.url);
  await desk.signIn(ROLE_EMAILS.front_desk);
  patient = new Client(app.url);
  await patient.signIn(ROLE_EMAILS.patient);
  const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
  const [portalUser] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.patient));
  const [portalPatient] = await app.db.select().from(patients).where(eq(patients.userId, portalUser.id));
  const org = portalPatient.organizationId;
  const [service] = await app.db.select().from(services).where(and(eq(services.organizationId, org), like(services.name, "Neurotoxin%")));
  const [second] = await app.db.select().from(patients).where(and(eq(patients.organizationId, org), like(patients.email, "%.7@example.com")));
  const [walkIn] = await app.db.select().from(patients).where(and(eq(patients.organizationId, org), like(patients.email, "%.9@example.com")));
  const newPage = await (await desk.get("/waitlist")).text();
  const location = /<option value="([\w-]+)"[^>]*>Lumen Midtown/.exec(newPage)![1];
  ids = { provider: provider.id, service: service.id, portalPatient: portalPatient.id, second: second.id, walkIn: walkIn.id, location };
  // Both waiting patients agreed to email, so offers reach them.
  for (const id of [portalPatient.id, second.id]) await app.db.update(patients).set({ emailConsent: true }).where(eq(patients.id, id));
});
afterEach(async () => {
  await app.close();
});

describe("the waitlist", () => {
  it("lets a patient join from the portal, with field messages for bad dates and foreign ids", async () => {
    const backwards = await join(patient, "/portal/waitlist", { toDate: Temporal.PlainDate.from(date).subtract({ days: 1 }).toString() });
    expect(backwards.status).toBe(400);
    expect(await backwards.text()).toContain("The last day must be on or after the first.");
    const foreign = await join(patient, "/portal/waitlist", { providerId: "not-a-provider" });
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain("doesn't offer this service here");
    const ok = await join(patient, "/portal/waitlist");
    expect(ok.status).toBe(200);
    const rows = await app.db.select().from(waitlistEntries).where(eq(waitlistEntries.patientId, ids.portalPatient));
    expect(rows).toHaveLength(1);
    expect(await (await patient.get("/portal/waitlist")).text()).toContain("Neurotoxin");
  });

  it("offers a cancelled time to the first in line; a pass goes to the next; the first to accept is booked", async () => {
    const taken = await book(ids.walkIn, "10:00");
    expect((await join(patient, "/portal/waitlist")).status).toBe(200);
    expect((await join(desk, "/waitlist", { patientId: ids.second })).status).toBe(200);

    expect((await desk.post(`/appointments/${taken}`, { intent: "cancel", reason: "patient unwell" })).status).toBe(302);
    const [firstToken] = await offeredAfterCancelling(ids.portalPatient);
    expect(firstToken).toBeTruthy();
    expect(await offerTokenFor(ids.second)).toEqual([]);
    const page = await (await new Client(app.url).get(`/waitlist/offers/${firstToken}`)).text();
    expect(page).toContain("Accept this time");
    expect(page).toContain("10:00");

    // The first passes: the second is offered the same time and accepts.
    expect((await new Client(app.url).post(`/waitlist/offers/${firstToken}`, { answer: "decline" })).status).toBe(200);
    const [secondToken] = await offeredAfterCancelling(ids.second);
    expect(secondToken).toBeTruthy();
    const accepted = await new Client(app.url).post(`/waitlist/offers/${secondToken}`, { answer: "accept" });
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toContain("It's yours");
    const booked = await app.db.select().from(appointments).where(and(eq(appointments.patientId, ids.second), eq(appointments.startsAt, new Date(at("10:00")))));
    expect(booked).toHaveLength(1);
    const [entry] = await app.db.select().from(waitlistEntries).where(eq(waitlistEntries.patientId, ids.second));
    expect(entry).toMatchObject({ status: "booked", appointmentId: booked[0].id });
    // The link cannot book twice, and the declined offer cannot be taken back.
    expect((await new Client(app.url).post(`/waitlist/offers/${secondToken}`, { answer: "accept" })).status).toBe(410);
    expect((await new Client(app.url).post(`/waitlist/offers/${firstToken}`, { answer: "accept" })).status).toBe(410);
  });

  it("decides an offer once when accept, decline and a second accept race (issue 9, finding 7)", async () => {
    const taken = await book(ids.walkIn, "14:00");
    await join(patient, "/portal/waitlist");
    await join(desk, "/waitlist", { patientId: ids.second });
    await desk.post(`/appointments/${taken}`, { intent: "cancel", reason: "patient unwell" });
    const [token] = await offeredAfterCancelling(ids.portalPatient);
    const answers = await Promise.all([
      new Client(app.url).post(`/waitlist/offers/${token}`, { answer: "accept" }),
      new Client(app.url).post(`/waitlist/offers/${token}`, { answer: "decline" }),
      new Client(app.url).post(`/waitlist/offers/${token}`, { answer: "accept" }),
    ]);
    const won = answers.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    expect(answers.filter((r) => r.status === 410)).toHaveLength(2);
    const [offer] = await app.db.select().from(waitlistOffers).where(eq(waitlistOffers.tokenHash, await sha256Hex(token)));
    const bookedForFirst = await app.db.select().from(appointments).where(and(eq(appointments.patientId, ids.portalPatient), eq(appointments.status, "confirmed"), eq(appointments.startsAt, new Date(at("14:00")))));
    const offeredToSecond = offer.status === "declined" ? await offeredAfterCancelling(ids.second) : await offerTokenFor(ids.second);
    // Either the first patient has the time (and nobody else was offered it) or they passed it on.
    if (offer.status === "accepted") expect([bookedForFirst.length, offeredToSecond.length]).toEqual([1, 0]);
    else expect([offer.status, bookedForFirst.length, offeredToSecond.length]).toEqual(["declined", 0, 1]);
  });

  it("tells a patient who accepts too late that someone else took it, and keeps them waiting", async () => {
    const taken = await book(ids.walkIn, "11:00");
    await join(patient, "/portal/waitlist");
    await desk.post(`/appointments/${taken}`, { intent: "cancel", reason: "rescheduling later" });
    const [token] = await offeredAfterCancelling(ids.portalPatient);
    // The desk fills the time before the patient answers.
    await book(ids.walkIn, "11:00");
    const late = await new Client(app.url).post(`/waitlist/offers/${token}`, { answer: "accept" });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("someone else accepted that time first");
    expect(await app.db.select().from(appointments).where(and(eq(appointments.startsAt, new Date(at("11:00"))), eq(appointments.status, "confirmed")))).toHaveLength(1);
    const [entry] = await app.db.select().from(waitlistEntries).where(eq(waitlistEntries.patientId, ids.portalPatient));
    expect(entry.status).toBe("waiting");
  });

  it("passes an unanswered offer to the next in line when it expires", async () => {
    const moved = await book(ids.walkIn, "14:00");
    await join(patient, "/portal/waitlist");
    await join(desk, "/waitlist", { patientId: ids.second });
    // Moving a visit away frees its old time just as a cancellation does.
    expect((await desk.post(`/appointments/${moved}`, { intent: "move", providerId: ids.provider, slot: String(at("16:00")) })).status).toBe(302);
    // The freed time is offered just after the answer.
    const offer = await vi.waitFor(async () => {
      const [made] = await app.db.select().from(waitlistOffers);
      expect(made).toBeTruthy();
      return made;
    }, { timeout: 3000, interval: 20 });
    expect(offer.startsAt.getTime()).toBe(at("14:00"));
    await app.db.update(waitlistOffers).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(waitlistOffers.id, offer.id));
    const job = { db: app.db, clock: { now: () => new Date() }, env: parseEnv({ DATABASE_URL: "file:x", SESSION_SECRET: "x".repeat(32), APP_ORIGIN: app.url }), logger: createLogger("silent"), origin: app.url };
    expect(await expireWaitlist(job)).toBe(1);
    expect(await expireWaitlist(job)).toBe(0);
    const offers = await app.db.select().from(waitlistOffers);
    expect(offers.map((o) => o.status).sort()).toEqual(["expired", "open"]);
    expect(await offerTokenFor(ids.second)).toHaveLength(1);
  });
});
