import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deskBookingFields } from "../helpers/booking-fixtures";
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
    const cookie = await worker.signIn(ROLE_EMAILS.front_desk);
    const { fields, otherPatientIds } = await deskBookingFields("09:00", 6);
    const booked = await worker.post("/schedule/new", fields, cookie);
    expect(booked.status).toBe(302);
    const path = booked.headers.get("location")!;
    expect(path).toMatch(/^\/appointments\//);
    const checkIn = await worker.post(path, { intent: "status", to: "checked_in", confirmEarly: "1" }, cookie);
    expect(checkIn.status).toBe(302);
    expect(await (await send(path, { headers: { cookie } })).text()).toContain("Checked in");
    // Ten desks (isolate-style concurrent requests) race for one slot: one booked, nine told it was taken.
    const race = await Promise.all(otherPatientIds.slice(0, 10).map((patientId) => worker.post("/schedule/new", { ...fields, patientId, time: "11:00" }, cookie)));
    const statuses = race.map((r) => r.status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
  }, 60_000);

  it("books one of twelve requests for one slot raced through three isolates on one database (the guarded batch decides), with no 500", async () => {
    // Two more Workers (their own isolates, their own in-isolate write queues) on this one's database.
    const others = [await startWorker(TEMPLATE_DB, {}, { shareWith: worker }), await startWorker(TEMPLATE_DB, {}, { shareWith: worker })];
    try {
      const isolates = [worker, ...others];
      const cookies = await Promise.all(isolates.map((w) => w.signIn(ROLE_EMAILS.front_desk)));
      const { fields, otherPatientIds } = await deskBookingFields("14:00", 7);
      const race = await Promise.all(otherPatientIds.slice(0, 12).map((patientId, i) => isolates[i % 3].post("/schedule/new", { ...fields, patientId }, cookies[i % 3])));
      const statuses = race.map((r) => r.status);
      expect(statuses.filter((s) => s === 302)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(11);
      const booked = await worker.sql(`select count(*) from appointments where starts_at = (select starts_at from appointments order by created_at desc limit 1) and status = 'confirmed'`);
      expect(booked).toBe("1");
    } finally {
      for (const other of others) await other.close();
    }
  }, 60_000);

  it("searches patients by a posted form whose results page carries the search sealed", async () => {
    const cookie = await worker.signIn(ROLE_EMAILS.front_desk);
    const searched = await worker.post("/patients", { q: "Avery" }, cookie);
    expect(searched.status).toBe(303);
    const results = searched.headers.get("location")!;
    expect(results).toMatch(/^\/patients\?s=[\w-]+$/);
    expect(await (await send(results, { headers: { cookie } })).text()).toContain("Avery");
  });

  it("serves built assets", async () => {
    const html = await (await send("/login")).text();
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(html)![1];
    expect((await send(css)).status).toBe(200);
  });
});
