import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PDFDocument } from "pdf-lib";
import { appointments, auditEvents, invoices, messages, patients, users } from "../../db/schema";
import { Client, ORG_B, ROLE_EMAILS, startTestApp, testContext, type TestApp } from "../helpers/test-app";
import { chartingHelpers } from "../helpers/charting";
import { pdfText } from "../helpers/pdf-text";
import { renderAttachment } from "../../app/messaging/attachments.server";
import { addDueLateFees } from "../../app/checkout/late-fees.server";

/** Statements (issue 12): what a patient owes across the clinic, aged, by email and as a PDF. */
let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

const { visit } = chartingHelpers(() => app);
const DAY = 86_400_000;

async function signedIn(email: string) {
  const client = new Client(app.url);
  await client.signIn(email);
  return client;
}

/** An issued invoice of $450 for the portal patient, issued `daysAgo`. */
async function owedInvoice(desk: Client, daysAgo: number, patientId: string) {
  const v = await visit(2 + daysAgo * 24);
  await app.db.update(appointments).set({ priceCents: 45_000, patientId }).where(eq(appointments.id, v.id));
  const res = await desk.post(`/appointments/${v.id}`, { intent: "checkout" });
  const invoiceId = res.headers.get("location")!.replace("/invoices/", "");
  expect((await desk.post(`/invoices/${invoiceId}`, { intent: "issue" })).status).toBe(302);
  await app.db.update(invoices).set({ issuedAt: new Date(Date.now() - daysAgo * DAY) }).where(eq(invoices.id, invoiceId));
  return (await app.db.select().from(invoices).where(eq(invoices.id, invoiceId)))[0];
}

describe("statements", () => {
  it("lists what the patient owes, aged, as a PDF for the desk and the patient; emailed once per state with the PDF made at send time", async () => {
    const [user] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.patient));
    const [patient] = await app.db.select().from(patients).where(eq(patients.userId, user.id));
    const desk = await signedIn(ROLE_EMAILS.front_desk);
    // Nothing owed yet: nothing to send.
    expect((await desk.post(`/patients/${patient.id}/invoices`, { intent: "emailStatement" })).status).toBe(409);
    const recent = await owedInvoice(desk, 3, patient.id);
    const older = await owedInvoice(desk, 45, patient.id);
    // Part of the recent one is paid in cash.
    expect((await desk.post(`/invoices/${recent.id}`, { intent: "pay", method: "cash", amount: "100", paymentKey: crypto.randomUUID() })).status).toBe(302);
    // The record's header says what is owed, to those who may read invoices (issue 10), and links to them.
    expect(await (await desk.get(`/patients/${patient.id}`)).text()).toMatch(new RegExp(`href="/patients/${patient.id}/invoices"[^>]*>(<svg[^]*?</svg>)?Owes \\$800\\.00<`));
    const provider = await signedIn(ROLE_EMAILS.provider);
    const providerView = await provider.get(`/patients/${patient.id}`);
    expect(providerView.status).toBe(200);
    expect(await providerView.text()).not.toContain("Owes");

    const pdf = await desk.get(`/patients/${patient.id}/statement.pdf`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    await PDFDocument.load(bytes);
    const text = pdfText(bytes);
    expect(text).toContain(`Invoice #${recent.number}`);
    expect(text).toContain(`Invoice #${older.number}`);
    // (The en dash of "30–59 days" is a WinAnsi byte this test's text extraction leaves out.)
    expect(text).toMatch(/Invoice #\d+ · .* · 30.?59 days/);
    const due = older.totalCents + recent.totalCents - 10_000;
    expect(text).toContain(`$${(due / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })}`);
    expect(await app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "patient.statement_read"), eq(auditEvents.entityId, patient.id)))).toHaveLength(1);

    // The patient's own, from the portal.
    const phone = await signedIn(ROLE_EMAILS.patient);
    expect(await (await phone.get("/portal/invoices")).text()).toContain("Statement (PDF)");
    expect((await phone.get("/portal/statement.pdf")).headers.get("content-type")).toBe("application/pdf");

    // Emailed: no address on the record first, then once however often it is pressed.
    await app.db.update(patients).set({ email: null }).where(eq(patients.id, patient.id));
    const noAddress = await desk.post(`/patients/${patient.id}/invoices`, { intent: "emailStatement" });
    expect(noAddress.status).toBe(409);
    expect(await noAddress.text()).toContain("no email address");
    await app.db.update(patients).set({ email: "jordan@example.com" }).where(eq(patients.id, patient.id));
    for (let i = 0; i < 2; i++) expect((await desk.post(`/patients/${patient.id}/invoices`, { intent: "emailStatement" })).status).toBe(302);
    const sent = await app.db.select().from(messages).where(eq(messages.kind, "statement"));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ toAddress: "jordan@example.com", attachment: `statement:${patient.id}` });
    expect(sent[0].body).toContain("/portal/invoices");
    const made = await renderAttachment(testContext(app, app.db), sent[0].attachment!);
    expect(pdfText(made!.file.content)).toContain("Total due");

    // Another organization's owner: not found.
    const other = new Client(app.url);
    await other.signIn(`owner@${ORG_B}`);
    expect((await other.get(`/patients/${patient.id}/statement.pdf`)).status).toBe(404);
  });

  it("adds a late fee once to an invoice still owed past the clinic's days (off by default), never to a paid one or a fee", async () => {
    const [user] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.patient));
    const [patient] = await app.db.select().from(patients).where(eq(patients.userId, user.id));
    const desk = await signedIn(ROLE_EMAILS.front_desk);
    const overdue = await owedInvoice(desk, 45, patient.id);
    const paid = await owedInvoice(desk, 60, patient.id);
    expect((await desk.post(`/invoices/${paid.id}`, { intent: "pay", method: "cash", amount: String(paid.totalCents / 100), paymentKey: crypto.randomUUID() })).status).toBe(302);
    await owedInvoice(desk, 10, patient.id);
    const ctx = testContext(app, app.db);
    // Off by default.
    expect(await addDueLateFees(ctx)).toBe(0);
    const owner = await signedIn(ROLE_EMAILS.owner);
    const bad = await owner.post("/settings/billing", { intent: "policy", deskDiscountLimit: "10", tipPresets: "18, 20", lateFee: "25", lateFeeAfterDays: "400" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Enter the days from 1 to 365");
    expect((await owner.post("/settings/billing", { intent: "policy", deskDiscountLimit: "10", tipPresets: "18, 20", lateFee: "25", lateFeeAfterDays: "30" })).status).toBe(200);
    // Two job runs at once: one fee.
    const both = await Promise.all([addDueLateFees(ctx), addDueLateFees(ctx)]);
    expect(both[0] + both[1]).toBe(1);
    const fees = await app.db.select().from(invoices).where(eq(invoices.lateFeeFor, overdue.id));
    expect(fees).toHaveLength(1);
    expect(fees[0]).toMatchObject({ patientId: patient.id, status: "open", totalCents: 2_500 });
    // Later runs add nothing more (and a fee gets no fee of its own, however old).
    await app.db.update(invoices).set({ issuedAt: new Date(Date.now() - 90 * DAY) }).where(eq(invoices.id, fees[0].id));
    expect(await addDueLateFees(ctx)).toBe(0);
    // It shows on the statement.
    expect(pdfText(new Uint8Array(await (await desk.get(`/patients/${patient.id}/statement.pdf`)).arrayBuffer()))).toContain(`Invoice #${fees[0].number}`);
  });
});
