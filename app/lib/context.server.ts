import type { AppEnv } from "./env.server";
import type { Db } from "./db.server";
import type { FileStorage } from "./storage.server";
import type { Thumbnailer } from "./thumbnails.server";
import type { Logger } from "./logger.server";
import { createNonce } from "./security.server";
import { publicOrigin } from "./origin";

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
  /** Photo previews (sharp on Node, the Images binding in a Worker). */
  images: Thumbnailer;
  logger: Logger;
  /** Per-request CSP nonce for the inline scripts Remix renders. */
  nonce: string;
  /** Client address and agent, for audit and throttling. */
  ip: string;
  userAgent: string;
  /** Public origin for links in messages: APP_ORIGIN, never the request's Host. */
  origin: string;
  /**
   * Per-request memo for reads several loaders of one page need (the session, the locations).
   * Only for GET: an action may change what they would return, so POSTs never share.
   */
  memo: Map<string, Promise<unknown>> | null;
  /**
   * locations.schedule_version of each location as read earlier in this request (with the
   * session, or the public booking's location list): an exclusive write's guard (ADR 020).
   */
  scheduleVersions: Map<string, number>;
  /** True when Remix will render a document (not a `.data` request from the browser's router). */
  isDocumentRequest: boolean;
  /** Server-built markup for the document renderer (see app/components/server-fragment.tsx). */
  fragments: Map<string, string>;
  /**
   * Work to run once the response has gone (Node: after it is written; Worker: waitUntil), so
   * what a request answers, and how fast, doesn't depend on it (account emails).
   */
  afterResponse(task: () => Promise<unknown>): void;
  /** The tasks afterResponse collected; the runtime entry runs them. */
  deferred: (() => Promise<unknown>)[];
}

/**
 * Hands large markup to the document renderer instead of the loader data on a document request
 * (returns null for the data then); returns it for the data otherwise.
 */
export function serverFragment(ctx: Pick<AppContext, "isDocumentRequest" | "fragments">, id: string, html: string): string | null {
  if (!ctx.isDocumentRequest) return html;
  ctx.fragments.set(id, html);
  return null;
}

/** Runs `load` once per GET request for `key`; always afresh otherwise. */
export function memoized<T>(ctx: Pick<AppContext, "memo">, key: string, load: () => Promise<T>): Promise<T> {
  if (!ctx.memo) return load();
  let hit = ctx.memo.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = load();
    ctx.memo.set(key, hit);
  }
  return hit;
}

export interface RuntimeServices {
  env: AppEnv;
  db: Db;
  storage: FileStorage;
  /** Photo previews (sharp on Node, the Images binding in a Worker). */
  images: Thumbnailer;
  logger: Logger;
  clock?: Clock;
}

/** The one request-context builder: each runtime entry creates its services once and calls this per request. */
export function buildRequestContext(services: RuntimeServices, request: Request, ip: string): AppContext {
  const deferred: (() => Promise<unknown>)[] = [];
  return {
    env: services.env,
    db: services.db,
    storage: services.storage,
    images: services.images,
    logger: services.logger,
    clock: services.clock ?? systemClock,
    nonce: createNonce(),
    ip: ip || "unknown",
    userAgent: (request.headers.get("user-agent") ?? "").slice(0, 300),
    origin: publicOrigin(services.env),
    memo: request.method === "GET" || request.method === "HEAD" ? new Map() : null,
    scheduleVersions: new Map(),
    isDocumentRequest: !new URL(request.url).pathname.endsWith(".data"),
    fragments: new Map(),
    deferred,
    afterResponse: (task) => void deferred.push(task),
  };
}

/** Runs what a request deferred, logging (never throwing) failures. */
export function runDeferred(ctx: Pick<AppContext, "deferred" | "logger">): Promise<void>[] {
  return ctx.deferred.splice(0).map((task) => task().then(() => undefined, (error) => ctx.logger.error("deferred_task_failed", { error: (error as Error)?.message })));
}

declare module "@remix-run/node" {
  interface AppLoadContext extends AppContext {}
}
