import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseEnv } from "../../app/lib/env.server";
import { createLogger } from "../../app/lib/logger.server";
import { dueReminder, queueAppointmentMessages } from "../../app/messaging/appointment-messages.server";
import { runMessageJob } from "../../app/messaging/job.server";
import { backoffMs, enqueue, MAX_ATTEMPTS } from "../../app/messaging/outbox.server";
import { sendgridTransport, twilioTransport, localTransport } from "../../app/messaging/transports";
import { appointments, locations, messages, patients, services, users } from "../../db/schema";
import { fakeApi } from "../helpers/fake-http";
import { startTestApp, type TestApp } from "../helpers/test-app";

describe("channel adapters against local fakes of the provider APIs", () => {
  it("sends email with SendGrid's v3 Mail Send request", async () => {
    const api = await fakeApi(() => ({ status: 202, headers: { "x-message-id": "sg-123" } }));
    try {
      const result = await sendgridTransport({ apiKey: "SG.key", from: "Lumen <hello@lumen.example>", baseUrl: api.url }).send({ channel: "email", to: "ann@example.com", subject: "Hi", body: "Body" });
      expect(result).toEqual({ ok: true, providerMessageId: "sg-123", local: false });
      const [req] = api.requests;
      expect(req.method).toBe("POST");
      expect(req.url).toBe("/v3/mail/send");
      expect(req.headers.authorization).toBe("Bearer SG.key");
      expect(JSON.parse(req.body)).toEqual({ personalizations: [{ to: [{ email: "ann@example.com" }] }], from: { name: "Lumen", email: "hello@lumen.example" }, subject: "Hi", content: [{ type: "text/plain", value: "Body" }] });
      await sendgridTransport({ apiKey: "SG.key", from: "hello@lumen.example", baseUrl: api.url }).send({ channel: "email", to: "ann@example.com", subject: "Hi", body: "Body", unsubscribeUrl: "https://clinic.example/unsubscribe/abc" });
      expect(JSON.parse(api.requests[1].body).headers).toEqual({ "List-Unsubscribe": "<https://clinic.example/unsubscribe/abc>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    } finally {
      await api.close();
    }
  });

  it("sends texts with Twilio's Messages resource", async () => {
    const api = await fakeApi(() => ({ status: 201, body: { sid: "SM123", status: "queued" } }));
    try {
      const result = await twilioTransport({ accountSid: "AC1", authToken: "tok", from: "+12125550100", baseUrl: api.url }).send({ channel: "sms", to: "+13105550101", subject: "", body: "Hello" });
      expect(result).toEqual({ ok: true, providerMessageId: "SM123", local: false });
      const [req] = api.requests;
      expect(req.url).toBe("/2010-04-01/Accounts/AC1/Messages.json");
      expect(req.headers.authorization).toBe(`Basic ${Buffer.from("AC1:tok").toString("base64")}`);
      expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({ To: "+13105550101", From: "+12125550100", Body: "Hello" });
    } finally {
      await api.close();
    }
  });

  it("tells retryable failures from permanent ones", async () => {
    let status = 503;
    const api = await fakeApi(() => ({ status, body: { errors: [{ message: "nope" }] } }));
    try {
      const t = sendgridTransport({ apiKey: "k", from: "a@b.c", baseUrl: api.url });
      const m = { channel: "email" as const, to: "x@y.z", subject: "s", body: "b" };
      expect(await t.send(m)).toEqual({ ok: false, code: "http_503", retryable: true });
      status = 400;
      expect(await t.send(m)).toEqual({ ok: false, code: "http_400", retryable: false });
    } finally {
      await api.close();
    }
    expect(await sendgridTransport({ apiKey: "k", from: "a@b.c", baseUrl: "http://127.0.0.1:9" }).send({ channel: "email", to: "x@y.z", subject: "s", body: "b" })).toEqual({ ok: false, code: "network", retryable: true });
  });

  it("picks the reminder that is due", () => {
    const now = 0;
    expect(dueReminder(30 * 3600_000, now, [24, 2])).toBeNull();
    expect(dueReminder(20 * 3600_000, now, [24, 2])).toBe(24);
    expect(dueReminder(1 * 3600_000, now, [24, 2])).toBe(2);
    expect(dueReminder(-1, now, [24, 2])).toBeNull();
  });
});

describe("the message job", () => {
  let app: TestApp;
  let now = Date.now();
  const ctx = () => ({ db: app.db, clock: { now: () => new Date(now) }, env: parseEnv({ DATABASE_URL: "file:x", SESSION_SECRET: "x".repeat(32), APP_ORIGIN: app.url }), logger: createLogger("silent") });

  beforeEach(async () => {
    app = await startTestApp();
    now = Date.now();
  });
  afterEach(async () => {
    await app.close();
  });

  async function appointmentIn(hours: number) {
    const [patient] = await app.db.select().from(patients).where(eq(patients.lastName, "Avery"));
    await app.db.update(patients).set({ emailConsent: true, smsConsent: true, phone: "(212) 555-0123" }).where(eq(patients.id, patient.id));
    const [provider] = await app.db.select().from(users).where(eq(users.email, "provider@lumen.example"));
    const [service] = await app.db.select().from(services).where(eq(services.organizationId, patient.organizationId)).limit(1);
    const [location] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
    const id = crypto.randomUUID();
    const start = new Date(now + hours * 3600_000);
    await app.db.insert(appointments).values({ id, organizationId: patient.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, status: "confirmed", startsAt: start, endsAt: new Date(start.getTime() + 1800_000), blockStart: start, blockEnd: new Date(start.getTime() + 1800_000), priceCents: 1, createdAt: new Date(now) });
    return id;
  }

  it("queues each appointment message once per channel, by consent, and delivers locally", async () => {
    const id = await appointmentIn(72);
    expect(await queueAppointmentMessages(ctx(), id, "confirmation")).toBe(2);
    expect(await queueAppointmentMessages(ctx(), id, "confirmation")).toBe(0);
    const result = await runMessageJob(ctx());
    expect(result.sent).toBe(2);
    const rows = await app.db.select().from(messages).where(eq(messages.appointmentId, id));
    expect(rows.map((r) => `${r.channel}:${r.status}`).sort()).toEqual(["email:delivered_local", "sms:delivered_local"]);
    expect(rows.find((r) => r.channel === "sms")!.body).toContain("Reply STOP to opt out.");
  });

  it("sends the 24-hour and 2-hour reminders once each as time passes", async () => {
    const id = await appointmentIn(30);
    expect((await runMessageJob(ctx())).reminders).toBe(0);
    now += 7 * 3600_000; // 23 h before
    expect((await runMessageJob(ctx())).reminders).toBe(2);
    expect((await runMessageJob(ctx())).reminders).toBe(0);
    now += 21.5 * 3600_000; // 1.5 h before
    expect((await runMessageJob(ctx())).reminders).toBe(2);
    const kinds = (await app.db.select().from(messages).where(eq(messages.appointmentId, id))).map((m) => m.kind).sort();
    expect(kinds).toEqual(["reminder_24h", "reminder_24h", "reminder_2h", "reminder_2h"]);
  });

  it("retries with backoff and dead-letters after the last attempt", async () => {
    const api = await fakeApi(() => ({ status: 503 }));
    try {
      const transports = { email: sendgridTransport({ apiKey: "k", from: "a@b.c", baseUrl: api.url }), sms: localTransport };
      await enqueue(ctx(), { organizationId: null, kind: "test", channel: "email", to: "x@example.com", subject: "s", body: "b" });
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const out = await runMessageJob(ctx(), transports);
        expect(out.retry + out.dead).toBe(1);
        expect(await runMessageJob(ctx(), transports)).toMatchObject({ sent: 0, retry: 0, dead: 0 }); // not due yet
        now += backoffMs(attempt);
      }
      const [row] = await app.db.select().from(messages).where(eq(messages.kind, "test"));
      expect(row).toMatchObject({ status: "dead", attempts: MAX_ATTEMPTS, lastError: "http_503" });
      expect(api.requests).toHaveLength(MAX_ATTEMPTS);
    } finally {
      await api.close();
    }
  });
});

describe("email opt-out", () => {
  it("puts a signed one-click unsubscribe link in patient emails that turns email consent off", async () => {
    const app = await startTestApp();
    try {
      const [patient] = await app.db.select().from(patients).where(eq(patients.lastName, "Avery"));
      await app.db.update(patients).set({ emailConsent: true, smsConsent: false }).where(eq(patients.id, patient.id));
      const [provider] = await app.db.select().from(users).where(eq(users.email, "provider@lumen.example"));
      const [service] = await app.db.select().from(services).where(eq(services.organizationId, patient.organizationId)).limit(1);
      const [location] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
      const id = crypto.randomUUID();
      const start = new Date(Date.now() + 72 * 3600_000);
      await app.db.insert(appointments).values({ id, organizationId: patient.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, status: "confirmed", startsAt: start, endsAt: new Date(start.getTime() + 1800_000), blockStart: start, blockEnd: new Date(start.getTime() + 1800_000), priceCents: 1, createdAt: new Date() });
      const ctx = { db: app.db, clock: { now: () => new Date() }, env: parseEnv({ DATABASE_URL: "file:x", SESSION_SECRET: "test-secret-test-secret-test-secret-0123", APP_ORIGIN: app.url }), logger: createLogger("silent"), origin: app.url };
      await queueAppointmentMessages(ctx, id, "confirmation");
      const [email] = await app.db.select().from(messages).where(eq(messages.channel, "email"));
      const link = /To stop these emails: (\S+)/.exec(email.body)![1];
      expect(email.unsubscribeUrl).toBe(link);
      const path = new URL(link).pathname;
      // Opening the link only asks; a tampered link is refused.
      expect(await (await fetch(`${app.url}${path}`)).text()).toContain("Stop emails");
      expect((await app.db.select().from(patients).where(eq(patients.id, patient.id)))[0].emailConsent).toBe(true);
      expect((await fetch(`${app.url}${path.slice(0, -2)}xx`, { method: "POST", body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }) })).status).toBe(404);
      // A mail app's RFC 8058 one-click POST comes with no Origin.
      const res = await fetch(`${app.url}${path}`, { method: "POST", body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }) });
      expect(res.status).toBe(200);
      expect((await app.db.select().from(patients).where(eq(patients.id, patient.id)))[0].emailConsent).toBe(false);
      expect(await queueAppointmentMessages(ctx, id, "cancellation")).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe("SMS replies", () => {
  it("turn SMS consent off on STOP, only with Twilio's signature, and only at the clinic that texted the number", async () => {
    const { twilioSignature } = await import("../../app/messaging/twilio-webhook.server");
    const app = await startTestApp({ SMS_PROVIDER: "twilio", TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "secret-token", TWILIO_FROM: "+12125550100" });
    try {
      // The same person (same mobile) is a patient of two clinics; only the first has texted them.
      const [patient, elsewhere] = await app.db.select().from(patients).where(eq(patients.lastName, "Avery")).orderBy(patients.organizationId);
      expect(elsewhere.organizationId).not.toBe(patient.organizationId);
      for (const p of [patient, elsewhere]) await app.db.update(patients).set({ smsConsent: true, phone: "(212) 555-0177" }).where(eq(patients.id, p.id));
      await app.db.insert(messages).values({ id: crypto.randomUUID(), organizationId: patient.organizationId, kind: "confirmation", channel: "sms", toAddress: "(212) 555-0177", subject: "s", body: "b", status: "sent", nextAttemptAt: new Date(), createdAt: new Date() });
      // Twilio signs the public URL it was given, which is what the app checks against.
      const url = `${app.origin}/webhooks/twilio/sms`;
      const params = { From: "+12125550177", Body: " stop ", MessageSid: "SM1" };
      const post = (signature: string) => fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature }, body: new URLSearchParams(params) });
      expect((await post("forged")).status).toBe(403);
      expect((await app.db.select().from(patients).where(eq(patients.id, patient.id)))[0].smsConsent).toBe(true);
      const ok = await post(await twilioSignature("secret-token", url, params));
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain("<Response></Response>");
      expect((await app.db.select().from(patients).where(eq(patients.id, patient.id)))[0].smsConsent).toBe(false);
      expect((await app.db.select().from(patients).where(eq(patients.id, elsewhere.id)))[0].smsConsent).toBe(true);
    } finally {
      await app.close();
    }
  });
});
