import { and, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appointments, locations, patients, rooms, roomStates, services, users } from "../../db/schema";
import { fakeApi } from "../helpers/fake-http";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";
import { roomSecrets } from "../../party/room-token";

let app: TestApp;
let party: Awaited<ReturnType<typeof fakeApi>>;
const keys = roomSecrets("party-secret-for-tests");

beforeEach(async () => {
  // PartyKit itself lives outside the app: a local fake of its HTTP endpoint records what the app sends.
  party = await fakeApi(() => ({ status: 204 }));
  app = await startTestApp({ PARTY_URL: party.url, PARTY_SECRET: "party-secret-for-tests" });
});
afterEach(async () => {
  await app.close();
  await party.close();
});

/** A confirmed visit that started two minutes ago, in a room at Midtown, with the seed's provider. */
async function visitNow() {
  const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
  const [location] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const [patient] = await app.db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1);
  const [service] = await app.db.select().from(services).where(eq(services.organizationId, location.organizationId)).limit(1);
  const [room] = await app.db.select().from(rooms).where(and(eq(rooms.locationId, location.id), eq(rooms.active, true))).limit(1);
  const id = crypto.randomUUID();
  const start = new Date(Date.now() - 2 * 60_000);
  const end = new Date(start.getTime() + 30 * 60_000);
  await app.db.insert(appointments).values({ id, organizationId: location.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, roomId: room.id, status: "confirmed", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 100, createdAt: new Date() });
  return { id, patient, room, provider, location };
}

describe("the treatment floor board", () => {
  it("follows a visit from late arrival to waiting, into a room, done, and the room turned over", async () => {
    const { id, patient, room, location } = await visitNow();
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const provider = new Client(app.url);
    await provider.signIn(ROLE_EMAILS.provider);
    const full = `${patient.firstName} ${patient.lastName}`;
    // React separates text pieces with empty comments; the part of the page under one heading.
    const section = (raw: string, heading: string) => {
      const html = raw.replace(/<!-- -->/g, "");
      const start = html.indexOf(heading);
      expect(start, `heading ${heading}`).toBeGreaterThan(0);
      return html.slice(start, html.indexOf("</section>", start));
    };

    expect(section(await (await desk.get("/board")).text(), "Late arrivals (1)")).toContain(full);
    await desk.post(`/appointments/${id}`, { intent: "status", to: "checked_in", confirmEarly: "1" });
    expect(section(await (await desk.get("/board")).text(), "Waiting (1)")).toContain(full);

    await provider.post(`/appointments/${id}`, { intent: "status", to: "in_room" });
    let html = await (await desk.get("/board")).text();
    expect(html.replace(/<!-- -->/g, "")).toContain("Waiting (0)");
    expect(section(html, "Rooms")).toMatch(new RegExp(`${room.name}</p><p>Occupied.*${full}`));

    await provider.post(`/appointments/${id}`, { intent: "status", to: "completed" });
    html = await (await desk.get("/board")).text();
    expect(section(html, "Rooms")).toContain(`${room.name}</p><p>Being turned over`);
    expect(html).toContain("Documenting");
    expect((await desk.post("/board", { intent: "room-free", roomId: room.id })).status).toBe(302);
    expect(section(await (await desk.get("/board")).text(), "Rooms")).toContain(`${room.name}</p><p>Free`);

    // Each change was sent to the location's room with the publish key (never the shared secret), as a full snapshot it diffs.
    const posts = party.requests.filter((r) => r.url === `/parties/main/${location.id}` && JSON.parse(r.body).type === "snapshot");
    expect(posts.length).toBeGreaterThanOrEqual(4);
    const { publish } = await keys;
    expect(posts.every((r) => r.headers.authorization === `Bearer ${publish}`)).toBe(true);
    expect(JSON.parse(posts.at(-1)!.body)).toMatchObject({ type: "snapshot", snapshot: { locationId: location.id } });
    // Every change that reached the database sent a snapshot with a higher data version (the room
    // uses it to ignore a late, older publish); the page loads in between sent the same version again.
    const versions = posts.map((r) => (JSON.parse(r.body) as { snapshot: { dataVersion: number } }).snapshot.dataVersion);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBeGreaterThanOrEqual(5);
  });

  it("applies a change replayed with the same idempotency key exactly once", async () => {
    const { id } = await visitNow();
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const key = crypto.randomUUID();
    const first = await desk.post(`/appointments/${id}`, { intent: "status", to: "checked_in", idempotencyKey: key, confirmEarly: "1" });
    const again = await desk.post(`/appointments/${id}`, { intent: "status", to: "checked_in", idempotencyKey: key, confirmEarly: "1" });
    expect([first.status, again.status]).toEqual([302, 302]);
    const { appointmentEvents } = await import("../../db/schema");
    expect((await app.db.select().from(appointmentEvents).where(eq(appointmentEvents.appointmentId, id))).filter((e) => e.toStatus === "checked_in")).toHaveLength(1);
    // Without the key the same change is refused by the lifecycle (already checked in).
    expect((await desk.post(`/appointments/${id}`, { intent: "status", to: "checked_in", confirmEarly: "1" })).status).toBe(403);
    expect((await desk.post(`/appointments/${id}`, { intent: "status", to: "in_room", idempotencyKey: "bad key!" })).status).toBe(400);
  });

  it("shows initials only in privacy mode, in the markup and in the page's data", async () => {
    const { id, patient } = await visitNow();
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    await desk.post(`/appointments/${id}`, { intent: "status", to: "checked_in", confirmEarly: "1" });
    const html = await (await desk.get("/board?privacy=1")).text();
    expect(html).not.toContain(patient.lastName);
    expect(html).toContain(`${patient.firstName[0]}.${patient.lastName[0]}.`.toUpperCase());
  });

  it("lets providers set their own status, and issues short-lived room tokens only to staff of that location", async () => {
    const provider = new Client(app.url);
    await provider.signIn(ROLE_EMAILS.provider);
    expect((await provider.post("/board", { intent: "my-status", state: "on_break" })).status).toBe(302);
    expect(await (await provider.get("/board")).text()).toContain("On break");
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    expect((await desk.post("/board", { intent: "my-status", state: "on_break" })).status).toBe(403);
    const token = (await (await desk.get("/board/token")).json()) as { token: string };
    const { verifyRoomToken } = await import("../../party/room-token");
    const claims = await verifyRoomToken(token.token, (await keys).token, Date.now());
    expect(claims).toMatchObject({ role: "front_desk" });
    expect(claims!.exp - Date.now() / 1000).toBeLessThanOrEqual(180);
    expect(await verifyRoomToken(token.token, "party-secret-for-tests", Date.now())).toBeNull();
    const patient = new Client(app.url);
    await patient.signIn(ROLE_EMAILS.patient);
    expect((await patient.get("/board/token")).status).toBe(403);
    expect((await patient.get("/board")).status).toBe(403);
  });

  it("gives the provider's tablet their status and the rooms, theirs first, with 'Mark ready' that works without JavaScript", async () => {
    const { id, room } = await visitNow();
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const provider = new Client(app.url);
    await provider.signIn(ROLE_EMAILS.provider);
    const page = async () => (await (await provider.get("/provider")).text()).replace(/<!-- -->/g, "");
    expect(await page()).toContain("Now: <strong>Available</strong>");

    await desk.post(`/appointments/${id}`, { intent: "status", to: "checked_in", confirmEarly: "1" });
    await provider.post(`/appointments/${id}`, { intent: "status", to: "in_room" });
    let html = await page();
    expect(html).toContain("Now: <strong>With a patient</strong>");
    // The room with my patient comes first among the rooms, marked as mine.
    const rooms = html.slice(html.indexOf(">Rooms<"));
    expect(rooms.indexOf(room.name)).toBeLessThan(rooms.indexOf("Free"));
    expect(rooms).toMatch(new RegExp(`${room.name}<span[^>]*>Yours</span></span><span[^>]*>Occupied`));

    await provider.post(`/appointments/${id}`, { intent: "status", to: "completed" });
    html = await page();
    expect(html).toContain("Now: <strong>Documenting</strong>");
    expect(html).toMatch(new RegExp(`${room.name}<span[^>]*>Yours</span></span><span[^>]*>Being turned over`));
    expect(html).toContain(`Mark ${room.name} ready`);
    // The form posts to the board's action and comes back to the tablet page.
    const ready = await provider.post("/board", { intent: "room-free", roomId: room.id }, { headers: { referer: `${app.url}/provider` } });
    expect(ready.status).toBe(302);
    expect(ready.headers.get("location")).toBe("/provider");
    html = await page();
    expect(html).not.toContain(`Mark ${room.name} ready`);
    expect(html).not.toMatch(new RegExp(`${room.name}<span[^>]*>Yours`));
  });

  it("takes a waiting patient to another suitable room, and refuses a room that is taken, booked, unsuitable or elsewhere", async () => {
    const { id, room, location, patient } = await visitNow();
    const [visit] = await app.db.select().from(appointments).where(eq(appointments.id, id));
    const [service] = await app.db.select().from(services).where(eq(services.id, visit.serviceId));
    const all = await app.db.select().from(rooms).where(eq(rooms.locationId, location.id));
    const suitable = all.filter((r) => r.id !== room.id && r.active && (!service.roomType || r.roomType === service.roomType));
    expect(suitable.length).toBeGreaterThanOrEqual(1);
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    await desk.post(`/appointments/${id}`, { intent: "status", to: "checked_in", confirmEarly: "1" });
    const toRoom = (roomId: string) => desk.post(`/appointments/${id}`, { intent: "status", to: "in_room", roomId, redirectTo: "/board" });
    const status = async () => (await app.db.select({ status: appointments.status, roomId: appointments.roomId }).from(appointments).where(eq(appointments.id, id)))[0];

    // The desk's board offers the choice for the waiting patient; a privacy screen doesn't.
    expect(await (await desk.get("/board")).text()).toContain(`id="room-for-${id}"`);
    expect(await (await desk.get("/board?privacy=1")).text()).not.toContain(`id="room-for-${id}"`);
    // A provider may room their own patients only.
    const own = new Client(app.url);
    await own.signIn(ROLE_EMAILS.provider);
    expect(await (await own.get("/board")).text()).toContain(`id="room-for-${id}"`);
    const colleague = new Client(app.url);
    await colleague.signIn("provider3@lumen.example");
    expect(await (await colleague.get("/board")).text()).not.toContain(`id="room-for-${id}"`);

    // Refusals change nothing.
    const [elsewhere] = await app.db.select().from(rooms).where(and(eq(rooms.organizationId, location.organizationId), sql`${rooms.locationId} <> ${location.id}`)).limit(1);
    expect((await toRoom(elsewhere.id)).status).toBe(409);
    const unsuitable = all.find((r) => r.id !== room.id && service.roomType && r.roomType !== service.roomType);
    if (unsuitable) {
      const refused = await toRoom(unsuitable.id);
      expect(refused.status).toBe(409);
      expect((await refused.text()).replace(/<!-- -->/g, "")).toContain(`${unsuitable.name} isn't a ${service.roomType} room`);
    }
    const [other] = suitable;
    // Another provider's visit is booked in that room before this one ends (the same provider can't
    // be booked twice: the database refuses it).
    const later = new Date(visit.startsAt.getTime() + 10 * 60_000);
    const otherVisit = crypto.randomUUID();
    const [colleagueUser] = await app.db.select().from(users).where(eq(users.email, "provider2@lumen.example"));
    await app.db.insert(appointments).values({ ...visit, id: otherVisit, roomId: other.id, providerId: colleagueUser.id, startsAt: later, endsAt: new Date(later.getTime() + 30 * 60_000), blockStart: later, blockEnd: new Date(later.getTime() + 30 * 60_000), status: "confirmed", createdAt: new Date() });
    const booked = await toRoom(other.id);
    expect(booked.status).toBe(409);
    expect((await booked.text()).replace(/<!-- -->/g, "")).toContain(`${other.name} is booked for another visit before this one ends`);
    await app.db.delete(appointments).where(eq(appointments.id, otherVisit));
    // Someone is in it on the floor.
    await app.db.insert(roomStates).values({ roomId: other.id, organizationId: location.organizationId, locationId: location.id, state: "occupied", appointmentId: null, since: new Date() });
    expect((await toRoom(other.id)).status).toBe(409);
    expect((await desk.post(`/appointments/${id}`, { intent: "status", to: "confirmed", roomId: other.id })).status).toBe(400);
    expect(await status()).toEqual({ status: "checked_in", roomId: room.id });

    // Once it's turned over and ready, it can be chosen: the visit moves there, the booked room stays free.
    await app.db.delete(roomStates).where(eq(roomStates.roomId, other.id));
    const moved = await toRoom(other.id);
    expect(moved.status).toBe(302);
    expect(moved.headers.get("location")).toBe("/board");
    expect(await status()).toEqual({ status: "in_room", roomId: other.id });
    const floor = await app.db.select().from(roomStates).where(eq(roomStates.locationId, location.id));
    expect(floor.map((f) => [f.roomId, f.state, f.appointmentId])).toEqual([[other.id, "occupied", id]]);
    const html = (await (await desk.get("/board")).text()).replace(/<!-- -->/g, "");
    expect(html).toMatch(new RegExp(`${other.name}</p><p>Occupied.*${patient.firstName} ${patient.lastName}`));
  });

  it("applies a tablet's replayed status change once, even when the replays race, and never over a later change", async () => {
    const provider = new Client(app.url);
    await provider.signIn(ROLE_EMAILS.provider);
    const [me] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const key = crypto.randomUUID();
    const replays = await Promise.all([1, 2, 3].map(() => provider.post("/board", { intent: "my-status", state: "on_break", idempotencyKey: key })));
    expect(replays.map((r) => r.status)).toEqual([302, 302, 302]);
    const { auditEvents, providerStates } = await import("../../db/schema");
    expect(await app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "provider.on_break"), eq(auditEvents.actorUserId, me.id)))).toHaveLength(1);
    // A later change, then the old change arrives once more: it is not applied again.
    await provider.post("/board", { intent: "my-status", state: "available" });
    expect((await provider.post("/board", { intent: "my-status", state: "on_break", idempotencyKey: key })).status).toBe(302);
    expect((await app.db.select().from(providerStates).where(eq(providerStates.userId, me.id)))[0].state).toBe("available");
    expect((await provider.post("/board", { intent: "my-status", state: "on_break", idempotencyKey: "not a key!" })).status).toBe(400);
  });
});
