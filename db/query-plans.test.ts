import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client";
import { migrateDatabase } from "./migrate";

const dir = mkdtempSync(join(tmpdir(), "atrium-plans-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("query plans on a fresh database (no statistics)", () => {
  // Every signed-in request asks whether the user is a patient of the session's organization.
  // Answered from an (organization_id, …) index it walked every patient of the organization:
  // 72 ms a request on the large set, most of the schedule page's time.
  it("finds a signed-in user's patient record by user and organization, not by walking the organization", async () => {
    const { client, db } = openDatabase(`file:${join(dir, "plans.db")}`);
    await migrateDatabase(db);
    const plan = await db.all<{ detail: string }>(sql.raw("explain query plan select p.id from patients p inner join (select organization_id, user_id from sessions where id = 'x') s on s.user_id = p.user_id and s.organization_id = p.organization_id limit 1"));
    expect(plan.map((r) => r.detail).join("\n")).toContain("patients_user_org_idx (user_id=? AND organization_id=?)");
    client.close();
  });
});
