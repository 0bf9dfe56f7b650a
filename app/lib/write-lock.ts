/**
 * Serializes this process's (or isolate's) write transactions that check-then-insert, so two
 * requests never interleave between the check and the insert. The database serializes writers
 * too (BEGIN IMMEDIATE locally, one writer at a time on Turso); this lock makes local requests
 * wait in line instead of failing with SQLITE_BUSY.
 */
let tail: Promise<unknown> = Promise.resolve();

export function withWriteLock<T>(fn: () => Promise<T>): Promise<T> {
  const run = tail.then(fn, fn);
  tail = run.catch(() => undefined);
  return run;
}
