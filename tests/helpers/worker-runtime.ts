import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { Miniflare } from "miniflare";
import { createHranaHandler, type HranaOptions } from "./hrana";
import { DEMO_PASSWORD, TEST_TOTP_SECRET } from "../../db/seed/generate";
import { generateTotp } from "../../app/auth/totp.server";
import { ROOT, TMP } from "../setup/paths";

/**
 * The built Worker bundle in workerd (miniflare) on a loopback port, its database reached
 * over the libSQL HTTP protocol served by the Hrana harness over a copy of `sourceDb`.
 */
export async function startWorker(sourceDb: string, hranaOptions: HranaOptions = {}, extra: { bindings?: Record<string, string>; outbound?: (request: Request) => Promise<Response>; /** Another Worker's database endpoint: this one is a second isolate on the same database. */ shareWith?: { hrana: ReturnType<typeof createHranaHandler> } } = {}) {
  const bundle = `${ROOT}/dist/worker/worker.js`;
  if (!existsSync(bundle)) throw new Error("Run `npm run build:worker` first (npm test does).");
  mkdirSync(`${TMP}/dbs`, { recursive: true });
  const dbFile = `${TMP}/dbs/worker-${randomUUID()}.db`;
  if (!extra.shareWith) copyFileSync(sourceDb, dbFile);
  const hrana = extra.shareWith?.hrana ?? createHranaHandler(dbFile, hranaOptions);
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: bundle }],
    compatibilityDate: "2025-09-01",
    compatibilityFlags: ["nodejs_compat"],
    assets: { directory: `${ROOT}/build/worker/client`, binding: "ASSETS", routerConfig: { has_user_worker: true } },
    r2Buckets: ["FILES"],
    images: { binding: "IMAGES" },
    bindings: { TURSO_DATABASE_URL: "http://turso.test", SESSION_SECRET: "worker-secret-worker-secret-worker-01234", NODE_ENV: "test", LOG_LEVEL: "silent", APP_ORIGIN: "https://clinic.atrium.test", ...extra.bindings },
    // Every outbound fetch of the Worker goes to the database harness, or (another host) to `outbound`.
    outboundService: (request) => {
      const copy = new Request(request.url, { method: request.method, headers: request.headers, body: request.body, duplex: "half" } as RequestInit);
      return (new URL(request.url).host === "turso.test" || !extra.outbound ? hrana.fetch(copy) : extra.outbound(copy)) as never;
    },
    host: "127.0.0.1",
    port: 0,
    cf: false,
  });
  const url = await mf.ready;
  const origin = url.origin;
  const send = (path: string, init: RequestInit = {}) => mf.dispatchFetch(`${origin}${path}`, { redirect: "manual", ...init } as never) as unknown as Promise<Response>;
  return {
    mf,
    hrana,
    origin,
    send,
    /** A same-origin form POST, as a browser sends it. */
    post: (path: string, fields: Record<string, string>, cookie?: string) => send(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin, ...(cookie ? { cookie } : {}) }, body: new URLSearchParams(fields).toString() }),
    /** A same-origin multipart POST (a form with a file), as a browser sends it. */
    async postForm(path: string, form: FormData, cookie?: string) {
      // Encoded here: the body and its boundary as a browser sends them.
      const encoded = new Response(form);
      return send(path, { method: "POST", headers: { origin, "content-type": encoded.headers.get("content-type")!, ...(cookie ? { cookie } : {}) }, body: await encoded.arrayBuffer() });
    },
    /** Signs in (answering the TOTP for accounts enrolled in MFA) and returns the session cookie to send. */
    async signIn(email: string, password = DEMO_PASSWORD) {
      const res = await this.post("/login", { email, password });
      const cookie = res.headers.get("set-cookie")!.split(";")[0];
      if (!res.headers.get("location")?.startsWith("/login/mfa")) return cookie;
      const mfa = await this.post("/login/mfa", { code: generateTotp(TEST_TOTP_SECRET, Date.now()) }, cookie);
      if (mfa.status !== 302) throw new Error(`MFA for ${email} answered ${mfa.status}`);
      return mfa.headers.get("set-cookie")?.split(";")[0] ?? cookie;
    },
    /** One statement on a stream of its own, straight to the database; the first value of the first row. */
    async sql(statement: string) {
      const res = await hrana.fetch(new Request("http://turso.test/v2/pipeline", { method: "POST", body: JSON.stringify({ baton: null, requests: [{ type: "execute", stmt: { sql: statement } }, { type: "close" }] }) }));
      return ((await res.json()) as { results: { response?: { result: { rows: { value: string }[][] } } }[] }).results[0].response?.result.rows[0]?.[0]?.value;
    },
    async close() {
      await mf.dispose();
      // A second isolate leaves the shared database to the Worker that made it.
      if (extra.shareWith) return;
      hrana.close();
      for (const s of ["", "-wal", "-shm"]) rmSync(dbFile + s, { force: true });
    },
  };
}
