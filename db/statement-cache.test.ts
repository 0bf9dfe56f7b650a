import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClient, type Client } from "@libsql/client";
import { cachedStatementCount, installStatementCache } from "./statement-cache";

const Database = createRequire(import.meta.url)("libsql") as new (path: string) => { prepare(sql: string): unknown; exec(sql: string): void; close(): void };

describe("compiled statement cache", () => {
  let dir: string;
  let client: Client;
  beforeEach(async () => {
    installStatementCache();
    dir = mkdtempSync(join(tmpdir(), "stmt-cache-"));
    client = createClient({ url: `file:${join(dir, "t.db")}` });
    await client.execute("create table t (a integer primary key, b text)");
  });
  afterEach(() => {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("hands back the same compiled statement for the same SQL on one connection", () => {
    const db = new Database(join(dir, "t.db"));
    const first = db.prepare("select b from t where a = ?");
    expect(db.prepare("select b from t where a = ?")).toBe(first);
    expect(db.prepare("select a from t where a = ?")).not.toBe(first);
    expect(cachedStatementCount(db)).toBe(2);
    db.close();
  });

  it("keeps only the most recently used statements", () => {
    installStatementCache();
    const db = new Database(join(dir, "t.db"));
    for (let i = 0; i < 300; i++) db.prepare(`select ${i} from t`);
    expect(cachedStatementCount(db)).toBe(256);
    const recent = db.prepare("select 299 from t");
    expect(db.prepare("select 299 from t")).toBe(recent);
    db.close();
  });

  it("gives correct results when a cached statement is reused with new arguments, across writes, batches and transactions", async () => {
    const insert = "insert into t (a, b) values (?, ?)";
    for (let a = 1; a <= 5; a++) await client.execute({ sql: insert, args: [a, `row ${a}`] });
    const select = "select a, b from t where a >= ? order by a";
    expect((await client.execute({ sql: select, args: [4] })).rows.map((r) => r.b)).toEqual(["row 4", "row 5"]);
    expect((await client.execute({ sql: select, args: [2] })).rows.map((r) => r.a)).toEqual([2, 3, 4, 5]);
    await client.batch([{ sql: insert, args: [6, "row 6"] }, { sql: "update t set b = ? where a = ?", args: ["changed", 2] }], "write");
    const tx = await client.transaction("write");
    await tx.execute({ sql: insert, args: [7, "row 7"] });
    await tx.rollback();
    expect((await client.execute({ sql: select, args: [2] })).rows.map((r) => r.b)).toEqual(["changed", "row 3", "row 4", "row 5", "row 6"]);
    // A duplicate key fails and the statement stays usable.
    await expect(client.execute({ sql: insert, args: [1, "again"] })).rejects.toThrow(/UNIQUE/);
    await client.execute({ sql: insert, args: [8, "row 8"] });
    expect((await client.execute({ sql: "select count(*) as n from t", args: [] })).rows[0].n).toBe(7);
  });

  it("follows schema changes: a cached `select *` sees a column added after it was compiled", async () => {
    await client.execute({ sql: "insert into t (a, b) values (?, ?)", args: [1, "one"] });
    const before = await client.execute("select * from t");
    expect(before.columns).toEqual(["a", "b"]);
    await client.execute("alter table t add column c text default 'new'");
    const after = await client.execute("select * from t");
    expect(after.columns).toEqual(["a", "b", "c"]);
    expect(after.rows[0].c).toBe("new");
    await client.executeMultiple("-- a migration\nalter table t add column d text default 'newer';");
    expect((await client.execute("select * from t")).columns).toEqual(["a", "b", "c", "d"]);
    await client.execute("/* comment first */ alter table t add column e integer");
    expect((await client.execute("select * from t")).columns).toEqual(["a", "b", "c", "d", "e"]);
  });
});
