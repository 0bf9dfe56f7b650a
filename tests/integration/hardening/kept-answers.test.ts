// Finding 10 (secrets in the submission-replay store), issue 9: an answer that carries a secret
// (recovery codes, a private calendar link) is never kept for replay.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateTotp } from "../../../app/auth/totp.server";
import { submissionReplays, users } from "../../../db/schema";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

const keyed = (client: Client, path: string, fields: Record<string, string>, key: string) => client.post(path, fields, { headers: { "atrium-submission": key } });
const kept = async () => (await app.db.select().from(submissionReplays)).map((r) => r.body ?? "").join("\n");

describe("10. answers that carry secrets", () => {
  it("are never kept: recovery codes and a private calendar link reach the person once and are stored nowhere", async () => {
    const provider = new Client(app.url);
    await provider.signIn(ROLE_EMAILS.provider);
    const feed = await keyed(provider, "/account/calendar.data", { intent: "on" }, "a1b2c3d4e5f6a7b8c9d0");
    expect(feed.status).toBe(200);
    const link = /\/feeds\/([\w-]+)\/calendar\.ics/.exec(await feed.text())![1];
    expect(await kept()).not.toContain(link);

    expect((await provider.get("/account/mfa")).status).toBe(200);
    const [user] = await app.db.select({ pending: users.mfaPendingSecret }).from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const enrolled = await keyed(provider, "/account/mfa.data", { intent: "enrol", code: generateTotp(user.pending!, Date.now()) }, "b1b2c3d4e5f6a7b8c9d0");
    expect(enrolled.status).toBe(200);
    const codes = (await enrolled.text()).match(/[a-z0-9]{5}-[a-z0-9]{5}/g)!;
    expect(codes.length).toBeGreaterThanOrEqual(10);
    const store = await kept();
    for (const code of codes) expect(store).not.toContain(code);
    // Their keys are let go, not left pending.
    expect(await app.db.select().from(submissionReplays)).toEqual([]);
  });
});
