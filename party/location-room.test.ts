import type * as Party from "partykit/server";
import { describe, expect, it } from "vitest";
import { buildSnapshot, type BoardInput, type BoardSnapshot } from "../app/board/snapshot";
import LocationRoom, { type ServerMessage } from "./location-room";
import { signRoomToken } from "./room-token";

const SECRET = "party-secret";
const now = Date.UTC(2026, 11, 2, 15, 0);

/** A stand-in for PartyKit's room: storage, connections and env, in memory. */
function fakeRoom(id = "loc-a") {
  const store = new Map<string, unknown>();
  const connections: FakeConnection[] = [];
  const room = {
    id,
    env: { PARTY_SECRET: SECRET },
    storage: { get: async (k: string) => structuredClone(store.get(k)), put: async (k: string, v: unknown) => void store.set(k, structuredClone(v)) },
    getConnections: () => connections.values(),
  };
  return { room: room as unknown as Party.Room, connections };
}

class FakeConnection {
  state: { privacy: boolean } | null = null;
  received: ServerMessage[] = [];
  setState(state: { privacy: boolean }) {
    this.state = state;
  }
  send(data: string) {
    this.received.push(JSON.parse(data));
  }
}

const snapshot = (over: Partial<BoardInput> = {}): BoardSnapshot =>
  buildSnapshot({ locationId: "loc-a", timeZone: "America/New_York", now, dataVersion: 10, rooms: [{ id: "r1", name: "Room 1" }], roomStates: [], providers: [{ id: "p1", name: "Dr One", working: [] }], providerStates: [], appointments: [{ id: "a1", status: "checked_in", startsAt: now, endsAt: now + 1800_000, providerId: "p1", roomId: "r1", firstName: "Jordan", lastName: "Avery", service: "Botox", checkedInAt: now }], ...over });
const post = (body: unknown, auth = `Bearer ${SECRET}`) => new Request("http://party/parties/main/loc-a", { method: "POST", headers: { authorization: auth }, body: JSON.stringify(body) }) as unknown as Party.Request;

async function connect(server: LocationRoom, connections: FakeConnection[], privacy = false) {
  const conn = new FakeConnection();
  connections.push(conn);
  const request = new Request("http://party/", { headers: { "x-board-privacy": privacy ? "1" : "0" } });
  await server.onConnect(conn as unknown as Party.Connection<{ privacy: boolean }>, { request } as unknown as Party.ConnectionContext);
  return conn;
}

describe("the location room", () => {
  it("accepts snapshots only with the shared secret and for its own location", async () => {
    const { room } = fakeRoom();
    const server = new LocationRoom(room);
    expect((await server.onRequest(post({ type: "snapshot", snapshot: snapshot() }, "Bearer wrong"))).status).toBe(401);
    expect((await server.onRequest(post({ type: "snapshot", snapshot: { ...snapshot(), locationId: "loc-b" } }))).status).toBe(400);
    expect((await server.onRequest(post({ type: "snapshot", snapshot: snapshot() }))).status).toBe(204);
  });

  it("gives a joining client the snapshot, then broadcasts versioned patches; privacy screens get initials", async () => {
    const { room, connections } = fakeRoom();
    const server = new LocationRoom(room);
    await server.onRequest(post({ type: "snapshot", snapshot: snapshot() }));
    const desk = await connect(server, connections);
    const lobby = await connect(server, connections, true);
    expect(desk.received[0]).toMatchObject({ type: "snapshot", version: 1 });
    expect(JSON.stringify(lobby.received[0])).not.toContain("Jordan");

    const next = snapshot({ roomStates: [{ roomId: "r1", state: "occupied", appointmentId: "a1", since: now }], appointments: [{ id: "a1", status: "in_room", startsAt: now, endsAt: now + 1800_000, providerId: "p1", roomId: "r1", firstName: "Jordan", lastName: "Avery", service: "Botox", checkedInAt: now }] });
    await server.onRequest(post({ type: "snapshot", snapshot: next }));
    const patch = desk.received[1];
    expect(patch).toMatchObject({ type: "patch", version: 2, base: 1 });
    expect(JSON.stringify(patch)).toContain("Jordan Avery");
    expect(JSON.stringify(patch).length).toBeLessThan(JSON.stringify(next).length);
    expect(JSON.stringify(lobby.received[1])).not.toContain("Jordan");
    expect(JSON.stringify(lobby.received[1])).toContain("J.A.");

    // Nothing visible changed: nothing sent.
    await server.onRequest(post({ type: "snapshot", snapshot: { ...next, generatedAt: now + 1 } }));
    expect(desk.received).toHaveLength(2);
    // A client that missed something asks again.
    await server.onMessage("sync", desk as unknown as Party.Connection<{ privacy: boolean }>);
    expect(desk.received[2]).toMatchObject({ type: "snapshot", version: 2 });
  });

  it("ignores a publish that raced a newer one and arrived last, and follows a database that went back", async () => {
    const { room, connections } = fakeRoom();
    const server = new LocationRoom(room);
    await server.onRequest(post({ type: "snapshot", snapshot: snapshot() }));
    const desk = await connect(server, connections);
    const newer = { ...snapshot({ providerStates: [{ userId: "p1", state: "on_break", since: now }] }), dataVersion: 12 };
    const older = { ...snapshot({ providerStates: [{ userId: "p1", state: "documenting", since: now }] }), dataVersion: 11, generatedAt: now - 5 };
    await server.onRequest(post({ type: "snapshot", snapshot: newer }));
    expect((await server.onRequest(post({ type: "snapshot", snapshot: older }))).status).toBe(204);
    expect(desk.received).toHaveLength(2);
    await server.onMessage("sync", desk as unknown as Party.Connection<{ privacy: boolean }>);
    expect(desk.received[2]).toMatchObject({ type: "snapshot", snapshot: { dataVersion: 12, providers: [{ state: "on_break" }] } });
    // Restored from a backup a minute later: versions went back, and the database is the truth.
    const restored = { ...snapshot({ providerStates: [{ userId: "p1", state: "documenting", since: now }] }), dataVersion: 3, generatedAt: now + 60_000 };
    await server.onRequest(post({ type: "snapshot", snapshot: restored }));
    expect(desk.received[3]).toMatchObject({ type: "patch", patch: { dataVersion: 3, providers: [{ state: "documenting" }] } });
  });

  it("lets in only a valid token for this very location, and never a patient", async () => {
    const { room } = fakeRoom();
    const lobby = { id: "loc-a", env: room.env } as unknown as Party.Lobby;
    const token = (over: object) => signRoomToken({ userId: "u", organizationId: "o", locationId: "loc-a", role: "front_desk", exp: Math.floor(Date.now() / 1000) + 60, ...over }, SECRET);
    const request = async (t: string) => (await LocationRoom.onBeforeConnect(new Request(`http://party/?token=${t}`) as unknown as Party.Request, lobby)) as Response | Party.Request;
    expect(await request(await token({}))).not.toBeInstanceOf(Response);
    expect(((await request(await token({ locationId: "loc-b" }))) as Response).status).toBe(401);
    expect(((await request(await token({ role: "patient" }))) as Response).status).toBe(401);
    expect(((await request(await token({ exp: 1 }))) as Response).status).toBe(401);
    expect(((await request("garbage")) as Response).status).toBe(401);
  });
});
