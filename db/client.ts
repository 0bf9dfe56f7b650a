import { createClient } from "@libsql/client";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createDb } from "../app/lib/db.server";
import { pipelineReads } from "../app/lib/read-pipeline";
import { retryWhenBusy } from "../app/lib/busy-client";

/** SQLite's own (synchronous) busy wait on a local file: a few milliseconds at most. */
export const LOCAL_BUSY_TIMEOUT_MS = 10;
import { installStatementCache } from "./statement-cache";

/** Node-side libSQL client: a local file (`file:data/atrium.db`) or a remote libsql:// URL. */
export function openDatabase(url: string, authToken?: string) {
  if (url.startsWith("file:")) mkdirSync(dirname(url.slice(5)) || ".", { recursive: true });
  installStatementCache();
  // `timeout` is SQLite's busy timeout (ms) on every connection the client opens. The local driver
  // waits for it synchronously, freezing the event loop, so it is kept to a few milliseconds and a
  // busy database is waited for asynchronously instead (retryWhenBusy: backoff, then a clear 503).
  const opened = createClient({ url, authToken, timeout: LOCAL_BUSY_TIMEOUT_MS });
  // A remote database (Turso) gets reads started together sent as one request; a local file answers in microseconds.
  const client = url.startsWith("file:") ? retryWhenBusy(opened) : pipelineReads(opened);
  return { client, db: createDb(client) };
}

/** Local files get WAL and a busy timeout so concurrent requests wait instead of failing. */
export async function tuneLocalDatabase(client: ReturnType<typeof createClient>, url: string) {
  if (!url.startsWith("file:")) return;
  await client.execute("PRAGMA journal_mode = WAL");
  await connectionPragmas(client);
  // Pragmas belong to a connection, and the busy retry opens fresh ones (app/lib/busy-client.ts).
  const reconnect = client.reconnect.bind(client);
  client.reconnect = async () => {
    await reconnect();
    await connectionPragmas(client);
  };
}

/**
 * Per connection: foreign keys, and a 64 MiB page cache. SQLite's default of 2 MB makes every
 * read of a large clinic's tables a system call per page (patient search at 500,000 patients took
 * 4–5 times as long, issue 14); the cache fills only as pages are read.
 */
export const PAGE_CACHE_KIB = 65_536;
async function connectionPragmas(client: ReturnType<typeof createClient>) {
  await client.execute("PRAGMA foreign_keys = ON");
  await client.execute(`PRAGMA cache_size = -${PAGE_CACHE_KIB}`);
}

/**
 * A long-running server moves WAL checkpoints off the request path: requests never checkpoint
 * (a checkpoint copies pages back into the database and syncs, several ms that would land on
 * whichever request crossed the threshold), and a timer does a PASSIVE checkpoint instead.
 * The raised threshold is a safety net if the timer falls behind. Returns a stop function.
 */
export async function checkpointInBackground(client: ReturnType<typeof createClient>, url: string, { everyMs = 2_000, takeTurn = (run: () => Promise<unknown>) => run() }: { everyMs?: number; takeTurn?: (run: () => Promise<unknown>) => Promise<unknown> } = {}) {
  if (!url.startsWith("file:")) return () => {};
  await client.execute("PRAGMA wal_autocheckpoint = 20000");
  // `takeTurn` lets the server queue it like a request, so it never runs in the middle of one.
  const timer = setInterval(() => {
    takeTurn(() => client.execute("PRAGMA wal_checkpoint(PASSIVE)")).catch(() => undefined);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
