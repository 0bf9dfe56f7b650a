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
  addEventListener(type: "message", listener: (event: { data?: { type?: string } }) => void): void;
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
