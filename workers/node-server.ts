import { createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { buildRequestContext, runDeferred, systemClock, type RuntimeServices } from "../app/lib/context.server";
import { runMessageJob } from "../app/messaging/job.server";
import { parseEnv, type AppEnv } from "../app/lib/env.server";
import { createFsStorage } from "../app/lib/fs-storage.server";
import { createSharpThumbnailer } from "../app/lib/sharp-thumbnails.server";
import { createGate } from "../app/lib/admission";
import { handleAppRequest } from "../app/lib/handler.server";
import { createLogger } from "../app/lib/logger.server";
import { FORM_BODY_BYTES, maxBodyBytes } from "../app/lib/body-limits";
import { applySecurityHeaders } from "../app/lib/security.server";
import { isHttpsOrigin, isServedHost } from "../app/lib/origin";
import { checkpointInBackground, openDatabase, tuneLocalDatabase } from "../db/client";

export const NODE_BUILD_DIR = fileURLToPath(new URL("../build/node", import.meta.url));
/** Larger bodies are refused before parsing; photo routes have their own limits (body-limits.ts). */
export const MAX_BODY_BYTES = FORM_BODY_BYTES;

class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super("body too large");
  }
}

/** Buffers the body (bounded), so an oversized submission is a 413 before any action runs. */
async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
    else if (v !== undefined) headers.set(k, v);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  let body: Buffer | undefined;
  if (hasBody) {
    const limit = maxBodyBytes(new URL(req.url ?? "/", origin).pathname);
    if (Number(req.headers["content-length"] ?? 0) > limit) throw new BodyTooLarge(limit);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new BodyTooLarge(limit);
      chunks.push(chunk as Buffer);
    }
    body = Buffer.concat(chunks);
  }
  return new Request(new URL(req.url ?? "/", origin), { method: req.method, headers, body: body ? new Uint8Array(body) : undefined });
}

async function sendResponse(res: ServerResponse, response: Response) {
  res.statusCode = response.status;
  res.statusMessage = response.statusText;
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key === "set-cookie") return;
    headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

export interface NodeServerOptions {
  env: AppEnv;
  port: number;
  host?: string;
  build?: ServerBuild;
  buildDir?: string;
  /** Page reads rendered at once (default: 1 for a local libSQL file, 32 for a remote database). */
  pageConcurrency?: number;
  /** Run the message job (reminders, deliveries) every this many ms; off when absent. */
  jobIntervalMs?: number;
}

/** The embedded runtime: static assets from the client build, everything else through Remix. */
export async function startNodeServer(options: NodeServerOptions): Promise<{ server: Server; url: string; services: RuntimeServices; close(timeoutMs?: number): Promise<void> }> {
  const { env } = options;
  const buildDir = options.buildDir ?? NODE_BUILD_DIR;
  // The build is a production build: React and React Router must load their production bundles
  // (the development ones are several times slower and check every prop). They pick by
  // process.env.NODE_ENV when first imported, which happens with the build, just below.
  process.env.NODE_ENV ||= "production";
  const build: ServerBuild = options.build ?? (await import(`${buildDir}/server/index.js`));
  const { client, db } = openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
  await tuneLocalDatabase(client, env.DATABASE_URL);

  const services: RuntimeServices = {
    env,
    db,
    storage: createFsStorage(env.FILES_DIR ?? "data/files"),
    images: createSharpThumbnailer(),
    logger: createLogger(env.LOG_LEVEL),
  };
  const remix = createRequestHandler(build, env.NODE_ENV === "production" ? "production" : "development");

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use((req, res, next) => {
    const headers = new Headers();
    applySecurityHeaders(headers, { https: isHttpsOrigin(services.env) });
    headers.forEach((v, k) => res.setHeader(k, v));
    // A Host this deployment doesn't serve is refused before anything else (static files too).
    if (!isServedHost(services.env, `http://${req.get("host") ?? ""}/`)) {
      res.status(421).type("text/plain").send("This address is not served here. Use the clinic's Atrium address.");
      return;
    }
    next();
  });
  // HTML, data, JS and CSS compressed for whoever asks (brotli or gzip): a phone on a clinic's
  // Wi-Fi otherwise downloads the booking page's JavaScript three times over (issue 10).
  // Streamed answers still arrive as they are written: Remix flushes and the middleware passes it on.
  app.use(compression({ threshold: 1024 }));
  app.use("/assets", express.static(`${buildDir}/client/assets`, { immutable: true, maxAge: "1y", index: false }));
  // The service worker must be revalidated on every check, or updates would wait for the cache.
  app.use(express.static(`${buildDir}/client`, { maxAge: "1h", index: false, setHeaders: (res, path) => path.endsWith("/sw.js") && res.setHeader("Cache-Control", "no-cache") }));
  // Page and data reads go through the admission gate (see app/lib/admission.ts); writes don't,
  // since they already queue on the write lock and may wait on outside services.
  const gate = createGate(options.pageConcurrency ?? (env.DATABASE_URL.startsWith("file:") ? 1 : 32));
  const stopCheckpoints = await checkpointInBackground(client, env.DATABASE_URL, {
    takeTurn: async (run) => {
      await gate.enter();
      try {
        return await run();
      } finally {
        gate.leave();
      }
    },
  });
  // What a graceful stop waits for: requests being answered, work they left for after their
  // answer (account emails, offers, audits of reads) and a running message job.
  let answering = 0;
  const pending = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  let draining = false;
  app.all("*", async (req, res) => {
    if (draining) {
      res.setHeader("connection", "close");
      res.setHeader("retry-after", "2");
      res.status(503).type("text/plain").send("Atrium is restarting. Try again in a moment.");
      return;
    }
    const origin = `${req.protocol}://${req.get("host")}`;
    // A liveness probe never queues behind pages: a load balancer that waits on it behind a busy
    // desk would take a healthy server out of service (issue 14).
    const gated = (req.method === "GET" || req.method === "HEAD") && req.path !== "/healthz";
    const arrived = performance.now();
    answering++;
    if (gated) await gate.enter();
    try {
      const request = await toRequest(req, origin);
      const context = buildRequestContext(services, request, req.ip ?? "");
      await sendResponse(res, await handleAppRequest(remix, request, context, gated ? performance.now() - arrived : 0));
      for (const task of runDeferred(context)) track(task);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        res.setHeader("connection", "close");
        if (!res.headersSent) res.status(413).type("text/plain").send(`That submission is too large (${Math.round(error.limit / 1024 / 1024)} MB at most).`);
        return;
      }
      // A busy database outside Remix's handling (before the route runs) is still a 503, not a 500.
      if (error instanceof Response && !res.headersSent) return void (await sendResponse(res, error));
      services.logger.error("request_failed", { path: req.path, error: (error as Error)?.message });
      if (!res.headersSent) res.status(500).type("text/plain").send("Something went wrong on our side.");
      else res.end();
    } finally {
      answering--;
      if (gated) gate.leave();
    }
  });

  const server = createServer(app);
  let job: ReturnType<typeof setInterval> | undefined;
  if (options.jobIntervalMs) {
    let running = false;
    job = setInterval(async () => {
      if (running) return; // never overlap runs
      running = true;
      const run = runMessageJob({ ...services, clock: systemClock }).catch((error) => services.logger.error("message_job_failed", { error: (error as Error).message }));
      track(run);
      try {
        await run;
      } finally {
        running = false;
      }
    }, options.jobIntervalMs);
  }
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  // Without a configured origin, links point at this server on localhost (the embedded default).
  if (!services.env.APP_ORIGIN) services.env = { ...services.env, APP_ORIGIN: `http://localhost:${port}` };
  return {
    server,
    url: `http://${options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1"}:${port}`,
    services,
    /**
     * A graceful stop: no new work (new requests are answered 503 "restarting", idle connections
     * closed, the job not started again), then waits up to `timeoutMs` for the requests being
     * answered, the work they left for after their answer and a message send in progress, so a
     * restart never cuts a send off between the provider's answer and its record.
     */
    close: async (timeoutMs = 10_000) => {
      draining = true;
      if (job) clearInterval(job);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + timeoutMs;
      while ((answering > 0 || pending.size > 0) && Date.now() < deadline) {
        await Promise.race([Promise.allSettled([...pending]), new Promise((r) => setTimeout(r, 25))]);
      }
      if (answering > 0 || pending.size > 0) services.logger.warn("shutdown_timed_out", { answering, pending: pending.size });
      server.closeAllConnections();
      await closed;
      stopCheckpoints();
      client.close();
    },
  };
}

export function envFromProcess(overrides: Record<string, string | undefined> = {}) {
  return parseEnv({ ...process.env, ...overrides });
}
