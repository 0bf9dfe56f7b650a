// Finding 5 (the live board trusts a socket forever), issue 9, on the app's side: it tells the
// rooms when a session or a membership ends, refuses tokens to ended sessions, and decides privacy
// itself. (The room's side — expiry, revocation, rate limits, secrets — is in party/*.test.ts.)
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { locations, organizations, patients, users } from "../../../db/schema";
import { roomSecrets, sessionTag, verifyRoomToken } from "../../../party/room-token";
import { fakeApi } from "../../helpers/fake-http";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../../helpers/test-app";

let app: TestApp;
let party: Awaited<ReturnType<typeof fakeApi>>;
const SHARED = "party-secret-for-tests";
beforeEach(async () => {
  party = await fakeApi(() => ({ status: 200, body: { closed: 1 } }));
  app = await startTestApp({ PARTY_URL: party.url, PARTY_SECRET: SHARED });
});
afterEach(async () => {
  await app.close();
  await party.close();
});

const revokes = () => party.requests.map((r) => ({ url: r.url, auth: r.headers.authorization, body: JSON.parse(r.body) as { type: string; userId?: string; sessionTag?: string } })).filter((r) => r.body.type === "revoke");
const settle = () => new Promise((r) => setTimeout(r, 100));
const lumenLocations = async () => {
  const [org] = await app.db.select().from(organizations).where(eq(organizations.slug, "lumen"));
  return (await app.db.select({ id: locations.id }).from(locations).where(eq(locations.organizationId, org.id))).map((l) => `/parties/main/${l.id}`).sort();
};

describe("5. board sockets end with the session", () => {
  it("tells every room of the organization when a session signs out, and refuses it a new token", async () => {
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const token = (await (await desk.get("/board/token")).json()) as { token: string };
    const claims = await verifyRoomToken(token.token, (await roomSecrets(SHARED)).token, Date.now());
    expect(claims!.sid).toHaveLength(22);
    expect((await desk.post("/logout", {})).status).toBe(302);
    await settle();
    const sent = revokes();
    expect(sent.map((r) => r.url).sort()).toEqual(await lumenLocations());
    const { publish } = await roomSecrets(SHARED);
    expect(sent.every((r) => r.body.sessionTag === claims!.sid && r.auth === `Bearer ${publish}`)).toBe(true);
    // The socket's next token request is told the session is over (it then stops, saying so).
    const again = await desk.get("/board/token");
    expect(again.status).toBe(401);
  });

  it("drops every socket of a user whose membership is disabled or who signs out everywhere", async () => {
    const [desk] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.front_desk));
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    expect((await manager.post(`/settings/staff/${desk.id}`, { intent: "disable" })).status).toBe(200);
    await settle();
    expect(revokes().filter((r) => r.body.userId === desk.id).map((r) => r.url).sort()).toEqual(await lumenLocations());
    const provider = new Client(app.url);
    await provider.signIn(ROLE_EMAILS.provider);
    party.requests.length = 0;
    await provider.post("/logout", { scope: "everywhere" });
    await settle();
    const [p] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    expect(revokes().filter((r) => r.body.userId === p.id)).not.toHaveLength(0);
  });

  it("signs with the session tag of the session, not its id (a credential)", async () => {
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const cookie = desk.cookies.get("atrium_session")!;
    const sessionId = decodeURIComponent(cookie).split(".")[0].replace(/^"|"$/g, "");
    const token = (await (await desk.get("/board/token")).json()) as { token: string };
    expect(token.token).not.toContain(sessionId);
    const payload = Buffer.from(token.token.split(".")[0], "base64url").toString();
    expect(payload).not.toContain(sessionId.slice(0, 12));
    expect(typeof (await sessionTag("x"))).toBe("string");
  });
});

describe("5. privacy is the server's decision", () => {
  it("keeps a screen locked to initials: tokens, pages and data, with no way back but signing in again", async () => {
    const [org] = await app.db.select().from(organizations).where(eq(organizations.slug, "lumen"));
    const [patient] = await app.db.select().from(patients).where(eq(patients.organizationId, org.id)).limit(1);
    const screen = new Client(app.url);
    await screen.signIn(ROLE_EMAILS.front_desk);
    const preview = await (await screen.get("/board?privacy=1")).text();
    expect(preview).toContain("Keep this screen private");
    expect((await screen.post("/board", { intent: "privacy-screen" })).headers.get("location")).toBe("/board");
    const board = await (await screen.get("/board")).text();
    expect(board).not.toContain("Privacy mode");
    expect(board).not.toContain("Show names");
    expect(board).not.toContain("Keep this screen private");
    const token = (await (await screen.get("/board/token")).json()) as { token: string };
    expect(await verifyRoomToken(token.token, (await roomSecrets(SHARED)).token, Date.now())).toMatchObject({ privacy: true });
    // Nothing else of the app opens from this screen, and it changes nothing on the floor.
    for (const path of ["/today", "/schedule", "/patients", `/patients/${patient.id}`, "/waitlist"]) expect((await screen.get(path)).headers.get("location")).toBe("/board");
    expect((await screen.post("/board", { intent: "room-turnover", roomId: "x" })).status).toBe(403);
    // Signing in again is the way out.
    await screen.post("/logout", {});
    await screen.signIn(ROLE_EMAILS.front_desk);
    expect((await screen.get("/today")).status).toBe(200);
  });
});
