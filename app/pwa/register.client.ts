/**
 * Registers the service worker (workbox-window) once the page has hydrated. When a new version
 * has installed and is waiting, the page is told (an "atrium:update-ready" event) and offers
 * "Reload to update"; nothing reloads on its own, so no form in use is ever lost.
 */
export const UPDATE_READY = "atrium:update-ready";

export async function registerServiceWorker() {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  // After the page has loaded, so the service worker never competes with the first render.
  if (document.readyState !== "complete") await new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
  const { Workbox } = await import("workbox-window");
  const wb = new Workbox("/sw.js");
  wb.addEventListener("waiting", () => {
    const apply = () => {
      wb.addEventListener("controlling", () => window.location.reload());
      wb.messageSkipWaiting();
    };
    window.dispatchEvent(new CustomEvent(UPDATE_READY, { detail: { apply } }));
  });
  await wb.register();
}
