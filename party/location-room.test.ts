import type * as Party from "partykit/server";
import { beforeAll, describe, expect, it } from "vitest";
import { buildSnapshot, type BoardInput, type BoardSnapshot } from "../app/board/snapshot";
import LocationRoom, { CLOSE, RATE, type ConnectionState, type ServerMessage } from "./location-room";
import { roomSecrets, signRoomToken } from "./room-token";

const SHARED = "party-secret";
let PUBLISH = "";
let TOKEN = "";
beforeAll(async () => {
  ({ publish: PUBLISH, token: TOKEN } = await roomSecrets(SHARED));
});
const now = Date.UTC(2026, 11, 2, 15, 0);

/** A stand-in for PartyKit's room: storage, connections and env, in memory. */
function fakeRoom(id = "loc-a") {
  const store = new Map<string, unknown>();
  const connections: FakeConnection[] = [];
  const room = {
    id,
    env: { PARTY_SECRET: SHARED },
    alarm: null as number | null,
    storage: {
      get: async (k: string) => structuredClone(store.get(k)),
      put: async (k: string, v: unknown) => void store.set(k, structuredClone(v)),
      getAlarm: async () => room.alarm,
      setAlarm: async (t: number) => void (room.alarm = t),
    },
    getConnections: () => connections.values(),
  };
  return { room: room as unknown as Party.Room, connections, alarm: () => room.alarm };
}

class FakeConnection {
  state: ConnectionState | null = null;
  received: ServerMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  setState(state: ConnectionState) {
    this.state = state;
  }
  send(data: string) {
    if (this.closed) throw new Error("sent on a closed socket");
    this.received.push(JSON.parse(data));
  }
  close(code: number, reason: string) {
    this.closed = { code, reason };
  }
}

const snapshot = (over: Partial<BoardInput> = {}): BoardSnapshot =>
  buildSnapshot({ locationId: "loc-a", timeZone: "America/New_York", now, dataVersion: 10, rooms: [{ id: "r1", name: "Room 1" }], roomStates: [], providers: [{ id: "p1", name: "Dr One", working: [] }], providerStates: [], appointments: [{ id: "a1", status: "checked_in", startsAt: now, endsAt: now + 1800_000, providerId: "p1", roomId: "r1", firstName: "Jordan", lastName: "Avery", service: "Botox", checkedInAt: now }], ...over });
const post = (body: unknown, auth = `Bearer ${PUBLISH}`) => new Request("http://party/parties/main/loc-a", { method: "POST", headers: { authorization: auth }, body: JSON.stringify(body) }) as unknown as Party.Request;

async function connect(server: LocationRoom, connections: FakeConnection[], privacy = false, over: Partial<ConnectionState> = {}) {
  const conn = new FakeConnection();
  connections.push(conn);
  const claims = { privacy, userId: "u1", sessionTag: "tag-1", exp: Date.now() + 60_000, ...over };
  const request = new Request("http://party/", { headers: { "x-board-claims": JSON.stringify(claims) } });
  await server.onConnect(conn as unknown as Party.Connection<ConnectionState>, { request } as unknown as Party.ConnectionContext);
  return conn;
}
const asConnection = (c: FakeConnection) => c as unknown as Party.Connection<ConnectionState>;

describe("the location room", () => {
  it("accepts snapshots only with the publish key (not the shared secret, not the token key) and for its own location", async () => {
    const { room } = fakeRoom();
    const server = new LocationRoom(room);
    for (const wrong of ["Bearer wrong", `Bearer ${SHARED}`, `Bearer ${TOKEN}`, "", PUBLISH]) expect((await server.onRequest(post({ type: "snapshot", snapshot: snapshot() }, wrong))).status).toBe(401);
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
    await server.onMessage("sync", asConnection(desk));
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
    await server.onMessage("sync", asConnection(desk));
    expect(desk.received[2]).toMatchObject({ type: "snapshot", snapshot: { dataVersion: 12, providers: [{ state: "on_break" }] } });
    // Restored from a backup a minute later: versions went back, and the database is the truth.
    const restored = { ...snapshot({ providerStates: [{ userId: "p1", state: "documenting", since: now }] }), dataVersion: 3, generatedAt: now + 60_000 };
    await server.onRequest(post({ type: "snapshot", snapshot: restored }));
    expect(desk.received[3]).toMatchObject({ type: "patch", patch: { dataVersion: 3, providers: [{ state: "documenting" }] } });
  });

  it("lets in only a valid token for this very location, and never a patient", async () => {
    const { room } = fakeRoom();
    const lobby = { id: "loc-a", env: room.env } as unknown as Party.Lobby;
    const token = (over: object, key = TOKEN) => signRoomToken({ userId: "u", sid: "tag", organizationId: "o", locationId: "loc-a", role: "front_desk", exp: Math.floor(Date.now() / 1000) + 60, ...over }, key);
    const request = async (t: string) => (await LocationRoom.onBeforeConnect(new Request(`http://party/?token=${t}`) as unknown as Party.Request, lobby)) as Response | Party.Request;
    expect(await request(await token({}))).not.toBeInstanceOf(Response);
    expect(((await request(await token({ locationId: "loc-b" }))) as Response).status).toBe(401);
    expect(((await request(await token({ role: "patient" }))) as Response).status).toBe(401);
    expect(((await request(await token({ exp: 1 }))) as Response).status).toBe(401);
    expect(((await request("garbage")) as Response).status).toBe(401);
    // Signed with the shared secret itself, or the publish key: not a token.
    expect(((await request(await token({}, SHARED))) as Response).status).toBe(401);
    expect(((await request(await token({}, PUBLISH))) as Response).status).toBe(401);
    // The privacy the app signed travels to the connection; the client can't change it.
    const admitted = (await request(await token({ privacy: true }))) as Party.Request;
    expect(JSON.parse(admitted.headers.get("x-board-claims")!)).toMatchObject({ privacy: true, userId: "u", sessionTag: "tag" });
  });

  it("closes a connection when its token expires, at the alarm or before the next message reaches it", async () => {
    const { room, connections, alarm } = fakeRoom();
    const server = new LocationRoom(room);
    await server.onRequest(post({ type: "snapshot", snapshot: snapshot() }));
    const soon = await connect(server, connections, false, { exp: Date.now() + 50 });
    const later = await connect(server, connections, false, { exp: Date.now() + 60_000 });
    expect(alarm()).toBe(soon.state!.exp);
    await new Promise((r) => setTimeout(r, 60));
    await server.onAlarm();
    expect(soon.closed?.code).toBe(CLOSE.expired);
    expect(later.closed).toBeNull();
    expect(alarm()).toBe(later.state!.exp);
    // An expired socket never receives another update.
    const third = await connect(server, connections, false, { exp: Date.now() + 30 });
    await new Promise((r) => setTimeout(r, 40));
    await server.onRequest(post({ type: "snapshot", snapshot: snapshot({ providerStates: [{ userId: "p1", state: "on_break", since: now }] }) }));
    expect(third.closed?.code).toBe(CLOSE.expired);
    expect(third.received).toHaveLength(1);
    expect(later.received).toHaveLength(2);
  });

  it("drops the sockets of a session or a user the app says has ended", async () => {
    const { room, connections } = fakeRoom();
    const server = new LocationRoom(room);
    await server.onRequest(post({ type: "snapshot", snapshot: snapshot() }));
    const a = await connect(server, connections, false, { userId: "u1", sessionTag: "s1" });
    const b = await connect(server, connections, false, { userId: "u1", sessionTag: "s2" });
    const c = await connect(server, connections, false, { userId: "u2", sessionTag: "s3" });
    expect((await server.onRequest(post({ type: "revoke", sessionTag: "s1" }, "Bearer nope"))).status).toBe(401);
    expect(await (await server.onRequest(post({ type: "revoke", sessionTag: "s1" }))).json()).toEqual({ closed: 1 });
    expect([a.closed?.code, b.closed, c.closed]).toEqual([CLOSE.revoked, null, null]);
    expect(await (await server.onRequest(post({ type: "revoke", userId: "u1" }))).json()).toEqual({ closed: 2 });
    expect(b.closed?.code).toBe(CLOSE.revoked);
    expect(c.closed).toBeNull();
  });

  it("limits how often one connection may ask for the snapshot", async () => {
    const { room, connections } = fakeRoom();
    const server = new LocationRoom(room);
    await server.onRequest(post({ type: "snapshot", snapshot: snapshot() }));
    const noisy = await connect(server, connections);
    for (let i = 0; i < RATE.messages * 2; i++) await server.onMessage("sync", asConnection(noisy));
    // The first snapshot on connect, then only RATE.messages answers.
    expect(noisy.received).toHaveLength(1 + RATE.messages);
    expect(noisy.closed).toBeNull();
    for (let i = 0; i <= RATE.messages; i++) await server.onMessage("sync", asConnection(noisy));
    expect(noisy.closed?.code).toBe(CLOSE.rateLimited);
  });
});
