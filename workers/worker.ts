import { createClient } from "@libsql/client/web";
import { pipelineReads } from "../app/lib/read-pipeline";
import { countingClient, createBudget, FREE_PLAN_SUBREQUESTS } from "../app/messaging/budget";
import { createRequestHandler, type ServerBuild } from "@remix-run/cloudflare";
import * as build from "virtual:atrium/worker-server-build";
import { buildRequestContext, runDeferred, systemClock, type RuntimeServices } from "../app/lib/context.server";
import { runMessageJob } from "../app/messaging/job.server";
import { createDb } from "../app/lib/db.server";
import { parseEnv } from "../app/lib/env.server";
import { handleAppRequest } from "../app/lib/handler.server";
import { createLogger } from "../app/lib/logger.server";
import { createR2Storage } from "../app/lib/storage.server";
import { createImagesBindingThumbnailer } from "../app/lib/thumbnails.server";
import { maxBodyBytes } from "../app/lib/body-limits";

/** Bindings from wrangler.toml ([vars], secrets, the R2 bucket). */
export interface WorkerEnv {
  TURSO_DATABASE_URL: string;
  TURSO_AUTH_TOKEN?: string;
  SESSION_SECRET: string;
  NODE_ENV?: string;
  /** Required: the public origin every link is built from, and the host the Worker serves. */
  APP_ORIGIN?: string;
  APP_HOSTS?: string;
  PARTY_URL?: string;
  PARTY_SECRET?: string;
  LOG_LEVEL?: string;
  /** Messages: SendGrid and Twilio (Workers have no SMTP); without them, local delivery. */
  EMAIL_PROVIDER?: string;
  EMAIL_FROM?: string;
  SENDGRID_API_KEY?: string;
  /** SendGrid's API base (its EU endpoint, https://api.eu.sendgrid.com, for EU data residency). */
  SENDGRID_API_URL?: string;
  SMS_PROVIDER?: string;
  TWILIO_ACCOUNT_SID?: string;
  TWILIO_AUTH_TOKEN?: string;
  TWILIO_FROM?: string;
  TWILIO_API_URL?: string;
  FILES: Parameters<typeof createR2Storage>[0];
  /** Cloudflare Images: photo previews (wrangler.toml [images]). */
  IMAGES: Parameters<typeof createImagesBindingThumbnailer>[0];
}

// Services live per isolate and are made on the first request: Workers have no env at import time.
let services: RuntimeServices | null = null;
let remix: ReturnType<typeof createRequestHandler> | null = null;
let client: ReturnType<typeof createClient> | null = null;

/**
 * This request's database: reads it starts together go to Turso as one request
 * (app/lib/read-pipeline.ts). One per request: workerd lets a request settle only its own promises.
 */
function requestServices(s: RuntimeServices): RuntimeServices {
  return { ...s, db: createDb(pipelineReads(client!)) };
}

function servicesFor(env: WorkerEnv): RuntimeServices {
  if (services) return services;
  if (!env.APP_ORIGIN) throw new Error("Set APP_ORIGIN in wrangler.toml [vars] to the clinic's public https:// origin.");
  const appEnv = parseEnv({
    NODE_ENV: env.NODE_ENV ?? "production",
    DATABASE_URL: env.TURSO_DATABASE_URL,
    DATABASE_AUTH_TOKEN: env.TURSO_AUTH_TOKEN,
    SESSION_SECRET: env.SESSION_SECRET,
    APP_ORIGIN: env.APP_ORIGIN,
    APP_HOSTS: env.APP_HOSTS,
    PARTY_URL: env.PARTY_URL,
    PARTY_SECRET: env.PARTY_SECRET,
    LOG_LEVEL: env.LOG_LEVEL,
    EMAIL_PROVIDER: env.EMAIL_PROVIDER,
    EMAIL_FROM: env.EMAIL_FROM,
    SENDGRID_API_KEY: env.SENDGRID_API_KEY,
    SENDGRID_API_URL: env.SENDGRID_API_URL,
    SMS_PROVIDER: env.SMS_PROVIDER,
    TWILIO_ACCOUNT_SID: env.TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: env.TWILIO_AUTH_TOKEN,
    TWILIO_FROM: env.TWILIO_FROM,
    TWILIO_API_URL: env.TWILIO_API_URL,
  });
  client = createClient({ url: appEnv.DATABASE_URL, authToken: appEnv.DATABASE_AUTH_TOKEN });
  services = { env: appEnv, db: createDb(client), storage: createR2Storage(env.FILES), images: createImagesBindingThumbnailer(env.IMAGES), logger: createLogger(appEnv.LOG_LEVEL) };
  return services;
}

export default {
  /** Cron trigger (wrangler.toml [triggers]): the same message job the Node server runs on an interval. */
  async scheduled(_controller: unknown, env: WorkerEnv, ctx: { waitUntil(p: Promise<unknown>): void }) {
    const s = servicesFor(env);
    // Every statement and provider call counts against the invocation's subrequests (Free plan: 50).
    const budget = createBudget(FREE_PLAN_SUBREQUESTS);
    ctx.waitUntil(runMessageJob({ ...s, db: createDb(countingClient(client!, budget)), clock: s.clock ?? systemClock }, undefined, budget));
  },

  async fetch(request: Request, env: WorkerEnv, ctx?: { waitUntil(p: Promise<unknown>): void }): Promise<Response> {
    const s = servicesFor(env);
    remix ??= createRequestHandler(build as unknown as ServerBuild, s.env.NODE_ENV === "production" ? "production" : "development");
    const context = buildRequestContext(requestServices(s), request, request.headers.get("cf-connecting-ip") ?? "");
    // The same limits as the Node server, before any action reads the body.
    const limit = maxBodyBytes(new URL(request.url).pathname);
    if (Number(request.headers.get("content-length") ?? 0) > limit) {
      return new Response(`That submission is too large (${Math.round(limit / 1024 / 1024)} MB at most).`, { status: 413 });
    }
    const response = await handleAppRequest(remix, request, context);
    for (const task of runDeferred(context)) ctx?.waitUntil(task);
    return response;
  },
};
