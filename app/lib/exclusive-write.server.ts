import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "./context.server";
import type { Db } from "./db.server";
import { withWriteLock } from "./write-lock";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type ExclusiveDb = Db | Tx;
export type Commit = (writes: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]) => Promise<void>;

/**
 * Check-then-write with nobody else writing in between (see docs/decisions/009-exclusive-writes.md).
 * - Local libSQL file (embedded default, one process): the process write lock serializes every
 *   check-then-write; the writes commit as one atomic batch. An open interactive transaction would
 *   make libSQL's synchronous driver block the event loop of every other writer.
 * - Remote libSQL (Turso, from Node or a Worker): an interactive write transaction, serialized by
 *   the server across isolates; the lock still queues this isolate's own requests.
 * Build the writes with the `db` given to `fn`, and pass them to `commit`.
 */
export function exclusiveWrite<T>(ctx: Pick<AppContext, "db" | "env">, fn: (db: ExclusiveDb, commit: Commit) => Promise<T>): Promise<T> {
  if (ctx.env.DATABASE_URL.startsWith("file:")) {
    return withWriteLock(() => fn(ctx.db, async (writes) => void (await ctx.db.batch(writes))));
  }
  return withWriteLock(() =>
    ctx.db.transaction((tx) =>
      fn(tx, async (writes) => {
        for (const write of writes) await write;
      }),
    ),
  );
}
