// Finding 8 (double booking across processes), issue 9: two server processes on one database
// file race 20 bookings of one slot; the database itself lets exactly one through.
import { spawn, type ChildProcess } from "node:child_process";
import { and, eq, like } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appointments, patients, rooms, services, users } from "../../../db/schema";
import { ROOT } from "../../setup/paths";
import { parseEnv } from "../../../app/lib/env.server";
import { exclusiveWrite, TimeTakenError } from "../../../app/lib/exclusive-write.server";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../../helpers/test-app";

let app: TestApp;
let child: ChildProcess;
let secondUrl: string;

beforeEach(async () => {
  app = await startTestApp();
  child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/server-process.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${app.dbFile}`, SESSION_SECRET: "test-secret-test-secret-test-secret-0123", APP_ORIGIN: app.origin },
    stdio: ["ignore", "pipe", "inherit"],
  });
  secondUrl = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`second server exited with ${code}`)));
  });
}, 30_000);
afterEach(async () => {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  await app.close();
});

/** The database's reason for refusing a write (drizzle wraps the driver's error as its cause). */
async function refusal(write: PromiseLike<unknown>) {
  try {
    await write;
    return "accepted";
  } catch (error) {
    return `${(error as Error).message} ${((error as { cause?: Error }).cause)?.message ?? ""}`;
  }
}

describe("8. no double booking across processes", () => {
  it("is refused by the database itself: a write that skipped the check can't overlap a provider's or a room's booking", async () => {
    const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const [patient] = await app.db.select().from(patients).limit(1);
    const [service] = await app.db.select().from(services).where(eq(services.organizationId, patient.organizationId)).limit(1);
    const [room] = await app.db.select().from(rooms).where(eq(rooms.organizationId, patient.organizationId)).limit(1);
    const start = new Date(Date.UTC(2030, 0, 7, 15));
    const end = new Date(start.getTime() + 30 * 60_000);
    const existing = { id: crypto.randomUUID(), organizationId: patient.organizationId, locationId: room.locationId, patientId: patient.id, providerId: provider.id, serviceId: service.id, roomId: room.id, status: "confirmed" as const, startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 100, createdAt: new Date() };
    await app.db.insert(appointments).values(existing);
    const copy = { ...existing, id: crypto.randomUUID() };
    // Same provider, overlapping by five minutes (what a second process that checked too early would write).
    const later = { startsAt: new Date(existing.startsAt.getTime() + 5 * 60_000), endsAt: new Date(existing.endsAt.getTime() + 5 * 60_000), blockStart: new Date(existing.blockStart.getTime() + 5 * 60_000), blockEnd: new Date(existing.blockEnd.getTime() + 5 * 60_000) };
    expect(await refusal(app.db.insert(appointments).values({ ...copy, ...later, roomId: null }))).toContain("atrium_provider_overlap");
    // Another provider in the same room at the same time.
    const [other] = await app.db.select().from(users).where(like(users.email, "provider2@%"));
    expect(await refusal(app.db.insert(appointments).values({ ...copy, providerId: other.id }))).toContain("atrium_room_overlap");
    // Moving another visit onto it is refused too; a cancelled copy, or one right after, is fine.
    await app.db.insert(appointments).values({ ...copy, id: crypto.randomUUID(), roomId: null, status: "cancelled" });
    const after = { startsAt: existing.blockEnd, endsAt: new Date(existing.blockEnd.getTime() + 30 * 60_000), blockStart: existing.blockEnd, blockEnd: new Date(existing.blockEnd.getTime() + 30 * 60_000) };
    const nextId = crypto.randomUUID();
    await app.db.insert(appointments).values({ ...copy, ...after, id: nextId, roomId: null });
    expect(await refusal(app.db.update(appointments).set(later).where(eq(appointments.id, nextId)))).toContain("atrium_provider_overlap");
    // The app reads that refusal as "just taken" (answered 409), never as a server error.
    const ctx = { db: app.db, env: parseEnv({ DATABASE_URL: `file:${app.dbFile}`, SESSION_SECRET: "x".repeat(32) }), scheduleVersions: new Map<string, number>() };
    const taken = await exclusiveWrite(ctx, (db, commit) => commit([db.insert(appointments).values({ ...copy, id: crypto.randomUUID(), ...later, roomId: null })], { locations: [copy.locationId] })).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(TimeTakenError);
    expect((taken as TimeTakenError).what).toBe("provider");
  });


  it("books one of 20 requests for one slot raced through two server processes", async () => {
    const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const [portalUser] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.patient));
    const [patient] = await app.db.select().from(patients).where(eq(patients.userId, portalUser.id));
    const [service] = await app.db.select().from(services).where(and(eq(services.organizationId, patient.organizationId), like(services.name, "Neurotoxin%")));
    // Email consent makes each booking sign an unsubscribe link between its check and its write,
    // which widens the window a second process has to slip in.
    await app.db.update(patients).set({ emailConsent: true, email: "jordan@example.com" }).where(eq(patients.id, patient.id));
    let day = Temporal.Now.plainDateISO("America/New_York").add({ days: 5 });
    while (day.dayOfWeek > 5) day = day.add({ days: 1 });
    // Sessions live in the database, so one sign-in works on both servers.
    const signedIn = new Client(app.url);
    await signedIn.signIn(ROLE_EMAILS.front_desk);
    const desks = Array.from({ length: 20 }, (_, i) => {
      const c = new Client(i % 2 ? secondUrl : app.url);
      c.cookies = new Map(signedIn.cookies);
      return c;
    });
    const answers = await Promise.all(desks.map((c) => c.post("/schedule/new", { patientId: patient.id, serviceId: service.id, providerId: provider.id, date: day.toString(), time: "10:00", occurrences: "1", repeatWeeks: "1" })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const rows = await app.db.select().from(appointments).where(and(eq(appointments.providerId, provider.id), eq(appointments.status, "confirmed"), like(appointments.id, "%")));
    const atTen = rows.filter((r) => Temporal.Instant.fromEpochMilliseconds(r.startsAt.getTime()).toZonedDateTimeISO("America/New_York").toPlainDate().equals(day));
    expect(atTen).toHaveLength(1);
  }, 60_000);
});

