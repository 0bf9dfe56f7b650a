import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { organizations, patients } from "../../db/schema";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

async function orgId(slug: string) {
  const [org] = await app.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug));
  return org.id;
}

function patient(organizationId: string, p: { id: string; firstName: string; lastName: string; dateOfBirth?: string; phone?: string; email?: string }) {
  return { organizationId, dateOfBirth: "1980-01-01", createdAt: new Date(), ...p };
}

/** The names a search lists, as the desk sees them ("Last, First"). */
async function search(desk: Client, q: string) {
  const posted = await desk.post("/patients", { q });
  expect(posted.status).toBe(303);
  const res = await desk.get(posted.headers.get("location")!);
  expect(res.status).toBe(200);
  const html = await res.text();
  return [...html.matchAll(/href="\/patients\/[\w-]+"[^>]*>([^<]+)<!-- -->, <!-- -->([^<]+)</g)].map((m) => `${m[1]}, ${m[2]}`.replace(/&#x27;/g, "'"));
}

describe("patient search (issue 14)", () => {
  it("finds by surname prefix, a middle word, phone with or without punctuation, email and date of birth, only in the caller's organization", async () => {
    const lumen = await orgId("lumen");
    const harbor = await orgId("harbor");
    await app.db.insert(patients).values([
      patient(lumen, { id: "p-vdb", firstName: "Mary-Jane", lastName: "Van der Berg", phone: "(917) 555-0199", email: "mj.vdb@example.org", dateOfBirth: "1986-04-12" }),
      patient(lumen, { id: "p-oneil", firstName: "Siobhán", lastName: "O'Neil", phone: "646.555.0123", email: "siobhan@example.org" }),
      patient(lumen, { id: "p-gold", firstName: "Ann", lastName: "Goldquist", phone: "(212) 555-7777" }),
      patient(harbor, { id: "h-vdb", firstName: "Mary-Jane", lastName: "Van der Berg", phone: "(917) 555-0198", email: "mj.other@example.org", dateOfBirth: "1986-04-12" }),
    ]);
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);

    expect(await search(desk, "van")).toEqual(["Van der Berg, Mary-Jane"]);
    expect(await search(desk, "vAn DER")).toEqual(["Van der Berg, Mary-Jane"]);
    // A middle word, and each part of a hyphenated name.
    expect(await search(desk, "der")).toEqual(["Van der Berg, Mary-Jane"]);
    expect(await search(desk, "jane berg")).toEqual(["Van der Berg, Mary-Jane"]);
    // Word starts, not any substring: "quist" is not the start of a word of "Goldquist".
    expect(await search(desk, "quist")).toEqual([]);
    expect(await search(desk, "gold")).toEqual(["Goldquist, Ann"]);
    // Apostrophes and accents as people type them.
    expect(await search(desk, "oneil")).toEqual(["O'Neil, Siobhán"]);
    expect(await search(desk, "o'neil siobhan")).toEqual(["O'Neil, Siobhán"]);
    // Any run of digits, typed with or without punctuation.
    expect(await search(desk, "9175550199")).toEqual(["Van der Berg, Mary-Jane"]);
    expect(await search(desk, "(917) 555-0199")).toEqual(["Van der Berg, Mary-Jane"]);
    expect(await search(desk, "555-0123")).toEqual(["O'Neil, Siobhán"]);
    expect(await search(desk, "0199")).toEqual(["Van der Berg, Mary-Jane"]);
    expect(await search(desk, "mj.vdb@example.org")).toEqual(["Van der Berg, Mary-Jane"]);
    expect(await search(desk, "mj.")).toEqual(["Van der Berg, Mary-Jane"]);
    expect(await search(desk, "4/12/1986")).toEqual(["Van der Berg, Mary-Jane"]);
    expect(await search(desk, "1986-04-12")).toEqual(["Van der Berg, Mary-Jane"]);
    // Harbor's patient shares the name, the phone's digits and the birthday: never listed.
    expect(await search(desk, "mary-jane van der berg")).toEqual(["Van der Berg, Mary-Jane"]);
    expect(await search(desk, "917555019")).toEqual(["Van der Berg, Mary-Jane"]);
  });

  it("keeps the index in step when a patient's details change, and takes hostile text as text", async () => {
    const lumen = await orgId("lumen");
    await app.db.insert(patients).values(patient(lumen, { id: "p-1", firstName: "Dana", lastName: "Whitlock", phone: "(212) 555-0100" }));
    await app.db.update(patients).set({ lastName: "Ferreira", phone: "(718) 555-0111" }).where(eq(patients.id, "p-1"));
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    expect(await search(desk, "whitlock")).toEqual([]);
    expect(await search(desk, "ferreir")).toEqual(["Ferreira, Dana"]);
    expect(await search(desk, "7185550111")).toEqual(["Ferreira, Dana"]);
    expect(await search(desk, "2125550100")).toEqual([]);
    for (const hostile of ['"', 'dana" OR "', "NEAR(dana ferr)", "dana*", "{names}: x", "^da", "-- ;", "%_"]) {
      const posted = await desk.post("/patients", { q: hostile });
      expect((await desk.get(posted.headers.get("location")!)).status, hostile).toBe(200);
    }
    expect(await search(desk, "dana*")).toEqual([]);
  });

  it("counts at most 1,000 and asks for more than one letter", async () => {
    const lumen = await orgId("lumen");
    const many = Array.from({ length: 1_030 }, (_, i) => patient(lumen, { id: `bulk-${i}`, firstName: `Quinn${i}`, lastName: "Zephyrine" }));
    for (let i = 0; i < many.length; i += 200) await app.db.insert(patients).values(many.slice(i, i + 200));
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const posted = await desk.post("/patients", { q: "zephyr" });
    const html = await (await desk.get(posted.headers.get("location")!)).text();
    expect(html).toContain("1,000+ matching");
    expect(html).toContain("Page <!-- -->1<!-- --> of <!-- -->40");
    const short = await desk.post("/patients", { q: "z" });
    expect(await (await desk.get(short.headers.get("location")!)).text()).toContain("Type a little more");
  });
});
