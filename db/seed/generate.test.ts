import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc, count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../client";
import { migrateDatabase } from "../migrate";
import { locations, memberships, patients } from "../schema";
import { generateDemoData } from "./generate";

async function seeded(seed: number) {
  const dir = mkdtempSync(join(tmpdir(), "atrium-seed-"));
  const { client, db } = openDatabase(`file:${dir}/seed.db`);
  await migrateDatabase(db);
  await generateDemoData(db, { size: "test", seed });
  const first = await db.select({ id: patients.id, firstName: patients.firstName, lastName: patients.lastName, email: patients.email, phone: patients.phone, dob: patients.dateOfBirth }).from(patients).orderBy(asc(patients.id)).limit(20);
  const zones = (await db.select({ tz: locations.timeZone }).from(locations)).map((l) => l.tz);
  const roles = new Set((await db.select({ role: memberships.role }).from(memberships)).map((u) => u.role));
  const [{ n }] = await db.select({ n: count() }).from(patients);
  client.close();
  rmSync(dir, { recursive: true, force: true });
  return { first, zones, roles, n };
}

describe("demo data generator", () => {
  it("is reproducible from its seed and differs between seeds", async () => {
    const a = await seeded(7);
    const b = await seeded(7);
    const c = await seeded(8);
    expect(a.first).toEqual(b.first);
    expect(a.first).not.toEqual(c.first);
    expect(a.n).toBe(70);
    expect(new Set(a.zones).size).toBeGreaterThanOrEqual(2);
    expect([...a.roles].sort()).toEqual(["front_desk", "manager", "medical_director", "owner", "patient", "provider"]);
    for (const p of a.first) {
      expect(p.email).toMatch(/@(example\.com|lumen\.example|harbor\.example)$/);
      expect(p.phone).toMatch(/\d{3}.*\d{4}/);
    }
  });
});
