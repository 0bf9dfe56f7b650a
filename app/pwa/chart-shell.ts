/**
 * The chart shell (ADR 030): a chart page with no patient in it, kept by the service worker so a
 * chart opens in the editor on a reload or a cold launch with no network. The worker answers a
 * chart's address with it while offline; the chart route's clientLoader then fills it from the
 * chart kept sealed on the tablet (ADR 029). Shared by the pages and the service worker: no DOM
 * at import.
 */
export const CHART_SHELL_ID = "kept";
export const CHART_SHELL_PATH = `/charts/${CHART_SHELL_ID}`;
export const CHART_SHELL_CACHE = "atrium-chart-shell";
/** A chart's own address (not its photos, PDF or consents): what the shell may stand in for. */
export const CHART_ADDRESS = /^\/charts\/[A-Za-z0-9-]{1,64}$/;

/** Marks a page that is the chart shell, so the chart route runs its clientLoader as it starts. */
export const CHART_SHELL_MARK = "data-chart-shell";

/** Whether this page is the chart shell (the service worker answered a chart's address with no network). */
export const showingChartShell = () => typeof document !== "undefined" && document.querySelector(`[${CHART_SHELL_MARK}]`) !== null;

/** From a chart page online: ask the service worker to keep (or refresh) the shell for this user. */
export function keepChartShell(userId: string) {
  navigator.serviceWorker?.controller?.postMessage({ type: "KEEP_CHART_SHELL", userId });
}

/** Signed out, or another user's tablet now: the shell (their name and menu) goes too. */
export function forgetChartShell() {
  if (typeof caches !== "undefined") void caches.delete(CHART_SHELL_CACHE).catch(() => undefined);
}
