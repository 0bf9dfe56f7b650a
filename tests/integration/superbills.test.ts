import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appointments, auditEvents, services, users } from "../../db/schema";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";
import { chartingHelpers } from "../helpers/charting";
import { pdfText } from "../helpers/pdf-text";

/** HSA/FSA on receipts and the superbill (issue 12, ADR 036). */
let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

const { visit } = chartingHelpers(() => app);

async function signedIn(email: string) {
  const client = new Client(app.url);
  await client.signIn(email);
  return client;
}

describe("HSA/FSA and superbills (issue 12)", () => {
  it("itemizes the eligible part of a receipt, and prints a superbill with the clinic's tax id, the provider's NPI and the codes", async () => {
    const manager = await signedIn(ROLE_EMAILS.manager);
    // The clinic's tax id and the provider's credentials, from the billing settings; a bad NPI is refused.
    expect((await manager.post("/settings/billing", { intent: "taxId", taxId: "12-3456789" })).status).toBe(200);
    const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const bad = await manager.post("/settings/billing", { intent: "provider", userId: provider.id, credentials: "RN, CANS", npi: "1234567894" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("doesn&#x27;t check out");
    expect((await manager.post("/settings/billing", { intent: "provider", userId: provider.id, credentials: "RN, CANS", npi: "1234567893" })).status).toBe(200);
    expect(await app.db.select({ npi: users.npi, credentials: users.credentials }).from(users).where(eq(users.id, provider.id))).toEqual([{ npi: "1234567893", credentials: "RN, CANS" }]);
    // Another clinic's user can't be given an NPI here.
    const [harborOwner] = await app.db.select().from(users).where(eq(users.email, "owner@harbor.example"));
    expect((await manager.post("/settings/billing", { intent: "provider", userId: harborOwner.id, npi: "1234567893" })).status).toBe(404);

    const v = await visit(1);
    const [service] = await app.db.select().from(appointments).where(eq(appointments.id, v.id));
    await app.db.update(services).set({ hsaEligible: true, procedureCode: "64612", diagnosisCode: "L74.510", billedByProduct: false }).where(eq(services.id, service.serviceId));
    await app.db.update(appointments).set({ priceCents: 60_000 }).where(eq(appointments.id, v.id));
    const desk = await signedIn(ROLE_EMAILS.front_desk);
    const opened = await desk.post(`/appointments/${v.id}`, { intent: "checkout" });
    const invoiceId = opened.headers.get("location")!.replace("/invoices/", "");
    await desk.post(`/invoices/${invoiceId}`, { intent: "pay", method: "cash", amount: "2000", paymentKey: crypto.randomUUID() });

    const receipt = pdfText(new Uint8Array(await (await desk.get(`/invoices/${invoiceId}/receipt.pdf?paper=letter`)).arrayBuffer()));
    expect(receipt).toContain("HSA/FSA eligible items");
    expect(receipt).toContain("Eligible subtotal (before tax)");
    expect(receipt).toContain("$600.00");

    const superbill = pdfText(new Uint8Array(await (await desk.get(`/invoices/${invoiceId}/superbill.pdf`)).arrayBuffer()));
    for (const expected of ["Superbill", "Tax id (EIN): 12-3456789", "RN, CANS", "NPI: 1234567893", "Diagnosis (ICD-10): L74.510", "64612", "Date of birth"]) expect(superbill).toContain(expected);
    const audited = await app.db.select().from(auditEvents).where(eq(auditEvents.action, "invoice.superbill_read"));
    expect(audited).toHaveLength(1);
    // Not another clinic's to read.
    const harbor = await signedIn("owner@harbor.example");
    expect((await harbor.get(`/invoices/${invoiceId}/superbill.pdf`)).status).toBe(404);
  });

  it("refuses codes that aren't shaped like CPT or ICD-10 on a service", async () => {
    const { ServiceSchema } = await import("../../app/settings/schemas");
    const base = { name: "Hyperhidrosis", category: "Injectables", durationMinutes: "30", price: "600" };
    expect(ServiceSchema.safeParse({ ...base, procedureCode: "646" }).success).toBe(false);
    expect(ServiceSchema.safeParse({ ...base, diagnosisCode: "sweaty" }).success).toBe(false);
    expect(ServiceSchema.safeParse({ ...base, procedureCode: "j0585", diagnosisCode: "l74.510" }).data).toMatchObject({ procedureCode: "J0585", diagnosisCode: "L74.510" });
  });
});
