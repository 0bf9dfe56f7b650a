import type { Client } from "@libsql/client";
import { busyBackoffMs, busyResponse, isBusy } from "./busy";

/** How long, in all, a statement keeps trying a busy local database before the request gets a 503. */
export const BUSY_BUDGET_MS = 1_500;

/**
 * A local database file answers SQLITE_BUSY when another process holds its write lock. The local
 * driver waits for a lock *synchronously* (its busy timeout), freezing the whole server, so the
 * client is opened with a busy timeout of a few milliseconds and this wrapper does the waiting:
 * asynchronously, with backoff, within BUSY_BUDGET_MS, while the server keeps answering
 * everything else. Past that, the statement throws the 503 "busy, nothing saved" response
 * (a loader or action that lets it through answers with it; a batch was rolled back whole).
 */
export function retryWhenBusy(client: Client): Client {
  const retrying =
    (call: (...args: unknown[]) => Promise<unknown>) =>
    async (...args: unknown[]) => {
      const started = Date.now();
      for (let attempt = 1; ; attempt++) {
        try {
          return await call(...args);
        } catch (error) {
          if (!isBusy(error)) throw error;
          // The connection that met the lock can be left with its statement still open (the next
          // batch on it then fails to commit, "SQL statements in progress", and its reads see the
          // data from before the lock): open fresh connections before trying again.
          await client.reconnect();
          const wait = busyBackoffMs(attempt);
          if (Date.now() - started + wait > BUSY_BUDGET_MS) throw busyResponse();
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
    };
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === "execute" || prop === "batch") return retrying((value as (...a: unknown[]) => Promise<unknown>).bind(target));
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
