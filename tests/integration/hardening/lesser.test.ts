// Finding 11 (the lesser ones), issue 9: what staff search pages send, message bodies kept forever,
// time-off removal unaudited, session ends without an organization.
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../app/lib/logger.server";
import { parseEnv } from "../../../app/lib/env.server";
import { runMessageJob } from "../../../app/messaging/job.server";
import { auditEvents, messages, organizations, patients, scheduleExceptions, sessions, users } from "../../../db/schema";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

describe("11. lesser findings", () => {
  it("the booking page's patient search sends only what it shows (name and date of birth)", async () => {
    const [org] = await app.db.select().from(organizations).where(eq(organizations.slug, "lumen"));
    const [patient] = await app.db.select().from(patients).where(and(eq(patients.organizationId, org.id), eq(patients.lastName, "Avery")));
    await app.db.update(patients).set({ phone: "(212) 555-0199", email: "jordan.avery@example.com" }).where(eq(patients.id, patient.id));
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const searched = await desk.post("/schedule/new", { intent: "search", q: "Avery" });
    expect(searched.status).toBe(303);
    const page = await (await desk.get(searched.headers.get("location")!)).text();
    expect(page).toContain("Avery");
    expect(page).not.toContain("555-0199");
    expect(page).not.toContain("jordan.avery@example.com");
  });

  it("empties the text of messages finished more than 30 days ago, keeping the record that they were sent", async () => {
    const [org] = await app.db.select().from(organizations).where(eq(organizations.slug, "lumen"));
    const old = new Date(Date.now() - 31 * 86_400_000);
    const row = (id: string, status: "sent" | "pending", createdAt: Date) => ({ id, organizationId: org.id, kind: "confirmation", channel: "email" as const, toAddress: "a@example.com", subject: "Your visit", body: "Hello Jordan, your Botox visit…", status, nextAttemptAt: new Date(Date.now() + 86_400_000), createdAt });
    await app.db.insert(messages).values([row("old-sent", "sent", old), row("new-sent", "sent", new Date()), row("old-pending", "pending", old)]);
    const job = await runMessageJob({ db: app.db, clock: { now: () => new Date() }, env: parseEnv({ DATABASE_URL: "file:x", SESSION_SECRET: "x".repeat(32), APP_ORIGIN: app.origin }), logger: createLogger("silent") });
    expect(job.bodiesPurged).toBe(1);
    const bodies = Object.fromEntries((await app.db.select({ id: messages.id, body: messages.body, subject: messages.subject }).from(messages)).map((m) => [m.id, m]));
    expect(bodies["old-sent"]).toEqual({ id: "old-sent", body: "", subject: "Your visit" });
    expect(bodies["new-sent"].body).toContain("Hello Jordan");
    expect(bodies["old-pending"].body).toContain("Hello Jordan");
  });

  it("audits removing time off, and names the organization when a session ends", async () => {
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    expect((await manager.post(`/settings/staff/${provider.id}`, { intent: "add-time-off", date: "2030-03-04", reason: "Conference" })).status).toBe(200);
    const [off] = await app.db.select().from(scheduleExceptions).where(eq(scheduleExceptions.userId, provider.id));
    expect((await manager.post(`/settings/staff/${provider.id}`, { intent: "remove-time-off", id: off.id })).status).toBe(200);
    expect(await app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "time_off.delete"), eq(auditEvents.entityId, off.id)))).toHaveLength(1);

    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const [user] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.front_desk));
    await app.db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) }).where(eq(sessions.userId, user.id));
    expect((await desk.get("/today")).headers.get("location")).toContain("reason=idle");
    const [ended] = await app.db.select().from(auditEvents).where(eq(auditEvents.action, "auth.session_ended"));
    expect(ended.organizationId).toBeTruthy();
    expect(ended.entityId).toBe(user.id);
  });
});
