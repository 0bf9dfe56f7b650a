import { createClient, type InValue, type ResultSet } from "@libsql/client";

/**
 * TEST HARNESS, not a product database: a minimal Hrana v2 `/v2/pipeline` endpoint
 * (JSON) over an embedded libSQL file, so the Worker's @libsql/client/web can be tested
 * without Turso. Implements execute, batch (with conditions), sequence, store_sql,
 * close_sql, get_autocommit and close; one connection, requests serialized.
 */
type HValue = { type: "null" } | { type: "integer"; value: string } | { type: "float"; value: number } | { type: "text"; value: string } | { type: "blob"; base64: string };
interface HStmt { sql?: string; sql_id?: number; args?: HValue[]; named_args?: { name: string; value: HValue }[]; want_rows?: boolean }
type HCond = { type: "ok" | "error"; step: number } | { type: "not"; cond: HCond } | { type: "and" | "or"; conds: HCond[] } | { type: "is_autocommit" };

function decode(v: HValue): InValue {
  switch (v.type) {
    case "null": return null;
    case "integer": return BigInt(v.value);
    case "float": return v.value;
    case "text": return v.value;
    case "blob": return Uint8Array.from(atob(v.base64), (c) => c.charCodeAt(0));
  }
}

function encode(v: unknown): HValue {
  if (v === null || v === undefined) return { type: "null" };
  if (typeof v === "bigint") return { type: "integer", value: v.toString() };
  if (typeof v === "number") return { type: "float", value: v };
  if (typeof v === "string") return { type: "text", value: v };
  const bytes = new Uint8Array(v as ArrayBuffer);
  return { type: "blob", base64: btoa(String.fromCharCode(...bytes)) };
}

export function createHranaHandler(dbPath: string) {
  const client = createClient({ url: `file:${dbPath}`, intMode: "bigint" });
  const stored = new Map<number, string>();
  let inTransaction = false;
  let queue: Promise<unknown> = Promise.resolve();
  let batonSeq = 0;

  const toResult = (rs: ResultSet, wantRows = true) => ({
    cols: rs.columns.map((name, i) => ({ name, decltype: rs.columnTypes[i] || null })),
    rows: wantRows ? rs.rows.map((row) => rs.columns.map((_, i) => encode(row[i]))) : [],
    affected_row_count: rs.rowsAffected,
    last_insert_rowid: rs.lastInsertRowid === undefined ? null : rs.lastInsertRowid.toString(),
  });

  async function execute(stmt: HStmt) {
    const sql = stmt.sql ?? stored.get(stmt.sql_id!);
    if (sql === undefined) throw new Error("unknown sql_id");
    const args = stmt.named_args?.length ? Object.fromEntries(stmt.named_args.map((a) => [a.name.replace(/^[:@$]/, ""), decode(a.value)])) : (stmt.args ?? []).map(decode);
    const rs = await client.execute({ sql, args });
    if (/^\s*BEGIN/i.test(sql)) inTransaction = true;
    if (/^\s*(COMMIT|END|ROLLBACK)\b/i.test(sql)) inTransaction = false;
    return toResult(rs, stmt.want_rows !== false);
  }

  function holds(cond: HCond | undefined, ok: (boolean | undefined)[]): boolean {
    if (!cond) return true;
    switch (cond.type) {
      case "ok": return ok[cond.step] === true;
      case "error": return ok[cond.step] === false;
      case "not": return !holds(cond.cond, ok);
      case "and": return cond.conds.every((c) => holds(c, ok));
      case "or": return cond.conds.some((c) => holds(c, ok));
      case "is_autocommit": return !inTransaction;
    }
  }

  const errorOf = (e: unknown) => ({ message: (e as Error).message, code: (e as { code?: string }).code ?? "SQLITE_ERROR" });

  async function handle(req: { type: string; stmt?: HStmt; batch?: { steps: { stmt: HStmt; condition?: HCond }[] }; sql?: string; sql_id?: number }) {
    switch (req.type) {
      case "execute":
        return { type: "execute", result: await execute(req.stmt!) };
      case "batch": {
        const ok: (boolean | undefined)[] = [];
        const results: unknown[] = [];
        const errors: unknown[] = [];
        for (const [i, step] of req.batch!.steps.entries()) {
          if (!holds(step.condition, ok)) {
            results.push(null);
            errors.push(null);
            continue;
          }
          try {
            results.push(await execute(step.stmt));
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
      case "sequence":
        await client.executeMultiple(req.sql ?? stored.get(req.sql_id!) ?? "");
        return { type: "sequence" };
      case "store_sql":
        stored.set(req.sql_id!, req.sql!);
        return { type: "store_sql" };
      case "close_sql":
        stored.delete(req.sql_id!);
        return { type: "close_sql" };
      case "get_autocommit":
        return { type: "get_autocommit", is_autocommit: !inTransaction };
      case "close":
        return { type: "close" };
      default:
        throw new Error(`unsupported request ${req.type}`);
    }
  }

  async function pipeline(body: { baton: string | null; requests: Parameters<typeof handle>[0][] }) {
    const results = [];
    let closed = false;
    for (const req of body.requests) {
      try {
        results.push({ type: "ok", response: await handle(req) });
      } catch (e) {
        results.push({ type: "error", error: errorOf(e) });
      }
      if (req.type === "close") closed = true;
    }
    return { baton: closed ? null : body.baton ?? `baton-${++batonSeq}`, base_url: null, results };
  }

  return {
    requests: 0,
    async fetch(request: Request): Promise<Response> {
      const url = new URL(request.url);
      if (request.method !== "POST" || url.pathname !== "/v2/pipeline") return new Response("Not found", { status: 404 });
      this.requests++;
      const body = (await request.json()) as Parameters<typeof pipeline>[0];
      const run = queue.then(() => pipeline(body));
      queue = run.catch(() => undefined);
      return Response.json(await run);
    },
    close: () => client.close(),
  };
}
