import Database from "libsql";

/**
 * TEST HARNESS, not a product database: a Hrana v2 `/v2/pipeline` endpoint (JSON) over an
 * embedded libSQL file, so the Worker's @libsql/client/web can be tested without Turso.
 *
 * What it does as Turso does (docs/decisions/019-hrana-test-endpoint.md says where that is a guess):
 * - each stream (baton) has its own connection, so an interactive transaction spans requests;
 * - one writer at a time: a stream takes the write lock with its first write (or BEGIN
 *   IMMEDIATE) and keeps it until its connection is back in autocommit; others wait for it,
 *   asynchronously, up to a bounded budget, then get SQLITE_BUSY;
 * - batches with conditions, sequence, store_sql/close_sql, get_autocommit, close (which rolls
 *   back what the stream left open); idle streams are closed after a while;
 * - optional latency per HTTP request, to model the network in benchmarks.
 */
type HValue = { type: "null" } | { type: "integer"; value: string } | { type: "float"; value: number } | { type: "text"; value: string } | { type: "blob"; base64: string };
interface HStmt { sql?: string; sql_id?: number; args?: HValue[]; named_args?: { name: string; value: HValue }[]; want_rows?: boolean }
type HCond = { type: "ok" | "error"; step: number } | { type: "not"; cond: HCond } | { type: "and" | "or"; conds: HCond[] } | { type: "is_autocommit" };
type HRequest = { type: string; stmt?: HStmt; batch?: { steps: { stmt: HStmt; condition?: HCond }[] }; sql?: string; sql_id?: number };

type Bound = unknown[] | Record<string, unknown>;

function decode(v: HValue): unknown {
  switch (v.type) {
    case "null": return null;
    case "integer": return BigInt(v.value);
    case "float": return v.value;
    case "text": return v.value;
    case "blob": return Buffer.from(v.base64, "base64");
  }
}

function encode(v: unknown): HValue {
  if (v === null || v === undefined) return { type: "null" };
  if (typeof v === "bigint") return { type: "integer", value: v.toString() };
  if (typeof v === "number") return Number.isInteger(v) ? { type: "integer", value: String(v) } : { type: "float", value: v };
  if (typeof v === "string") return { type: "text", value: v };
  return { type: "blob", base64: Buffer.from(v as Uint8Array).toString("base64") };
}

class SqliteError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

const TX_CONTROL = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i;
const TAKES_LOCK_AT_BEGIN = /^\s*begin\s+(immediate|exclusive)\b/i;
const READ = /^\s*(select|explain|pragma\s+\w+\s*;?\s*$|values)\b/i;
const WRITE_WORDS = /\b(insert|update|delete|replace|create|drop|alter)\b/i;

/** Whether a statement takes the database's write lock. */
export function takesWriteLock(sql: string) {
  if (TAKES_LOCK_AT_BEGIN.test(sql)) return true;
  if (TX_CONTROL.test(sql)) return false;
  if (READ.test(sql)) return false;
  if (/^\s*with\b/i.test(sql)) return WRITE_WORDS.test(sql);
  return true;
}

interface Stream {
  id: number;
  db: InstanceType<typeof Database>;
  queue: Promise<unknown>;
  lastUsed: number;
}

/** One HTTP request to the endpoint: when it arrived and was answered (ms), and how many requests it carried. */
export interface RoundTrip {
  start: number;
  end: number;
  statements: number;
  /** The start of each statement it carried (for finding what to pipeline). */
  sql: string[];
}

/**
 * Round trips one after another: the longest chain of requests in which each began after the one
 * before it was answered. Requests in flight together count once.
 */
export function sequentialRoundTrips(trips: RoundTrip[]): number {
  const byEnd = [...trips].sort((a, b) => a.end - b.end);
  const depth: number[] = [];
  byEnd.forEach((trip, i) => {
    let best = 0;
    for (let j = 0; j < i; j++) if (byEnd[j].end <= trip.start) best = Math.max(best, depth[j]);
    depth.push(best + 1);
  });
  return Math.max(0, ...depth);
}

export interface HranaOptions {
  /** How long a writer waits for another stream's write lock before SQLITE_BUSY (SQLite's busy timeout). */
  busyTimeoutMs?: number;
  /** Added to every HTTP request, before it is handled (a network round trip). */
  latencyMs?: number;
  /** Streams unused this long are closed (their open transaction rolled back). */
  idleMs?: number;
}

export function createHranaHandler(dbPath: string, options: HranaOptions = {}) {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  const idleMs = options.idleMs ?? 30_000;
  const streams = new Map<string, Stream>();
  const stored = new Map<number, string>();
  let streamSeq = 0;
  let batonSeq = 0;

  // The one write lock, handed over in arrival order.
  let holder: Stream | null = null;
  const waiters: { stream: Stream; grant: () => void; timer: ReturnType<typeof setTimeout> }[] = [];
  function acquire(stream: Stream) {
    if (holder === stream) return Promise.resolve();
    if (!holder) {
      holder = stream;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        stream,
        grant: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new SqliteError("database is locked", "SQLITE_BUSY"));
        }, busyTimeoutMs),
      };
      waiters.push(waiter);
    });
  }
  function releaseIfDone(stream: Stream) {
    if (holder !== stream || stream.db.inTransaction) return;
    holder = waiters.length ? waiters[0].stream : null;
    waiters.shift()?.grant();
  }

  function open(): Stream {
    const db = new Database(dbPath, { timeout: 0 });
    db.defaultSafeIntegers(true);
    return { id: ++streamSeq, db, queue: Promise.resolve(), lastUsed: Date.now() };
  }
  function closeStream(stream: Stream) {
    if (stream.db.inTransaction) stream.db.exec("ROLLBACK");
    releaseIfDone(stream);
    stream.db.close();
  }
  const sweep = setInterval(() => {
    for (const [baton, stream] of streams) {
      if (Date.now() - stream.lastUsed > idleMs && holder !== stream) {
        streams.delete(baton);
        closeStream(stream);
      }
    }
  }, Math.min(idleMs, 5_000));
  sweep.unref?.();

  async function execute(stream: Stream, stmt: HStmt) {
    const sql = stmt.sql ?? stored.get(stmt.sql_id!);
    if (sql === undefined) throw new SqliteError("unknown sql_id", "SQL_NOT_FOUND");
    const args: Bound = stmt.named_args?.length ? Object.fromEntries(stmt.named_args.map((a) => [a.name.replace(/^[:@$]/, ""), decode(a.value)])) : (stmt.args ?? []).map(decode);
    if (takesWriteLock(sql)) await acquire(stream);
    try {
      const prepared = stream.db.prepare(sql);
      if (prepared.reader) {
        const columns = prepared.columns() as { name: string; type: string | null }[];
        const rows = (prepared.raw(true).all(args as never) as unknown[][]).map((row) => row.map(encode));
        return { cols: columns.map((c) => ({ name: c.name, decltype: c.type ?? null })), rows: stmt.want_rows === false ? [] : rows, affected_row_count: 0, last_insert_rowid: null };
      }
      const info = prepared.run(args as never);
      return { cols: [], rows: [], affected_row_count: Number(info.changes), last_insert_rowid: info.lastInsertRowid === undefined ? null : String(info.lastInsertRowid) };
    } catch (error) {
      const e = error as { message: string; code?: string };
      throw new SqliteError(e.message, e.code ?? "SQLITE_ERROR");
    } finally {
      releaseIfDone(stream);
    }
  }

  function holds(stream: Stream, cond: HCond | undefined, ok: (boolean | undefined)[]): boolean {
    if (!cond) return true;
    switch (cond.type) {
      case "ok": return ok[cond.step] === true;
      case "error": return ok[cond.step] === false;
      case "not": return !holds(stream, cond.cond, ok);
      case "and": return cond.conds.every((c) => holds(stream, c, ok));
      case "or": return cond.conds.some((c) => holds(stream, c, ok));
      case "is_autocommit": return !stream.db.inTransaction;
    }
  }

  const errorOf = (e: unknown) => ({ message: (e as Error).message, code: (e as { code?: string }).code ?? "SQLITE_ERROR" });

  async function handle(stream: Stream, req: HRequest) {
    switch (req.type) {
      case "execute":
        return { type: "execute", result: await execute(stream, req.stmt!) };
      case "batch": {
        const ok: (boolean | undefined)[] = [];
        const results: unknown[] = [];
        const errors: unknown[] = [];
        for (const [i, step] of req.batch!.steps.entries()) {
          if (!holds(stream, step.condition, ok)) {
            results.push(null);
            errors.push(null);
            continue;
          }
          try {
            results.push(await execute(stream, step.stmt));
            errors.push(null);
            ok[i] = true;
          } catch (e) {
            results.push(null);
            errors.push(errorOf(e));
            ok[i] = false;
          }
        }
        return { type: "batch", result: { step_results: results, step_errors: errors } };
      }
      case "sequence": {
        const sql = req.sql ?? stored.get(req.sql_id!) ?? "";
        if (takesWriteLock(sql)) await acquire(stream);
        try {
          stream.db.exec(sql);
        } finally {
          releaseIfDone(stream);
        }
        return { type: "sequence" };
      }
      case "store_sql":
        stored.set(req.sql_id!, req.sql!);
        return { type: "store_sql" };
      case "close_sql":
        stored.delete(req.sql_id!);
        return { type: "close_sql" };
      case "get_autocommit":
        return { type: "get_autocommit", is_autocommit: !stream.db.inTransaction };
      case "close":
        return { type: "close" };
      default:
        throw new SqliteError(`unsupported request ${req.type}`, "HRANA_PROTO_ERROR");
    }
  }

  async function pipeline(body: { baton: string | null; requests: HRequest[] }) {
    let stream = body.baton ? streams.get(body.baton) : undefined;
    if (body.baton && !stream) return { status: 400, json: { message: "That stream has been closed.", code: "STREAM_EXPIRED" } };
    if (body.baton) streams.delete(body.baton);
    stream ??= open();
    const current = stream;
    // A stream's requests run in order; different streams run side by side.
    const run = current.queue.then(async () => {
      const results = [];
      let closed = false;
      for (const req of body.requests) {
        try {
          results.push({ type: "ok", response: await handle(current, req) });
        } catch (e) {
          results.push({ type: "error", error: errorOf(e) });
        }
        if (req.type === "close") closed = true;
      }
      current.lastUsed = Date.now();
      if (closed) {
        closeStream(current);
        return { baton: null, base_url: null, results };
      }
      const baton = `baton-${++batonSeq}`;
      streams.set(baton, current);
      return { baton, base_url: null, results };
    });
    current.queue = run.catch(() => undefined);
    return { status: 200, json: await run };
  }

  return {
    requests: 0,
    /**
     * When set to an array, each HTTP request's time at the endpoint is appended to it (from its
     * arrival to its answer, injected latency included), for counting round trips.
     */
    trace: null as RoundTrip[] | null,
    /** Streams open now (connections held). */
    get openStreams() {
      return streams.size;
    },
    async fetch(request: Request): Promise<Response> {
      const url = new URL(request.url);
      if (request.method !== "POST" || url.pathname !== "/v2/pipeline") return new Response("Not found", { status: 404 });
      this.requests++;
      this.inFlight++;
      try {
        return await this.answer(request);
      } finally {
        this.inFlight--;
        this.lastAnswered = performance.now();
      }
    },
    /** Requests being answered now, and when the last one was: to wait until the database is idle. */
    inFlight: 0,
    lastAnswered: 0,
    async answer(request: Request): Promise<Response> {
      const start = performance.now();
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      const body = (await request.json()) as { baton: string | null; requests: HRequest[] };
      const answer = await pipeline(body);
      this.trace?.push({ start, end: performance.now(), statements: body.requests.filter((r) => r.type !== "close").length, sql: body.requests.flatMap((r) => (r.stmt ? [r.stmt] : r.batch ? r.batch.steps.map((s) => s.stmt) : [])).map((s) => (s.sql ?? `#${s.sql_id}`).slice(0, 90)) });
      return Response.json(answer.json, { status: answer.status });
    },
    close() {
      clearInterval(sweep);
      for (const stream of streams.values()) closeStream(stream);
      streams.clear();
    },
  };
}
