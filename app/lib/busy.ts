/**
 * SQLITE_BUSY: another writer held the database's write lock past our wait (a long write elsewhere,
 * another process, Turso serving other isolates). Nothing was written by the statement that got it.
 */
export function isBusy(error: unknown): boolean {
  for (let e = error as { code?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === "SQLITE_BUSY" || /database is locked|SQLITE_BUSY/.test(e.message ?? "")) return true;
  }
  return false;
}

/** Waits before try n (1-based): 50, 100, 200 ms … with jitter, so racing writers spread out. */
export function busyBackoffMs(attempt: number) {
  return 50 * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
}

/** What a request answers when the database stayed busy through every retry: nothing was saved. */
export function busyResponse() {
  return new Response("Atrium is busy right now and nothing was saved. Please try again in a moment.", {
    status: 503,
    headers: { "content-type": "text/plain; charset=utf-8", "retry-after": "2", "cache-control": "no-store" },
  });
}

/** Tries of a write that keeps finding the database busy, before giving up. */
export const BUSY_ATTEMPTS = 4;

/** Runs `write`, trying again with backoff while the database answers busy (then rethrows). */
export async function retryBusy<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isBusy(error) || attempt >= BUSY_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, busyBackoffMs(attempt)));
    }
  }
}
