/**
 * Atrium's service worker, bundled and given its precache manifest at build time
 * (app/pwa/vite-plugin.ts, Workbox injectManifest).
 * - Precaches the app shell: the built scripts and styles, icons, the offline page.
 * - Navigations always go to the network: every page is personal and `no-store`, so none is
 *   ever cached; without a network the offline page answers instead.
 * - Nothing else is cached at runtime: loader data and API answers are personal too.
 * - A new version waits until the page says "reload to update" (SKIP_WAITING), never on its own.
 */
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute, type PrecacheEntry } from "workbox-precaching";
import { NavigationRoute, registerRoute, setCatchHandler } from "workbox-routing";
import { NetworkOnly } from "workbox-strategies";

interface Scope {
  __WB_MANIFEST: (string | PrecacheEntry)[];
  skipWaiting(): Promise<void>;
  clients: { matchAll(options: { type: "window" }): Promise<{ postMessage(message: unknown): void }[]> };
  addEventListener(type: "message", listener: (event: { data?: { type?: string } }) => void): void;
  addEventListener(type: "sync", listener: (event: { tag: string; waitUntil(p: Promise<unknown>): void }) => void): void;
}
const sw = self as unknown as Scope;

// Workbox replaces `self.__WB_MANIFEST` at build time: keep that exact expression.
precacheAndRoute((self as unknown as Scope).__WB_MANIFEST);
cleanupOutdatedCaches();

registerRoute(new NavigationRoute(new NetworkOnly()));
setCatchHandler(async ({ request }) => {
  if (request.destination === "document") return (await matchPrecache("/offline.html")) ?? Response.error();
  return Response.error();
});

sw.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") void sw.skipWaiting();
});

// Background Sync (where the browser has it): the connection is back. Only a signed-in page holds
// the key that opens the outbox (ADR 018), so the worker asks the open pages to send it.
sw.addEventListener("sync", (event) => {
  if (event.tag !== "atrium-outbox") return;
  event.waitUntil(sw.clients.matchAll({ type: "window" }).then((pages) => pages.forEach((page) => page.postMessage({ type: "DRAIN_OUTBOX" }))));
});
