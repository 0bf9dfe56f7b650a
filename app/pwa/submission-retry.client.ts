/**
 * Submissions that fail in flight. The browser can believe it is online while nothing gets through
 * (clinic Wi-Fi up, its internet down; a captive portal; a dropped access point not noticed yet).
 * Remix would show an error page and the form, with what was typed, would be gone. Instead, a
 * form submission whose request cannot reach us is held: the page stays as it is (still
 * "saving"), says so, and the same submission is sent again once Atrium answers.
 *
 * Every submission carries a key made here (`Atrium-Submission`). If the first attempt did reach
 * the server and only its answer was lost, the server replays that answer for the key instead of
 * running the action twice (app/lib/submission-replay.server.ts, ADR 016).
 *
 * Only Remix submissions are touched: same-origin, not GET/HEAD, to a single-fetch `.data` URL.
 * The tablet's outbox (use-offline-outbox) has its own retries and idempotency keys.
 */
import { SUBMISSION_EVENT, type SubmissionEventDetail } from "./submission-events";

const HEADER = "Atrium-Submission";
const PROBE_EVERY_MS = 3_000;

type Fetch = typeof window.fetch;

export function installSubmissionRetry(win: Window & typeof globalThis = window) {
  const original: Fetch = win.fetch.bind(win);
  const announce = (state: SubmissionEventDetail["state"]) => win.dispatchEvent(new CustomEvent<SubmissionEventDetail>(SUBMISSION_EVENT, { detail: { state } }));

  win.fetch = async function fetchWithRetry(input: RequestInfo | URL, init?: RequestInit) {
    if (!isSubmission(win, input, init)) return original(input, init);
    const headers = new Headers(init!.headers);
    if (!headers.has(HEADER)) headers.set(HEADER, crypto.randomUUID());
    const attempt = { ...init, headers };
    try {
      return await original(input, attempt);
    } catch (error) {
      // Only a request that never got an answer is held; a cancelled one stays cancelled.
      if (!(error instanceof TypeError) || init?.signal?.aborted) throw error;
    }
    announce("held");
    try {
      for (;;) {
        await untilReachable(win, original, init?.signal ?? undefined);
        try {
          const response = await original(input, attempt);
          // The first attempt did arrive and is still being worked on: ask again shortly.
          if (response.status === 409 && response.headers.get(HEADER) === "pending") {
            await pause(win, 1_000, init?.signal ?? undefined);
            continue;
          }
          announce("done");
          return response;
        } catch (error) {
          if (!(error instanceof TypeError) || init?.signal?.aborted) throw error;
        }
      }
    } catch (error) {
      announce("done");
      throw error;
    }
  } as Fetch;
}

function isSubmission(win: Window, input: RequestInfo | URL, init?: RequestInit) {
  if (input instanceof Request || !init?.method || ["GET", "HEAD"].includes(init.method.toUpperCase())) return false;
  // A stream can't be sent twice; Remix sends form data, URL-encoded text or JSON text.
  if (init.body instanceof ReadableStream) return false;
  const url = new URL(String(input), win.location.href);
  return url.origin === win.location.origin && url.pathname.endsWith(".data");
}

/** Resolves when Atrium answers its health check; checks again every few seconds and when the browser says it's back online. */
async function untilReachable(win: Window, fetch: Fetch, signal?: AbortSignal) {
  for (;;) {
    signal?.throwIfAborted();
    if (win.navigator.onLine) {
      try {
        const probe = await fetch("/healthz", { cache: "no-store", signal });
        if (probe.ok) return;
      } catch (error) {
        if (signal?.aborted) throw error;
      }
    }
    await pause(win, PROBE_EVERY_MS, signal, true);
  }
}

function pause(win: Window, ms: number, signal?: AbortSignal, wakeOnOnline = false) {
  return new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      win.clearTimeout(timer);
      win.removeEventListener("online", done);
      signal?.removeEventListener("abort", abort);
    };
    const done = () => {
      cleanup();
      resolve();
    };
    const abort = () => {
      cleanup();
      reject(signal!.reason);
    };
    const timer = win.setTimeout(done, ms);
    if (wakeOnOnline) win.addEventListener("online", done);
    signal?.addEventListener("abort", abort);
  });
}
