import { and, eq } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/lib/context.server";
import { bookAppointment, type BookingActor } from "../../app/scheduling/booking.server";
import { localToInstant } from "../../app/scheduling/local-time";
import { appointmentEvents, appointments, locations, memberships, organizations, patients, services, users } from "../../db/schema";
import { startTestApp, testContext, type TestApp } from "../helpers/test-app";

let app: TestApp;
let ctx: AppContext;
let desk: BookingActor;
let ids: { org: string; midtown: string; botox: string; consult: string; provider: string; provider3: string; patient: string; otherOrgPatient: string };

/** A Monday at least three days ahead, as a local date at Midtown (America/New_York). */
function nextMonday() {
  let d = Temporal.Now.plainDateISO("America/New_York").add({ days: 3 });
  while (d.dayOfWeek !== 1) d = d.add({ days: 1 });
  return d.toString();
}
const at = (date: string, h: number, m = 0) => localToInstant("America/New_York", date, h * 60 + m);

beforeEach(async () => {
  app = await startTestApp();
  ctx = testContext(app, app.db);
  const org = (await app.db.select().from(organizations).where(eq(organizations.slug, "lumen")))[0].id;
  const userId = async (email: string) => (await app.db.select().from(users).where(eq(users.email, email)))[0].id;
  const serviceId = async (name: string) => (await app.db.select().from(services).where(and(eq(services.organizationId, org), eq(services.name, name))))[0].id;
  const harbor = (await app.db.select().from(organizations).where(eq(organizations.slug, "harbor")))[0].id;
  ids = {
    org,
    midtown: (await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown")))[0].id,
    botox: await serviceId("Neurotoxin (Botox, Dysport)"),
    consult: await serviceId("Laser resurfacing consultation"),
    provider: await userId("provider@lumen.example"),
    provider3: await userId("provider3@lumen.example"),
    patient: (await app.db.select().from(patients).where(eq(patients.organizationId, org)).limit(1))[0].id,
    otherOrgPatient: (await app.db.select().from(patients).where(eq(patients.organizationId, harbor)).limit(1))[0].id,
  };
  const [m] = await app.db.select().from(memberships).where(eq(memberships.userId, await userId("frontdesk@lumen.example")));
  desk = { id: m.userId, role: m.role, organizationId: org };
});
afterEach(async () => {
  await app.close();
});

describe("booking", () => {
  it("books an open slot with a room, confirms it and records who did it", async () => {
    const monday = nextMonday();
    const result = await bookAppointment(ctx, desk, { locationId: ids.midtown, serviceId: ids.botox, providerId: ids.provider, patientId: ids.patient, startsAt: at(monday, 10) });
    expect(result).toMatchObject({ ok: true, status: "confirmed", providerId: ids.provider });
    if (!result.ok) return;
    expect(result.roomId).toBeTruthy();
    const [row] = await app.db.select().from(appointments).where(eq(appointments.id, result.appointmentId));
    expect(row.endsAt.getTime() - row.startsAt.getTime()).toBe(30 * 60_000);
    expect(row.blockEnd.getTime() - row.endsAt.getTime()).toBe(10 * 60_000);
    expect(row.priceCents).toBe(45_000);
    const events = await app.db.select().from(appointmentEvents).where(eq(appointmentEvents.appointmentId, result.appointmentId));
    expect(events).toMatchObject([{ fromStatus: null, toStatus: "confirmed", actorUserId: desk.id }]);
  });

  it("lets exactly one of 20 concurrent bookings take the same slot", async () => {
    const monday = nextMonday();
    const attempts = await Promise.all(
      Array.from({ length: 20 }, () => bookAppointment(ctx, desk, { locationId: ids.midtown, serviceId: ids.botox, providerId: ids.provider, patientId: ids.patient, startsAt: at(monday, 11) })),
    );
    expect(attempts.filter((a) => a.ok)).toHaveLength(1);
    const losers = attempts.filter((a) => !a.ok);
    expect(losers).toHaveLength(19);
    for (const l of losers) {
      expect(l).toMatchObject({ code: "slot_taken", message: "That time was just taken. Here are the nearest open times." });
      if (!l.ok) expect(l.alternatives.length).toBeGreaterThan(0);
    }
    const rows = await app.db.select().from(appointments).where(and(eq(appointments.providerId, ids.provider), eq(appointments.startsAt, new Date(at(monday, 11)))));
    expect(rows).toHaveLength(1);
  });

  it("fills 'any provider' until providers or rooms run out, never double-booking either", async () => {
    const monday = nextMonday();
    const attempts = await Promise.all(Array.from({ length: 6 }, () => bookAppointment(ctx, desk, { locationId: ids.midtown, serviceId: ids.botox, providerId: null, patientId: ids.patient, startsAt: at(monday, 14) })));
    const won = attempts.filter((a) => a.ok);
    // Two providers work at Midtown and it has two injection rooms.
    expect(won).toHaveLength(2);
    expect(new Set(won.map((w) => w.ok && w.providerId)).size).toBe(2);
    expect(new Set(won.map((w) => w.ok && w.roomId)).size).toBe(2);
  });

  it("refuses times outside availability, in the past, and other organizations' records, writing nothing", async () => {
    const monday = nextMonday();
    const saturday = Temporal.PlainDate.from(monday).add({ days: 5 }).toString();
    const base = { locationId: ids.midtown, serviceId: ids.botox, providerId: ids.provider, patientId: ids.patient };
    expect(await bookAppointment(ctx, desk, { ...base, startsAt: at(monday, 7) })).toMatchObject({ ok: false, code: "unavailable" });
    expect(await bookAppointment(ctx, desk, { ...base, startsAt: at(saturday, 10) })).toMatchObject({ ok: false, code: "unavailable" });
    expect(await bookAppointment(ctx, desk, { ...base, startsAt: at(monday, 10, 7) })).toMatchObject({ ok: false, code: "unavailable" });
    expect(await bookAppointment(ctx, desk, { ...base, startsAt: Date.now() - 3600_000 })).toMatchObject({ ok: false, code: "in_past" });
    expect(await bookAppointment(ctx, desk, { ...base, patientId: ids.otherOrgPatient, startsAt: at(monday, 10) })).toMatchObject({ ok: false, code: "not_found" });
    expect(await app.db.select().from(appointments)).toHaveLength(0);
  });

  it("lets the desk override availability with a reason, but never over another appointment", async () => {
    const monday = nextMonday();
    const base = { locationId: ids.midtown, serviceId: ids.botox, providerId: ids.provider, patientId: ids.patient };
    const early = await bookAppointment(ctx, desk, { ...base, startsAt: at(monday, 8), overrideReason: "VIP before opening" });
    expect(early).toMatchObject({ ok: true });
    expect(await bookAppointment(ctx, desk, { ...base, startsAt: at(monday, 8, 15), overrideReason: "squeeze in" })).toMatchObject({ ok: false, code: "slot_taken" });
    expect(await bookAppointment(ctx, { ...desk, role: "provider" }, { ...base, startsAt: at(monday, 7), overrideReason: "x" })).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("creates a request for request-only services booked by a patient", async () => {
    const monday = nextMonday();
    const patientActor: BookingActor = { id: "patient-user", role: "patient", organizationId: ids.org };
    const result = await bookAppointment(ctx, patientActor, { locationId: ids.midtown, serviceId: ids.consult, providerId: null, patientId: ids.patient, startsAt: at(monday, 9) });
    expect(result).toMatchObject({ ok: true, status: "requested" });
  });
});
