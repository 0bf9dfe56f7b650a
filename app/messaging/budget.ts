import type { Client } from "@libsql/client";

/**
 * Subrequests one invocation of the background job may make. A Worker on Cloudflare's Free plan
 * gets 50 per invocation (every database statement sent to Turso, every provider call, counts);
 * past it, fetches fail. The job spends its budget in pages and leaves the rest to the next run.
 */
export interface Budget {
  readonly left: number;
  /** Counts `n` subrequests about to be made. */
  spend(n?: number): void;
}

/** Cloudflare Workers Free plan: subrequests per invocation. */
export const FREE_PLAN_SUBREQUESTS = 50;

export function createBudget(limit: number): Budget {
  let used = 0;
  return {
    get left() {
      return limit - used;
    },
    spend(n = 1) {
      used += n;
    },
  };
}

/** No limit (the Node server's job: its database is a local file and its sends are not counted). */
export const UNLIMITED: Budget = { left: Number.POSITIVE_INFINITY, spend() {} };

/** A libSQL client that counts each request it sends (a statement or a batch) against `budget`. */
export function countingClient(client: Client, budget: Budget): Client {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === "execute" || prop === "batch") {
        return (...args: unknown[]) => {
          budget.spend();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
