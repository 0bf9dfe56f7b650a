import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "./context.server";
import type { Db } from "./db.server";
import { withWriteLock } from "./write-lock";
import { busyBackoffMs, busyResponse, isBusy } from "./busy";

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
export async function exclusiveWrite<T>(ctx: Pick<AppContext, "db" | "env">, fn: (db: ExclusiveDb, commit: Commit) => Promise<T>): Promise<T> {
  // A write that found the database busy wrote nothing (its transaction or batch was undone):
  // try it again, checks included, a few times with backoff; then answer 503, not 500.
  for (let attempt = 1; ; attempt++) {
    try {
      return await exclusiveWriteOnce(ctx, fn);
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (attempt >= BUSY_ATTEMPTS) throw busyResponse();
      await new Promise((resolve) => setTimeout(resolve, busyBackoffMs(attempt)));
    }
  }
}

/** Tries of a write that keeps finding the database busy, before the request is answered 503. */
export const BUSY_ATTEMPTS = 4;

function exclusiveWriteOnce<T>(ctx: Pick<AppContext, "db" | "env">, fn: (db: ExclusiveDb, commit: Commit) => Promise<T>): Promise<T> {
  if (ctx.env.DATABASE_URL.startsWith("file:")) {
    return withWriteLock(() => fn(ctx.db, async (writes) => void (await ctx.db.batch(writes).catch(rethrowOccupied))));
  }
  return withWriteLock(() =>
    ctx.db.transaction((tx) =>
      fn(tx, async (writes) => {
        for (const write of writes) await Promise.resolve(write).catch(rethrowOccupied);
      }),
    ),
  );
}

/**
 * The database refused a write because the time is already taken (the overlap triggers of
 * migration 0015): another process booked it between this one's check and its write. The caller
 * answers "just taken", as it would had its own check seen the other booking.
 */
export class TimeTakenError extends Error {
  constructor(readonly what: "provider" | "room") {
    super(what === "room" ? "That room is booked for another visit at that time." : "That time was just taken.");
  }
}

/** For `.catch` on an exclusive write: answers a TimeTakenError as the caller says, rethrows anything else. */
export function whenTaken<T>(answer: (taken: TimeTakenError) => T) {
  return (error: unknown): T => {
    if (error instanceof TimeTakenError) return answer(error);
    throw error;
  };
}

function rethrowOccupied(error: unknown): never {
  const text = `${(error as Error)?.message ?? ""} ${((error as { cause?: Error })?.cause)?.message ?? ""}`;
  if (text.includes("atrium_provider_overlap")) throw new TimeTakenError("provider");
  if (text.includes("atrium_room_overlap")) throw new TimeTakenError("room");
  throw error;
}
