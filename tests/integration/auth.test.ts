import { and, desc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateTotp, newTotpSecret } from "../../app/auth/totp.server";
import { auditEvents, sessions, users } from "../../db/schema";
import { fakeSmtp } from "../helpers/fake-smtp";
import { Client, DEMO_PASSWORD, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

const HOMES = { owner: "/today", manager: "/today", front_desk: "/today", provider: "/provider", medical_director: "/today", patient: "/portal" } as const;

describe("sign-in", () => {
  it.each(Object.entries(HOMES))("%s lands on their home page", async (role, home) => {
    const client = new Client(app.url);
    expect(await client.signIn(ROLE_EMAILS[role as keyof typeof ROLE_EMAILS])).toBe(home);
    const page = await client.get(home);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toContain("no-store");
  });

  it("refuses a wrong password with one message for every cause, and audits it without the password", async () => {
    const client = new Client(app.url);
    const res = await client.post("/login", { email: ROLE_EMAILS.front_desk, password: "wrong-password-123" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("That email and password do not match an active account.");
    const unknown = await client.post("/login", { email: "nobody@lumen.example", password: "wrong-password-123" });
    expect(unknown.status).toBe(400);
    const [event] = await app.db.select().from(auditEvents).where(eq(auditEvents.action, "auth.sign_in")).orderBy(desc(auditEvents.id)).limit(1);
    expect(event.reason).toBe("unknown_account");
    const all = await app.db.select().from(auditEvents);
    expect(JSON.stringify(all)).not.toContain("wrong-password-123");
  });

  it("throttles an account after 5 failures, even with the right password", async () => {
    const client = new Client(app.url);
    for (let i = 0; i < 5; i++) expect((await client.post("/login", { email: ROLE_EMAILS.provider, password: `nope-${i}-xxxxxxx` })).status).toBe(400);
    const blocked = await client.post("/login", { email: ROLE_EMAILS.provider, password: DEMO_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toMatch(/Too many failed attempts\. For your security, try again in 15 minutes/);
    // Another account from another address is unaffected.
    expect(await new Client(app.url).signIn(ROLE_EMAILS.front_desk)).toBe("/today");
  });

  it("throttles an IP address after 20 failures across accounts", async () => {
    const client = new Client(app.url);
    for (let i = 0; i < 20; i++) await client.post("/login", { email: `guess${i}@lumen.example`, password: "wrong-password-123" });
    const blocked = await client.post("/login", { email: ROLE_EMAILS.front_desk, password: DEMO_PASSWORD });
    expect(blocked.status).toBe(429);
  });

  it("validates fields on the server with field-level messages", async () => {
    const res = await new Client(app.url).post("/login", { email: "not-an-email", password: "" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Enter a valid email address");
    expect(html).toContain("Enter your password.");
  });

  it("never redirects off-site after sign-in", async () => {
    const res = await new Client(app.url).post("/login", { email: ROLE_EMAILS.front_desk, password: DEMO_PASSWORD, redirectTo: "//evil.example/phish" });
    expect(res.headers.get("location")).toBe("/today");
  });
});

describe("sessions", () => {
  it("is a signed HttpOnly SameSite=Lax cookie, with Secure and HSTS whenever the origin is HTTPS", async () => {
    const res = await new Client(app.url).post("/login", { email: ROLE_EMAILS.front_desk, password: DEMO_PASSWORD });
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/atrium_session=[^;]+\.[^;]+/); // value.signature
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    // npm start runs in production mode on http://localhost: no Secure cookie a browser would drop.
    const local = await startTestApp({ NODE_ENV: "production" });
    try {
      const r = await new Client(local.url).post("/login", { email: ROLE_EMAILS.front_desk, password: DEMO_PASSWORD });
      expect(r.headers.get("set-cookie")).not.toMatch(/Secure/i);
      expect(r.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await local.close();
    }
    const prod = await startTestApp({ APP_ORIGIN: "https://clinic.example.com" });
    try {
      const r = await new Client(prod.url).post("/login", { email: ROLE_EMAILS.front_desk, password: DEMO_PASSWORD });
      expect(r.headers.get("set-cookie")).toMatch(/Secure/i);
      expect(r.headers.get("strict-transport-security")).toContain("max-age=");
    } finally {
      await prod.close();
    }
  });

  it("rejects a tampered cookie", async () => {
    const client = new Client(app.url);
    await client.signIn(ROLE_EMAILS.front_desk);
    const value = client.cookies.get("atrium_session")!;
    client.cookies.set("atrium_session", value.replace(/.$/, (c) => (c === "A" ? "B" : "A")));
    expect((await client.get("/today")).status).toBe(302);
  });

  it("ends after the organization's idle timeout (staff 30 minutes by default)", async () => {
    const client = new Client(app.url);
    await client.signIn(ROLE_EMAILS.front_desk);
    const [user] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.front_desk));
    await app.db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 29 * 60_000) }).where(eq(sessions.userId, user.id));
    expect((await client.get("/today")).status).toBe(200);
    await app.db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) }).where(eq(sessions.userId, user.id));
    const res = await client.get("/today");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("reason=idle");
    // And it stays ended even if activity resumes.
    expect((await client.get("/today")).status).toBe(302);
  });

  it("gives patients 60 idle minutes", async () => {
    const client = new Client(app.url);
    await client.signIn(ROLE_EMAILS.patient);
    const [user] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.patient));
    await app.db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 45 * 60_000) }).where(eq(sessions.userId, user.id));
    expect((await client.get("/portal")).status).toBe(200);
  });

  it("ends at the absolute lifetime of 12 hours whatever the activity", async () => {
    const client = new Client(app.url);
    await client.signIn(ROLE_EMAILS.front_desk);
    const [user] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.front_desk));
    const [s] = await app.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(s.expiresAt.getTime() - s.createdAt.getTime()).toBe(12 * 3600_000);
    await app.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.userId, user.id));
    expect((await client.get("/today")).headers.get("location")).toContain("reason=expired");
  });

  it("signs out everywhere", async () => {
    const desk = new Client(app.url);
    const tablet = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    await tablet.signIn(ROLE_EMAILS.front_desk);
    expect((await desk.post("/logout", { scope: "everywhere" })).status).toBe(302);
    expect((await tablet.get("/today")).status).toBe(302);
  });

  it("ends every session of a user the moment a manager disables them", async () => {
    const provider = new Client(app.url);
    await provider.signIn(ROLE_EMAILS.provider);
    expect((await provider.get("/provider")).status).toBe(200);
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    const [target] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    expect((await manager.post(`/settings/staff/${target.id}`, { intent: "disable" })).status).toBe(200);
    const res = await provider.get("/provider");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/reason=(revoked|disabled)/);
    expect((await new Client(app.url).post("/login", { email: ROLE_EMAILS.provider, password: DEMO_PASSWORD })).status).toBe(400);
  });
});

describe("multi-factor", () => {
  it("sends owners without MFA to enrol, then verifies a code and issues recovery codes", async () => {
    const [owner] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.owner));
    await app.db.update(users).set({ mfaSecret: null, mfaEnabledAt: null }).where(eq(users.id, owner.id));
    const client = new Client(app.url);
    expect(await client.signIn(ROLE_EMAILS.owner)).toBe("/today");
    const blocked = await client.get("/today");
    expect(blocked.headers.get("location")).toBe("/account/mfa?required=1");
    const page = await (await client.get("/account/mfa?required=1")).text();
    expect(page).toContain("<svg");
    const secret = /data-testid="mfa-secret">([A-Z2-7]+)</.exec(page)![1];
    expect((await client.post("/account/mfa", { intent: "enrol", code: "000000" })).status).toBe(400);
    const ok = await client.post("/account/mfa", { intent: "enrol", code: generateTotp(secret, Date.now()) });
    expect(ok.status).toBe(200);
    const codes = [...(await ok.text()).matchAll(/>([a-z0-9]{5}-[a-z0-9]{5})</g)].map((m) => m[1]);
    expect(codes).toHaveLength(10);
    expect((await client.get("/today")).status).toBe(200);

    // Next sign-in needs the second factor; a recovery code works once.
    const again = new Client(app.url);
    expect((await again.post("/login", { email: ROLE_EMAILS.owner, password: DEMO_PASSWORD })).headers.get("location")).toBe("/login/mfa");
    expect((await again.get("/today")).headers.get("location")).toBe("/login/mfa");
    expect((await again.post("/login/mfa", { code: codes[0] })).headers.get("location")).toBe("/today");
    const third = new Client(app.url);
    await third.post("/login", { email: ROLE_EMAILS.owner, password: DEMO_PASSWORD });
    expect((await third.post("/login/mfa", { code: codes[0] })).status).toBe(400);
  });

  it("refuses a replayed TOTP code and throttles guessing", async () => {
    const client = new Client(app.url);
    const now = Date.now();
    await client.signIn(ROLE_EMAILS.manager, DEMO_PASSWORD, { at: now });
    const replay = new Client(app.url);
    await replay.post("/login", { email: ROLE_EMAILS.manager, password: DEMO_PASSWORD });
    const { TEST_TOTP_SECRET } = await import("../helpers/test-app");
    expect((await replay.post("/login/mfa", { code: generateTotp(TEST_TOTP_SECRET, now) })).status).toBe(400);
    for (let i = 0; i < 4; i++) await replay.post("/login/mfa", { code: "123456" });
    expect((await replay.post("/login/mfa", { code: generateTotp(TEST_TOTP_SECRET, now + 30_000) })).status).toBe(429);
    const events = await app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "auth.mfa_verify"), eq(auditEvents.outcome, "denied")));
    expect(events.length).toBeGreaterThanOrEqual(5);
  });

  it("lets an organization require MFA for every staff member", async () => {
    const owner = new Client(app.url);
    await owner.signIn(ROLE_EMAILS.owner);
    const res = await owner.post("/settings/organization", { name: "Lumen Aesthetics", staffIdleMinutes: "30", patientIdleMinutes: "60", mfaRequiredForAllStaff: "on" });
    expect(res.status).toBe(200);
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    expect((await desk.get("/today")).headers.get("location")).toBe("/account/mfa?required=1");
    const patient = new Client(app.url);
    await patient.signIn(ROLE_EMAILS.patient);
    expect((await patient.get("/portal")).status).toBe(200);
    expect(newTotpSecret()).toMatch(/^[A-Z2-7]{32}$/);
  });
});

describe("password reset and invitations", () => {
  let smtp: Awaited<ReturnType<typeof fakeSmtp>>;
  beforeEach(async () => {
    smtp = await fakeSmtp();
    await app.close();
    app = await startTestApp({ EMAIL_PROVIDER: "smtp", SMTP_URL: smtp.url });
  });
  afterEach(async () => {
    await smtp.close();
  });

  it("emails a single-use reset link through the outbox, and ends old sessions", async () => {
    const old = new Client(app.url);
    await old.signIn(ROLE_EMAILS.provider);
    const anon = new Client(app.url);
    const res = await anon.post("/forgot-password", { email: ROLE_EMAILS.provider });
    expect(res.status).toBe(200);
    const same = await anon.post("/forgot-password", { email: "nobody@lumen.example" });
    expect(await same.text()).toContain("If that address belongs to an active account");
    const mail = await smtp.waitFor(ROLE_EMAILS.provider);
    const link = /\/reset-password\?token=[\w-]+/.exec(mail.text)![0];
    const token = link.split("=")[1];
    // The link is a secret: its page is never cached, and never sent on as a referrer.
    const page = await anon.get(link);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("cache-control")).toContain("no-store");
    expect((await anon.post("/reset-password", { token, password: "short", confirm: "short" })).status).toBe(400);
    const done = await anon.post("/reset-password", { token, password: "a-brand-new-password", confirm: "a-brand-new-password" });
    expect(done.headers.get("location")).toBe("/login?reason=password_reset");
    expect((await anon.post("/reset-password", { token, password: "another-new-password", confirm: "another-new-password" })).status).toBe(400);
    expect((await old.get("/provider")).status).toBe(302);
    expect(await new Client(app.url).signIn(ROLE_EMAILS.provider, "a-brand-new-password")).toBe("/provider");
  });

  it("lets a manager invite staff, who set a password and sign in", async () => {
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    const page = await (await manager.get("/settings/staff")).text();
    const locationId = /name="locationIds"[^>]*value="([\w-]+)"/.exec(page)![1];
    const res = await manager.post("/settings/staff", { name: "Casey Nguyen", email: "casey@lumen.example", role: "front_desk", locationIds: [locationId] });
    expect(res.status).toBe(200);
    expect((await manager.post("/settings/staff", { name: "Owner Two", email: "owner2@lumen.example", role: "owner", locationIds: [locationId] })).status).toBe(403);
    const mail = await smtp.waitFor("casey@lumen.example");
    const token = /\/invite\?token=([\w-]+)/.exec(mail.text)![1];
    const casey = new Client(app.url);
    expect((await casey.post("/invite", { token, password: "caseys-password-1", confirm: "caseys-password-1" })).status).toBe(302);
    expect(await casey.signIn("casey@lumen.example", "caseys-password-1")).toBe("/today");
  });

  it("lets the front desk invite a patient to the portal", async () => {
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const created = await desk.post("/patients/new", { firstName: "Riley", lastName: "O'Neil", dateOfBirth: "1990-04-12", email: "riley@example.com", phone: "(555) 010-2030", emailConsent: "on" });
    expect(created.status).toBe(302);
    const path = created.headers.get("location")!.split("?")[0];
    expect((await desk.post(path, { intent: "invite" })).status).toBe(200);
    const mail = await smtp.waitFor("riley@example.com");
    const token = /\/invite\?token=([\w-]+)/.exec(mail.text)![1];
    const riley = new Client(app.url);
    await riley.post("/invite", { token, password: "rileys-password-1", confirm: "rileys-password-1" });
    expect(await riley.signIn("riley@example.com", "rileys-password-1")).toBe("/portal");
    expect(await (await riley.get("/portal/profile")).text()).toMatch(/born (<!-- -->)?Apr 12, 1990/);
  });
});
