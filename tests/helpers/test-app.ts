import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { generateTotp } from "../../app/auth/totp.server";
import { parseEnv } from "../../app/lib/env.server";
import { openDatabase } from "../../db/client";
import { DEMO_PASSWORD, TEST_TOTP_SECRET } from "../../db/seed/generate";
import { startNodeServer } from "../../workers/node-server";
import type { AppContext } from "../../app/lib/context.server";
import type { Db } from "../../app/lib/db.server";
import { createLogger } from "../../app/lib/logger.server";
import { createSharpThumbnailer } from "../../app/lib/sharp-thumbnails.server";
import { TEMPLATE_DB, TMP } from "../setup/paths";

export { DEMO_PASSWORD, TEST_TOTP_SECRET };

/** A fresh copy of the seeded template database, and the real Node server on a free port. */
export async function startTestApp(overrides: Record<string, string> = {}) {
  mkdirSync(`${TMP}/dbs`, { recursive: true });
  const dbFile = `${TMP}/dbs/${randomUUID()}.db`;
  copyFileSync(TEMPLATE_DB, dbFile);
  const env = parseEnv({ NODE_ENV: "test", DATABASE_URL: `file:${dbFile}`, SESSION_SECRET: "test-secret-test-secret-test-secret-0123", LOG_LEVEL: "silent", FILES_DIR: `${TMP}/files`, ...overrides });
  const app = await startNodeServer({ env, port: 0 });
  const { client, db } = openDatabase(`file:${dbFile}`);
  return {
    url: app.url,
    /** The public origin links are built from (http://localhost:PORT unless APP_ORIGIN is given). */
    origin: app.services.env.APP_ORIGIN!,
    db,
    client,
    dbFile,
    async close() {
      client.close();
      await app.close();
      for (const s of ["", "-wal", "-shm"]) rmSync(dbFile + s, { force: true });
    },
  };
}
export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** A browser-like HTTP client: keeps cookies, sends a same-site Origin on POSTs, never follows redirects. */
export class Client {
  cookies = new Map<string, string>();
  constructor(readonly baseUrl: string, readonly ip = "127.0.0.1") {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(path: string, init: RequestInit & { origin?: string | null } = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", this.cookieHeader());
    if (init.method && init.method !== "GET" && init.origin !== null) headers.set("origin", init.origin ?? this.baseUrl);
    const res = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (/max-age=0/i.test(c) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(path: string) {
    return this.request(path);
  }

  post(path: string, fields: Record<string, string | string[]>, init: RequestInit & { origin?: string | null } = {}) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    return this.request(path, { ...init, method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", ...(init.headers as Record<string, string>) } });
  }

  /** Signs in; accounts pre-enrolled in MFA (owners and managers in the test seed) answer the TOTP too. */
  async signIn(email: string, password = DEMO_PASSWORD, { at = Date.now() }: { at?: number } = {}) {
    const res = await this.post("/login", { email, password });
    if (res.status !== 302) throw new Error(`sign-in for ${email} answered ${res.status}`);
    let location = res.headers.get("location") ?? "";
    if (location.startsWith("/login/mfa")) {
      const mfa = await this.post("/login/mfa", { code: generateTotp(TEST_TOTP_SECRET, at) });
      if (mfa.status !== 302) throw new Error(`MFA for ${email} answered ${mfa.status}`);
      location = mfa.headers.get("location") ?? "";
    }
    return location;
  }
}

export const ORG_A = "lumen.example";
export const ORG_B = "harbor.example";
export const ROLE_EMAILS = {
  owner: `owner@${ORG_A}`,
  manager: `manager@${ORG_A}`,
  front_desk: `frontdesk@${ORG_A}`,
  provider: `provider@${ORG_A}`,
  medical_director: `md@${ORG_A}`,
  patient: `patient@${ORG_A}`,
} as const;

/** A request context over a test app's database, for calling the domain directly (`db` may be another client on the same file). */
export function testContext(app: Pick<TestApp, "dbFile" | "origin">, db: Db): AppContext {
  return {
    env: parseEnv({ DATABASE_URL: `file:${app.dbFile}`, SESSION_SECRET: "x".repeat(32), APP_ORIGIN: app.origin }),
    db,
    clock: { now: () => new Date() },
    storage: { put: async () => {}, get: async () => null, delete: async () => {} },
    images: createSharpThumbnailer(),
    logger: createLogger("silent"),
    origin: app.origin,
    memo: null,
    scheduleVersions: new Map(),
    isDocumentRequest: false,
    fragments: new Map(),
    deferred: [],
    afterResponse: () => {},
    nonce: "n",
    ip: "127.0.0.1",
    userAgent: "test",
  };
}

/** Test apps (and other servers) started in a test, closed after it in reverse order. */
export function closedAfterEach(afterEachHook: (fn: () => Promise<void>) => void) {
  const cleanup: (() => Promise<void>)[] = [];
  afterEachHook(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  return {
    async app(overrides: Record<string, string> = {}) {
      const a = await startTestApp(overrides);
      cleanup.push(() => a.close());
      return a;
    },
    add(close: () => Promise<void>) {
      cleanup.push(close);
    },
  };
}
