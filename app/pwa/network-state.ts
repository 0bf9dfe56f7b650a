import { showingChartShell } from "./chart-shell";

/**
 * Whether the tablet seems to have no way to the server. `navigator.onLine` can stay true with
 * none (a Wi-Fi with no internet behind it; Chromium 150's network emulation): a request to our
 * server that failed for want of a network counts too, for a while or until one gets through.
 */
const REMEMBERED_MS = 30_000;
let lastFailure = 0;

export function networkFailed() {
  lastFailure = Date.now();
}

export function networkWorked() {
  lastFailure = 0;
}

export function seemsOffline() {
  if (typeof navigator === "undefined") return false;
  // The chart shell is what the service worker answers a chart's address with when it can't reach
  // the server (ADR 030): a page showing it was loaded with no network.
  return !navigator.onLine || Date.now() - lastFailure < REMEMBERED_MS || showingChartShell();
}
