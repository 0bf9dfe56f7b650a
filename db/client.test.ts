import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, tuneLocalDatabase } from "./client";

describe("local database connections", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  // Pragmas belong to a connection: the busy retry opens fresh ones (app/lib/busy-client.ts), and
  // they must not come back without foreign keys or with SQLite's 2 MB page cache.
  it("keeps foreign keys and the page cache on connections opened after a reconnect", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tune-"));
    dirs.push(dir);
    const url = `file:${join(dir, "t.db")}`;
    const { client } = openDatabase(url);
    await tuneLocalDatabase(client, url);
    const pragmas = async () => ({
      foreignKeys: (await client.execute("PRAGMA foreign_keys")).rows[0][0],
      cacheSize: (await client.execute("PRAGMA cache_size")).rows[0][0],
    });
    expect(await pragmas()).toEqual({ foreignKeys: 1, cacheSize: -65536 });
    await client.reconnect();
    expect(await pragmas()).toEqual({ foreignKeys: 1, cacheSize: -65536 });
    client.close();
  });
});
