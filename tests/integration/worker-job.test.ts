import { copyFileSync, rmSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openDatabase } from "../../db/client";
import { messages, organizations } from "../../db/schema";
import { FREE_PLAN_SUBREQUESTS } from "../../app/messaging/budget";
import { startWorker } from "../helpers/worker-runtime";
import { TEMPLATE_DB, TMP } from "../setup/paths";

/**
 * The message job as the Worker's cron trigger runs it, with SendGrid (a local fake of its API)
 * and the database over the Hrana harness: each invocation stays within the Free plan's 50
 * subrequests (database requests and provider calls together), and repeated runs send every due
 * message exactly once.
 */
const source = `${TMP}/dbs/job-source-${randomUUID()}.db`;
let worker: Awaited<ReturnType<typeof startWorker>>;
const sent: string[] = [];

beforeAll(async () => {
  copyFileSync(TEMPLATE_DB, source);
  const { client, db } = openDatabase(`file:${source}`);
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, "lumen"));
  const past = new Date(Date.now() - 60_000);
  await db.insert(messages).values(Array.from({ length: 120 }, (_, i) => ({ id: randomUUID(), organizationId: org.id, kind: "confirmation", channel: "email" as const, toAddress: `patient${i}@example.com`, subject: "Your visit", body: "See you soon.", nextAttemptAt: past, createdAt: past })));
  client.close();
  worker = await startWorker(source, {}, {
    bindings: { EMAIL_PROVIDER: "sendgrid", SENDGRID_API_KEY: "SG.test", SENDGRID_API_URL: "http://sendgrid.test", EMAIL_FROM: "Lumen <hello@lumen.example>" },
    async outbound(request) {
      const body = (await request.json()) as { personalizations: { to: { email: string }[] }[] };
      sent.push(body.personalizations[0].to[0].email);
      return new Response(null, { status: 202, headers: { "x-message-id": randomUUID() } });
    },
  });
}, 60_000);

afterAll(async () => {
  await worker?.close();
  for (const s of ["", "-wal", "-shm"]) rmSync(source + s, { force: true });
});

describe("the message job on the Worker", () => {
  it("stays within 50 subrequests per invocation and sends every due message once", async () => {
    const perRun: number[] = [];
    const scheduler = await worker.mf.getWorker();
    for (let run = 0; run < 6 && new Set(sent).size < 120; run++) {
      const before = worker.hrana.requests + sent.length;
      await scheduler.scheduled({ cron: "* * * * *", scheduledTime: new Date() });
      perRun.push(worker.hrana.requests + sent.length - before);
    }
    expect(Math.max(...perRun)).toBeLessThanOrEqual(FREE_PLAN_SUBREQUESTS);
    // Paged, not one at a time: two or three runs for 120 messages.
    expect(perRun.length).toBeLessThanOrEqual(3);
    expect(sent).toHaveLength(120);
    expect(new Set(sent).size).toBe(120);
    expect(await worker.sql("select count(*) from messages where status = 'sent'")).toBe("120");
  }, 60_000);
});
