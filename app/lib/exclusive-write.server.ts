import type { BatchItem } from "drizzle-orm/batch";
import { inArray, sql } from "drizzle-orm";
import type { AppContext } from "./context.server";
import type { Db } from "./db.server";
import { withWriteLock } from "./write-lock";
import { BUSY_ATTEMPTS, busyBackoffMs, busyResponse, isBusy } from "./busy";
import { locations } from "../../db/schema";

export type ExclusiveDb = Db;
export type Writes = [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];
/**
 * Commits the writes in one batch, guarded: only if nothing on the schedules of `guard` (the
 * locations whose data the checks read) changed since this request first read them.
 */
export type Commit = (writes: Writes, guard: { locations: string[] }) => Promise<void>;

type WriteContext = Pick<AppContext, "db" | "env" | "scheduleVersions">;

/**
 * Check-then-write with nobody else's write landing in between (docs/decisions/009-exclusive-writes.md,
 * 020-round-trips.md). `fn` reads what it needs with `db` (all at once where it can: on Turso each
 * query is a network round trip) and passes its writes to `commit`, which sends them as one batch
 * led by a guard per location the checks looked at: "its schedule_version is still the one read
 * before the checks" (migration 0019). The database holds its write lock only while that one batch
 * runs — never across a network round trip.
 * - Nothing changed: the batch commits.
 * - Something changed (another isolate or process booked meanwhile): the guard aborts the batch,
 *   nothing is written, and `fn` runs again from fresh reads, so it answers as if it had seen the
 *   other write first ("just taken").
 * - The database was busy: tried again with backoff, then answered 503 with nothing written.
 * This process's (isolate's) own exclusive writes also wait in line for each other, so they don't
 * make each other start over.
 */
export async function exclusiveWrite<T>(ctx: WriteContext, fn: (db: ExclusiveDb, commit: Commit) => Promise<T>): Promise<T> {
  let busyTries = 0;
  let staleTries = 0;
  // Versions to read again before the next try: inside this process's write lock, so no write of
  // this process can land between that read and the commit (a retry can't be overtaken again by
  // the requests that queued behind it; only another process or isolate can still get in).
  let refresh: string[] | null = null;
  const local = ctx.env.DATABASE_URL.startsWith("file:");
  for (;;) {
    try {
      return await withWriteLock(async () => {
        // On a local file a read costs microseconds: re-read every version the request noted on
        // entering the lock, so a request that waited behind others in this process isn't
        // stale on its first try. On Turso that would be a round trip; the retry covers it there.
        const again = refresh ?? (local && ctx.scheduleVersions.size ? [...ctx.scheduleVersions.keys()] : null);
        if (again) await readScheduleVersions(ctx, again);
        refresh = null;
        return fn(ctx.db, (writes, guard) => commitGuarded(ctx, writes, guard.locations));
      });
    } catch (error) {
      if (error instanceof VersionsNeeded) {
        // The request had not read these locations' versions before the checks: read them and
        // check again (only a caller that never read its location pays this extra trip).
        refresh = error.locationIds;
        continue;
      }
      if (error instanceof StaleReadError) {
        if (++staleTries >= STALE_ATTEMPTS) throw busyResponse();
        refresh = error.locationIds;
        continue;
      }
      if (!isBusy(error)) throw error;
      if (++busyTries >= BUSY_ATTEMPTS) throw busyResponse();
      await new Promise((resolve) => setTimeout(resolve, busyBackoffMs(busyTries)));
    }
  }
}

/** Tries of a write whose checks keep being overtaken by others' writes, before a 503. */
export const STALE_ATTEMPTS = 8;

async function commitGuarded(ctx: WriteContext, writes: Writes, locationIds: string[]) {
  const ids = [...new Set(locationIds)];
  if (!ids.length) throw new Error("An exclusive write must guard the locations its checks read.");
  const missing = ids.filter((id) => !ctx.scheduleVersions.has(id));
  if (missing.length) throw new VersionsNeeded(missing);
  const guards = ids.map((id) => ctx.db.run(sql`insert into write_guards (location_id, expected_version) values (${id}, ${ctx.scheduleVersions.get(id)!})`));
  try {
    await ctx.db.batch([...guards, ...writes] as unknown as Writes);
  } catch (error) {
    throw translate(error, ids);
  }
  // This write moved the versions itself: a later exclusive write in the same request reads them again.
  for (const id of ids) ctx.scheduleVersions.delete(id);
}

/** Reads the current schedule versions of `ids` into the request's context (one query). */
export async function readScheduleVersions(ctx: Pick<AppContext, "db" | "scheduleVersions">, ids: string[]) {
  for (const id of ids) ctx.scheduleVersions.delete(id);
  const rows = await ctx.db.select({ id: locations.id, version: locations.scheduleVersion }).from(locations).where(inArray(locations.id, ids));
  for (const row of rows) ctx.scheduleVersions.set(row.id, row.version);
  // A location that doesn't exist has no version; the guard then compares with null and fails
  // on every try, so note it as -1 (never a real version) and let the checks say "not found".
  for (const id of ids) if (!ctx.scheduleVersions.has(id)) ctx.scheduleVersions.set(id, -1);
}

/** Notes versions read with other data (a page's or a booking step's location list) for a later guard. */
export function noteScheduleVersions(ctx: Pick<AppContext, "scheduleVersions">, rows: { id: string; scheduleVersion: number }[]) {
  for (const row of rows) ctx.scheduleVersions.set(row.id, row.scheduleVersion);
}

class VersionsNeeded extends Error {
  constructor(readonly locationIds: string[]) {
    super("schedule versions not read before the checks");
  }
}

/** Another write changed a guarded location's schedule after this one's checks read it. */
export class StaleReadError extends Error {
  constructor(readonly locationIds: string[]) {
    super("The schedule changed while this was being saved.");
  }
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

function translate(error: unknown, guarded: string[]): unknown {
  const text = `${(error as Error)?.message ?? ""} ${((error as { cause?: Error })?.cause)?.message ?? ""}`;
  if (text.includes("atrium_stale_read")) return new StaleReadError(guarded);
  if (text.includes("atrium_provider_overlap")) return new TimeTakenError("provider");
  if (text.includes("atrium_room_overlap")) return new TimeTakenError("room");
  return error;
}
