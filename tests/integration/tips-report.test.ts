import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appointments, organizations, users } from "../../db/schema";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";
import { chartingHelpers } from "../helpers/charting";

/** Tips per provider per pay period (issue 12). */
let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

const { visit } = chartingHelpers(() => app);

describe("tips by pay period", () => {
  it("reports each provider's tips on invoices paid in the period, as the clinic's pay period sets it", async () => {
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    const refused = await manager.post("/settings/billing", { intent: "payPeriod", payPeriod: "fortnightly", payPeriodAnchor: "2026-01-05" });
    expect(refused.status).toBe(400);
    expect((await manager.post("/settings/billing", { intent: "payPeriod", payPeriod: "weekly", payPeriodAnchor: "2026-01-05" })).status).toBe(200);
    const [org] = await app.db.select({ kind: organizations.payPeriod }).from(organizations).where(eq(organizations.slug, "lumen"));
    expect(org.kind).toBe("weekly");

    const v = await visit(1);
    await app.db.update(appointments).set({ priceCents: 20_000 }).where(eq(appointments.id, v.id));
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const invoiceId = (await desk.post(`/appointments/${v.id}`, { intent: "checkout" })).headers.get("location")!.replace("/invoices/", "");
    const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    expect((await desk.post(`/invoices/${invoiceId}`, { intent: "tip", tip: "custom", customAmount: "35", providerIds: provider.id })).status).toBe(302);
    await desk.post(`/invoices/${invoiceId}`, { intent: "pay", method: "cash", amount: "1000", paymentKey: crypto.randomUUID() });

    const report = await (await desk.get("/checkout/tips")).text();
    expect(report).toContain(provider.name);
    expect(report).toContain("$35.00");
    expect(report).toContain("Weekly");
    const lastWeek = new Date(Date.now() - 8 * 86_400_000).toISOString().slice(0, 10);
    expect(await (await desk.get(`/checkout/tips?date=${lastWeek}`)).text()).toContain("No tips this period");
  });
});
