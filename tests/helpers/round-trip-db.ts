import { createClient } from "@libsql/client";
import { createDb } from "../../app/lib/db.server";

/**
 * The test's database file behind a client whose every statement is a round trip: it yields to
 * the event loop before and after, as Turso over HTTP does. The embedded driver answers without
 * yielding, which hides check-then-write races that a remote database shows at once; races are
 * tested through this as well as over the real server.
 */
export function roundTripDb(url: string) {
  const inner = createClient({ url, timeout: 5000 });
  const hop = () => new Promise((resolve) => setTimeout(resolve, 1));
  const client = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === "execute" || prop === "batch") {
        return async (...args: unknown[]) => {
          await hop();
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          await hop();
          return result;
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: createDb(client), close: () => inner.close() };
}
