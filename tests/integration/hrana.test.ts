// The Hrana test endpoint itself, against the protocol's semantics the Worker relies on.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHranaHandler, takesWriteLock } from "../helpers/hrana";
import { TEMPLATE_DB, TMP } from "../setup/paths";

let file: string;
let hrana: ReturnType<typeof createHranaHandler>;
beforeEach(() => {
  mkdirSync(`${TMP}/dbs`, { recursive: true });
  file = `${TMP}/dbs/hrana-${randomUUID()}.db`;
  copyFileSync(TEMPLATE_DB, file);
});
afterEach(() => {
  hrana.close();
  for (const s of ["", "-wal", "-shm"]) rmSync(file + s, { force: true });
});

type Answer = { baton: string | null; results: { type: "ok" | "error"; response?: { result?: { rows: { value: string }[][] } }; error?: { code: string } }[] };
const stmt = (sql: string) => ({ type: "execute", stmt: { sql } });
async function send(baton: string | null, ...requests: object[]): Promise<Answer> {
  const res = await hrana.fetch(new Request("http://turso.test/v2/pipeline", { method: "POST", body: JSON.stringify({ baton, requests }) }));
  return res.json() as Promise<Answer>;
}
const count = (a: Answer) => Number(a.results[0].response!.result!.rows[0][0].value);

describe("the Hrana test endpoint", () => {
  it("keeps an interactive transaction on its stream across requests, invisible to others until it commits", async () => {
    hrana = createHranaHandler(file);
    await send(null, stmt("create table t (x integer)"), { type: "close" });
    const a = await send(null, stmt("begin"), stmt("insert into t values (1)"));
    expect(a.results.map((r) => r.type)).toEqual(["ok", "ok"]);
    expect(count(await send(null, stmt("select count(*) from t"), { type: "close" }))).toBe(0);
    const committed = await send(a.baton, { type: "get_autocommit" }, stmt("commit"), { type: "close" });
    expect(committed.results.every((r) => r.type === "ok")).toBe(true);
    expect(count(await send(null, stmt("select count(*) from t"), { type: "close" }))).toBe(1);
  });

  it("lets one writer at a time: the next waits for the commit, or gets SQLITE_BUSY past its budget", async () => {
    hrana = createHranaHandler(file, { busyTimeoutMs: 100 });
    await send(null, stmt("create table t (x integer)"), { type: "close" });
    const first = await send(null, stmt("begin immediate"), stmt("insert into t values (1)"));
    const busy = await send(null, stmt("insert into t values (2)"), { type: "close" });
    expect(busy.results[0].error?.code).toBe("SQLITE_BUSY");
    const waiting = send(null, stmt("insert into t values (3)"), { type: "close" });
    await new Promise((r) => setTimeout(r, 30));
    await send(first.baton, stmt("commit"), { type: "close" });
    expect((await waiting).results[0].type).toBe("ok");
    expect(count(await send(null, stmt("select count(*) from t"), { type: "close" }))).toBe(2);
  });

  it("rolls back what a closed stream left open, and refuses a closed stream's baton", async () => {
    hrana = createHranaHandler(file);
    await send(null, stmt("create table t (x integer)"), { type: "close" });
    const open = await send(null, stmt("begin"), stmt("insert into t values (1)"));
    await send(open.baton, { type: "close" });
    expect(count(await send(null, stmt("select count(*) from t"), { type: "close" }))).toBe(0);
    const stale = await hrana.fetch(new Request("http://turso.test/v2/pipeline", { method: "POST", body: JSON.stringify({ baton: open.baton, requests: [stmt("select 1")] }) }));
    expect(stale.status).toBe(400);
  });

  it("runs a batch step by step with its conditions", async () => {
    hrana = createHranaHandler(file);
    const answer = await send(null, { type: "batch", batch: { steps: [{ stmt: { sql: "create table t (x integer primary key)" } }, { stmt: { sql: "insert into t values (1)" }, condition: { type: "ok", step: 0 } }, { stmt: { sql: "insert into t values (1)" }, condition: { type: "ok", step: 1 } }, { stmt: { sql: "select 1" }, condition: { type: "error", step: 2 } }] } }, { type: "close" });
    const batch = (answer.results[0].response as unknown as { result: { step_results: unknown[]; step_errors: ({ code: string } | null)[] } }).result;
    expect(batch.step_errors[2]?.code).toMatch(/SQLITE_CONSTRAINT/);
    expect(batch.step_results[3]).not.toBeNull();
  });

  it("knows which statements take the write lock", () => {
    for (const sql of ["insert into t values (1)", "UPDATE t SET x = 1", "begin immediate", "with a as (select 1) delete from t", "create table u (x)"]) expect(takesWriteLock(sql)).toBe(true);
    for (const sql of ["select 1", "begin", "commit", "rollback", "with a as (select 1) select * from a", "pragma foreign_keys"]) expect(takesWriteLock(sql)).toBe(false);
  });
});
