import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memberships, organizations, patients } from "../../db/schema";
import { fakeSmtp } from "../helpers/fake-smtp";
import { Client, DEMO_PASSWORD, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
let smtp: Awaited<ReturnType<typeof fakeSmtp>>;
beforeEach(async () => {
  smtp = await fakeSmtp();
  app = await startTestApp({ EMAIL_PROVIDER: "smtp", SMTP_URL: smtp.url });
});
afterEach(async () => {
  await app.close();
  await smtp.close();
});

const orgId = async (slug: string) => (await app.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug)))[0].id;

describe("people in several organizations", () => {
  it("switch the organization they act in, and see only its records", async () => {
    const md = new Client(app.url);
    expect(await md.signIn(ROLE_EMAILS.medical_director)).toBe("/today");
    const lumenToday = await (await md.get("/today")).text();
    expect(lumenToday).toContain("Lumen Midtown");
    expect(lumenToday).toContain('name="organizationId"');
    const [lumenPatient] = await app.db.select({ id: patients.id }).from(patients).where(eq(patients.organizationId, await orgId("lumen"))).limit(1);
    expect((await md.get(`/patients/${lumenPatient.id}`)).status).toBe(200);

    const harbor = await orgId("harbor");
    const switched = await md.post("/resources/organization", { organizationId: harbor });
    expect(switched.headers.get("location")).toBe("/today");
    const harborToday = await (await md.get("/today")).text();
    expect(harborToday).toContain("Harbor Seaport");
    expect(harborToday).not.toContain("Lumen Midtown");
    expect((await md.get(`/patients/${lumenPatient.id}`)).status).toBe(404);

    // Next sign-in returns to where they last worked.
    const again = new Client(app.url);
    await again.signIn(ROLE_EMAILS.medical_director);
    expect(await (await again.get("/today")).text()).toContain("Harbor Seaport");
  });

  it("cannot switch into an organization they do not belong to", async () => {
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    expect((await desk.post("/resources/organization", { organizationId: await orgId("harbor") })).status).toBe(403);
    expect(await (await desk.get("/today")).text()).toContain("Lumen Midtown");
  });

  it("lose one clinic's access without losing the other's", async () => {
    const md = new Client(app.url);
    await md.signIn(ROLE_EMAILS.medical_director);
    await md.post("/resources/organization", { organizationId: await orgId("harbor") });
    const harborOwner = new Client(app.url);
    await harborOwner.signIn("owner@harbor.example");
    const mdId = (await app.db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.organizationId, await orgId("harbor")), eq(memberships.role, "medical_director"))))[0].userId;
    expect((await harborOwner.post(`/settings/staff/${mdId}`, { intent: "disable" })).status).toBe(200);
    expect((await md.get("/today")).status).toBe(302);
    const fresh = new Client(app.url);
    expect(await fresh.signIn(ROLE_EMAILS.medical_director)).toBe("/today");
    expect(await (await fresh.get("/today")).text()).toContain("Lumen Midtown");
    expect((await fresh.post("/resources/organization", { organizationId: await orgId("harbor") })).status).toBe(403);
  });

  it("join a second organization by invitation, confirming with their existing password", async () => {
    const harborOwner = new Client(app.url);
    await harborOwner.signIn("owner@harbor.example");
    const page = await (await harborOwner.get("/settings/staff")).text();
    const locationId = /name="locationIds"[^>]*value="([\w-]+)"/.exec(page)![1];
    expect((await harborOwner.post("/settings/staff", { name: "Front desk", email: ROLE_EMAILS.front_desk, role: "front_desk", locationIds: locationId })).status).toBe(200);
    expect((await harborOwner.post("/settings/staff", { name: "Front desk", email: ROLE_EMAILS.front_desk, role: "front_desk", locationIds: locationId })).status).toBe(409);
    const mail = await smtp.waitFor(ROLE_EMAILS.front_desk);
    const token = /\/invite\?token=([\w-]+)/.exec(mail.text)![1];
    const desk = new Client(app.url);
    const invitePage = await (await desk.get(`/invite?token=${token}`)).text();
    expect(invitePage).toContain("You already use Atrium with this email");
    expect((await desk.post("/invite", { token, password: "not-my-password" })).status).toBe(400);
    expect((await desk.post("/invite", { token, password: DEMO_PASSWORD })).headers.get("location")).toBe("/login?reason=invite_accepted");
    await desk.signIn(ROLE_EMAILS.front_desk);
    expect((await desk.post("/resources/organization", { organizationId: await orgId("harbor") })).status).toBe(302);
    expect(await (await desk.get("/today")).text()).toContain("Harbor Seaport");
  });
});
