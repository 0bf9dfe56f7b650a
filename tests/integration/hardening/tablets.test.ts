// Finding 4 (shared tablets), issue 9, on the server side: a change queued offline names who made
// it, and applies only under that user's session. (The device side is in tests/e2e/pwa.spec.ts.)
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appointments, auditEvents, locations, patients, rooms, services, users } from "../../../db/schema";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

describe("4. changes queued on a shared tablet", () => {
  it("are refused under another user's session, change nothing, and apply under their owner's", async () => {
    const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const [location] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
    const [patient] = await app.db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1);
    const [service] = await app.db.select().from(services).where(eq(services.organizationId, location.organizationId)).limit(1);
    const [room] = await app.db.select().from(rooms).where(eq(rooms.locationId, location.id)).limit(1);
    const id = crypto.randomUUID();
    const start = new Date(Date.now() + 30 * 60_000);
    const end = new Date(start.getTime() + 30 * 60_000);
    await app.db.insert(appointments).values({ id, organizationId: location.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, roomId: room.id, status: "checked_in", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 100, createdAt: new Date() });
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const change = { intent: "status", to: "in_room", idempotencyKey: "0123456789abcdef0123", offlineUser: provider.id };
    const refused = await desk.post(`/appointments/${id}`, change);
    expect(refused.status).toBe(409);
    expect(refused.headers.get("atrium-offline-owner")).toBe("1");
    expect((await desk.post("/board", { intent: "room-turnover", roomId: room.id, offlineUser: provider.id })).status).toBe(409);
    expect((await app.db.select().from(appointments).where(eq(appointments.id, id)))[0].status).toBe("checked_in");
    const owner = new Client(app.url);
    await owner.signIn(ROLE_EMAILS.provider);
    expect((await owner.post(`/appointments/${id}`, change)).status).toBe(302);
    expect((await app.db.select().from(appointments).where(eq(appointments.id, id)))[0].status).toBe("in_room");
    const [event] = await app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "appointment.in_room"), eq(auditEvents.entityId, id)));
    expect(event.actorUserId).toBe(provider.id);
  });
});
