import type { AppEnv } from "./env.server";
import type { Db } from "./db.server";
import type { FileStorage } from "./storage.server";
import type { Logger } from "./logger.server";
import { createNonce } from "./security.server";

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** What every loader and action receives, identical on Node and on Workers. */
export interface AppContext {
  env: AppEnv;
  db: Db;
  clock: Clock;
  storage: FileStorage;
  logger: Logger;
  /** Per-request CSP nonce for the inline scripts Remix renders. */
  nonce: string;
  /** Client address and agent, for audit and throttling. */
  ip: string;
  userAgent: string;
  /** Public origin for links in messages: APP_ORIGIN, or the request's own. */
  origin: string;
}

export interface RuntimeServices {
  env: AppEnv;
  db: Db;
  storage: FileStorage;
  logger: Logger;
  clock?: Clock;
}

/** The one request-context builder: each runtime entry creates its services once and calls this per request. */
export function buildRequestContext(services: RuntimeServices, request: Request, ip: string): AppContext {
  return {
    env: services.env,
    db: services.db,
    storage: services.storage,
    logger: services.logger,
    clock: services.clock ?? systemClock,
    nonce: createNonce(),
    ip: ip || "unknown",
    userAgent: (request.headers.get("user-agent") ?? "").slice(0, 300),
    origin: services.env.APP_ORIGIN ?? new URL(request.url).origin,
  };
}

declare module "@remix-run/node" {
  interface AppLoadContext extends AppContext {}
}
