import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { patients, submissionReplays } from "../../db/schema";
import { purgeSubmissionReplays, SUBMISSION_KEEP_MS } from "../../app/lib/submission-replay.server";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

const KEY = "3f9a7c2e-5b1d-4e8f-9a6c-0d2b4e6f8a1c";
const newPatient = { firstName: "Ines", lastName: "Replayton", dateOfBirth: "1990-04-12" };
// A JavaScript submission as Remix's client sends it (single fetch), with the page's key.
const submit = (client: Client, fields: Record<string, string>, key?: string) => client.post("/patients/new.data", fields, { headers: key ? { "atrium-submission": key } : {} });
const countReplaytons = async () => (await app.db.select({ id: patients.id }).from(patients).where(eq(patients.lastName, "Replayton"))).length;

describe("a submission sent again after its answer was lost", () => {
  it("gets the first answer again instead of running twice; without a key it would have run twice", async () => {
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const first = await submit(desk, newPatient, KEY);
    expect(first.status).toBe(202); // single fetch's redirect answer
    const firstBody = await first.text();
    expect(firstBody).toContain("/patients/");
    expect(await countReplaytons()).toBe(1);

    const again = await submit(desk, newPatient, KEY);
    expect(again.status).toBe(202);
    expect(again.headers.get("atrium-submission")).toBe("replayed");
    expect(await again.text()).toBe(firstBody);
    expect(await countReplaytons()).toBe(1);

    // The same form without a key is a new submission.
    expect((await submit(desk, newPatient)).status).toBe(202);
    expect(await countReplaytons()).toBe(2);
  });

  it("runs a retry of a refused submission again (nothing was written), and keeps nothing of it", async () => {
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const refused = await submit(desk, { ...newPatient, dateOfBirth: "not a date" }, KEY);
    expect(refused.status).toBe(400);
    expect(await app.db.select().from(submissionReplays)).toHaveLength(0);
    const retried = await submit(desk, newPatient, KEY);
    expect(retried.status).toBe(202);
    expect(retried.headers.get("atrium-submission")).toBeNull();
    expect(await countReplaytons()).toBe(1);
  });

  it("says 'still working on it' while the first attempt runs, refuses another session's key, and refuses a malformed key", async () => {
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    await app.db.insert(submissionReplays).values({ key: KEY, scope: "someone", state: "pending", createdAt: new Date() });
    const other = await submit(desk, newPatient, KEY);
    expect(other.status).toBe(409);
    expect(await countReplaytons()).toBe(0);

    const mine = "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6";
    await submit(desk, newPatient, mine);
    await app.db.update(submissionReplays).set({ state: "pending" }).where(eq(submissionReplays.key, mine));
    const pending = await submit(desk, newPatient, mine);
    expect(pending.status).toBe(409);
    expect(pending.headers.get("atrium-submission")).toBe("pending");
    expect(await countReplaytons()).toBe(1);

    // A claim left by a server that stopped mid-action is taken over after a minute.
    await app.db.update(submissionReplays).set({ createdAt: new Date(Date.now() - 61_000) }).where(eq(submissionReplays.key, mine));
    expect((await submit(desk, newPatient, mine)).status).toBe(202);
    expect(await countReplaytons()).toBe(2);

    expect((await submit(desk, newPatient, "short")).status).toBe(400);
    expect(await countReplaytons()).toBe(2);
  });

  it("forgets kept answers after a day", async () => {
    const now = Date.now();
    await app.db.insert(submissionReplays).values([
      { key: "old-old-old-old-old-1", scope: "s", state: "done", status: 202, body: "x", createdAt: new Date(now - SUBMISSION_KEEP_MS - 1) },
      { key: "new-new-new-new-new-1", scope: "s", state: "done", status: 202, body: "x", createdAt: new Date(now - 60_000) },
    ]);
    expect(await purgeSubmissionReplays({ db: app.db, clock: { now: () => new Date(now) } })).toBe(1);
    expect((await app.db.select({ key: submissionReplays.key }).from(submissionReplays)).map((r) => r.key)).toEqual(["new-new-new-new-new-1"]);
  });
});
