import { and, eq, like } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { patients, services, users } from "../../db/schema";
import { DEMO_PASSWORD, ROLE_EMAILS } from "../helpers/test-app";
import { startWorker } from "../helpers/worker-runtime";
import { TEMPLATE_DB } from "../setup/paths";

/**
 * The built Worker bundle in workerd (miniflare), with its database reached over the
 * libSQL HTTP protocol (Hrana v2) served by a test harness over a fresh database copy.
 */
let worker: Awaited<ReturnType<typeof startWorker>>;
let mf: Awaited<ReturnType<typeof startWorker>>["mf"];
let hrana: Awaited<ReturnType<typeof startWorker>>["hrana"];
// The Worker sees the Host miniflare listens on; Remix checks Origin against it, as a browser would send.
let ORIGIN = "";

beforeAll(async () => {
  worker = await startWorker(TEMPLATE_DB);
  ({ mf, hrana, origin: ORIGIN } = worker);
}, 60_000);

afterAll(async () => {
  await worker?.close();
});

async function send(path: string, init: RequestInit = {}) {
  return mf.dispatchFetch(`${ORIGIN}${path}`, { redirect: "manual", ...init } as never) as unknown as Promise<Response>;
}

describe("the Worker build", () => {
  it("serves the sign-in page with security headers", async () => {
    const res = await send("/login");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Sign in");
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-/);
  });

  it("signs in end to end against the database over HTTP", async () => {
    const before = hrana.requests;
    const login = await send("/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
      body: new URLSearchParams({ email: ROLE_EMAILS.front_desk, password: DEMO_PASSWORD }).toString(),
    });
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toBe("/today");
    const cookie = login.headers.get("set-cookie")!;
    expect(cookie).toMatch(/atrium_session=.*HttpOnly/i);
    const today = await send("/today", { headers: { cookie: cookie.split(";")[0] } });
    expect(today.status).toBe(200);
    const html = await today.text();
    expect(html).toContain("Good to see you");
    expect(html).toContain("Lumen Midtown");
    expect(hrana.requests).toBeGreaterThan(before);
  });

  it("refuses a wrong password and a cross-origin POST", async () => {
    const wrong = await send("/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN }, body: `email=${encodeURIComponent(ROLE_EMAILS.front_desk)}&password=nope-nope-nope` });
    expect(wrong.status).toBe(400);
    const cross = await send("/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" }, body: "email=a@b.c&password=x" });
    expect(cross.status).toBe(403);
  });

  it("writes on the Worker: a staff booking, a check-in, and one booking of ten racing for one slot", async () => {
    const { client, db } = openDatabase(`file:${TEMPLATE_DB}`);
    const [provider] = await db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const [portal] = await db.select().from(users).where(eq(users.email, ROLE_EMAILS.patient));
    const [patient] = await db.select().from(patients).where(eq(patients.userId, portal.id));
    const [service] = await db.select().from(services).where(and(eq(services.organizationId, patient.organizationId), like(services.name, "Neurotoxin%")));
    const others = await db.select({ id: patients.id }).from(patients).where(eq(patients.organizationId, patient.organizationId)).limit(12);
    client.close();
    const login = await send("/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN }, body: new URLSearchParams({ email: ROLE_EMAILS.front_desk, password: DEMO_PASSWORD }).toString() });
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    let day = Temporal.Now.plainDateISO("America/New_York").add({ days: 6 });
    while (day.dayOfWeek > 5) day = day.add({ days: 1 });
    const book = (patientId: string, time: string) => send("/schedule/new", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, cookie }, body: new URLSearchParams({ patientId, serviceId: service.id, providerId: provider.id, date: day.toString(), time, occurrences: "1", repeatWeeks: "1" }).toString() });
    const booked = await book(patient.id, "09:00");
    expect(booked.status).toBe(302);
    const path = booked.headers.get("location")!;
    expect(path).toMatch(/^\/appointments\//);
    const checkIn = await send(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, cookie }, body: "intent=status&to=checked_in" });
    expect(checkIn.status).toBe(302);
    expect(await (await send(path, { headers: { cookie } })).text()).toContain("Checked in");
    // Ten desks (isolate-style concurrent requests) race for one slot: one booked, nine told it was taken.
    const race = await Promise.all(others.slice(0, 10).map((p) => book(p.id, "11:00")));
    const statuses = race.map((r) => r.status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
  }, 60_000);

  it("serves built assets", async () => {
    const html = await (await send("/login")).text();
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(html)![1];
    expect((await send(css)).status).toBe(200);
  });
});
