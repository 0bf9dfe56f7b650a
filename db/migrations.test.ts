import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("migration journal", () => {
  // drizzle's migrator applies only migrations newer than the last one applied: a migration whose
  // `when` is not later than its predecessor's is silently skipped on every existing database.
  it("has strictly increasing timestamps", () => {
    const { entries } = JSON.parse(readFileSync(new URL("./migrations/meta/_journal.json", import.meta.url), "utf8")) as { entries: { tag: string; when: number }[] };
    for (let i = 1; i < entries.length; i++) expect(entries[i].when, entries[i].tag).toBeGreaterThan(entries[i - 1].when);
  });
});
