import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, ROLE_EMAILS } from "../helpers/test-app";
import { createHranaHandler } from "../helpers/hrana";
import { ROOT, TEMPLATE_DB, TMP } from "../setup/paths";

/**
 * The built Worker bundle in workerd (miniflare), with its database reached over the
 * libSQL HTTP protocol (Hrana v2) served by a test harness over a fresh database copy.
 */
const BUNDLE = `${ROOT}/dist/worker/worker.js`;
// The Worker sees the Host miniflare listens on; Remix checks Origin against it, as a browser would send.
let ORIGIN = "";
let mf: Miniflare;
let hrana: ReturnType<typeof createHranaHandler>;
let dbFile: string;

beforeAll(async () => {
  if (!existsSync(BUNDLE)) throw new Error("Run `npm run build:worker` first (npm test does).");
  mkdirSync(`${TMP}/dbs`, { recursive: true });
  dbFile = `${TMP}/dbs/worker-${randomUUID()}.db`;
  copyFileSync(TEMPLATE_DB, dbFile);
  hrana = createHranaHandler(dbFile);
  mf = new Miniflare({
    modules: [{ type: "ESModule", path: BUNDLE }],
    compatibilityDate: "2025-09-01",
    compatibilityFlags: ["nodejs_compat"],
    assets: { directory: `${ROOT}/build/worker/client`, binding: "ASSETS", routerConfig: { has_user_worker: true } },
    r2Buckets: ["FILES"],
    bindings: { TURSO_DATABASE_URL: "http://turso.test", SESSION_SECRET: "worker-secret-worker-secret-worker-01234", NODE_ENV: "production", LOG_LEVEL: "silent" },
    // Every outbound fetch of the Worker (only the database here) goes to the harness.
    outboundService: (request) => hrana.fetch(new Request(request.url, { method: request.method, headers: request.headers, body: request.body, duplex: "half" } as RequestInit)) as never,
    cf: false,
  });
  ORIGIN = (await mf.ready).origin;
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  hrana?.close();
  for (const s of ["", "-wal", "-shm"]) rmSync(dbFile + s, { force: true });
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
    expect(res.headers.get("strict-transport-security")).toContain("max-age");
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
    expect(cookie).toMatch(/atrium_session=.*HttpOnly.*Secure/i);
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

  it("serves built assets", async () => {
    const html = await (await send("/login")).text();
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(html)![1];
    expect((await send(css)).status).toBe(200);
  });
});
