/**
 * Atrium's service worker, bundled and given its precache manifest at build time
 * (app/pwa/vite-plugin.ts, Workbox injectManifest).
 * - Precaches the app shell: the built scripts and styles, icons, the offline page.
 * - Navigations always go to the network: every page is personal and `no-store`, so none is
 *   ever cached; without a network the offline page answers instead.
 * - Nothing else is cached at runtime: loader data and API answers are personal too.
 * - A new version waits until the page says "reload to update" (SKIP_WAITING), never on its own.
 * - The one page kept at runtime is the chart shell (ADR 030): a chart page with no patient in it,
 *   fetched when a chart page asks, answering a chart's address with no network, and dropped on
 *   sign-out and when a new version takes over (its scripts are gone then).
 */
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute, type PrecacheEntry } from "workbox-precaching";
import { NavigationRoute, registerRoute, setCatchHandler } from "workbox-routing";
import { NetworkOnly } from "workbox-strategies";
import { CHART_ADDRESS, CHART_SHELL_CACHE, CHART_SHELL_PATH } from "./chart-shell";

interface Scope {
  __WB_MANIFEST: (string | PrecacheEntry)[];
  skipWaiting(): Promise<void>;
  clients: { matchAll(options: { type: "window" }): Promise<{ postMessage(message: unknown): void }[]> };
  addEventListener(type: "message", listener: (event: { data?: { type?: string; userId?: string }; waitUntil(p: Promise<unknown>): void }) => void): void;
  addEventListener(type: "activate", listener: (event: { waitUntil(p: Promise<unknown>): void }) => void): void;
  addEventListener(type: "fetch", listener: (event: { request: Request; waitUntil(p: Promise<unknown>): void }) => void): void;
  addEventListener(type: "sync", listener: (event: { tag: string; waitUntil(p: Promise<unknown>): void }) => void): void;
}
const sw = self as unknown as Scope;

// Workbox replaces `self.__WB_MANIFEST` at build time: keep that exact expression.
precacheAndRoute((self as unknown as Scope).__WB_MANIFEST);
cleanupOutdatedCaches();

registerRoute(new NavigationRoute(new NetworkOnly()));
// Remix's route discovery (`/__manifest`: which route modules serve an address; public, no data).
// With no network the answer is "nothing new": the routes the page already knows serve it, so
// a chart opened from the chart shell isn't an error for want of a more specific route (ADR 030).
registerRoute(
  ({ url }) => url.pathname === "/__manifest",
  new NetworkOnly({ plugins: [{ handlerDidError: async () => new Response("{}", { headers: { "content-type": "application/json" } }) }] }),
);
setCatchHandler(async ({ request }) => {
  if (request.destination !== "document") return Response.error();
  // A chart's address with no network: the chart shell, which opens the chart kept on this tablet.
  if (CHART_ADDRESS.test(new URL(request.url).pathname)) {
    const shell = await caches.match(CHART_SHELL_PATH, { cacheName: CHART_SHELL_CACHE });
    if (shell) return shell;
  }
  return (await matchPrecache("/offline.html")) ?? Response.error();
});

/** Shells younger than this, for the same user, are not fetched again on every chart opened. */
const SHELL_FRESH_MS = 10 * 60_000;

async function keepChartShell(userId: string) {
  const cache = await caches.open(CHART_SHELL_CACHE);
  const kept = await cache.match(CHART_SHELL_PATH);
  if (kept && kept.headers.get("x-atrium-kept-for") === userId && Date.now() - Number(kept.headers.get("x-atrium-kept-at")) < SHELL_FRESH_MS) return;
  const response = await fetch(CHART_SHELL_PATH, { credentials: "same-origin", redirect: "manual" }).catch(() => null);
  // Signed out, another role, a server error: nothing is kept (and an older shell goes).
  if (!response || response.status !== 200) return void (await cache.delete(CHART_SHELL_PATH));
  const headers = new Headers(response.headers);
  // The body below is already decoded; its encoding and length no longer describe it.
  headers.delete("content-encoding");
  headers.delete("content-length");
  headers.set("x-atrium-kept-for", userId);
  headers.set("x-atrium-kept-at", String(Date.now()));
  await cache.put(CHART_SHELL_PATH, new Response(await response.blob(), { status: 200, headers }));
}

sw.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") void sw.skipWaiting();
  if (event.data?.type === "KEEP_CHART_SHELL" && typeof event.data.userId === "string") event.waitUntil(keepChartShell(event.data.userId));
});

// The shell names the signed-in user and points at this version's scripts: it goes on sign-out
// (also without JavaScript: the worker sees the form post) and when a new version takes over.
sw.addEventListener("fetch", (event) => {
  if (event.request.method === "POST" && new URL(event.request.url).pathname === "/logout") event.waitUntil(caches.delete(CHART_SHELL_CACHE));
});
sw.addEventListener("activate", (event) => event.waitUntil(caches.delete(CHART_SHELL_CACHE)));

// Background Sync (where the browser has it): the connection is back. Only a signed-in page holds
// the key that opens the outbox (ADR 018), so the worker asks the open pages to send it.
sw.addEventListener("sync", (event) => {
  if (event.tag !== "atrium-outbox") return;
  event.waitUntil(sw.clients.matchAll({ type: "window" }).then((pages) => pages.forEach((page) => page.postMessage({ type: "DRAIN_OUTBOX" }))));
});
