import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { appointments, auditEvents, invoices, messages, patients, payments, savedCards } from "../../db/schema";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";
import { chartingHelpers } from "../helpers/charting";
import { fakeStripe, type FakeStripe } from "../helpers/fake-stripe";

/** Late-cancellation and no-show fees (issue 12, ADR 038), with Stripe faked at its HTTP boundary. */
let app: TestApp;
let stripe: FakeStripe | null = null;
afterEach(async () => {
  await app.close();
  await stripe?.close();
  stripe = null;
});

const { visit } = chartingHelpers(() => app);
const invoiceOfVisit = async (id: string) => (await app.db.select().from(invoices).where(eq(invoices.appointmentId, id)))[0];

async function signedIn(email: string) {
  const client = new Client(app.url);
  await client.signIn(email);
  return client;
}

/** The owner's policy: $50 for a late cancellation, $75 for a no-show. */
async function setFees() {
  const owner = await signedIn(ROLE_EMAILS.owner);
  const bad = await owner.post("/settings/billing", { intent: "policy", deskDiscountLimit: "10", tipPresets: "18, 20", lateCancelFee: "-5", noShowFee: "75" });
  expect(bad.status).toBe(400);
  expect(await bad.text()).toContain("Enter the late-cancellation fee in dollars");
  expect((await owner.post("/settings/billing", { intent: "policy", deskDiscountLimit: "10", tipPresets: "18, 20", lateCancelFee: "50", noShowFee: "75" })).status).toBe(200);
}

/** A booked visit (`hoursAhead` from now) that the desk then marks as a no-show or cancels. */
async function bookedVisit(hoursAhead: number) {
  const v = await visit(-hoursAhead);
  await app.db.update(appointments).set({ status: "confirmed" }).where(eq(appointments.id, v.id));
  return v;
}

async function saveCard(desk: Client, patientId: string, last4 = "4242") {
  await desk.post(`/patients/${patientId}/cards`, { intent: "setup" });
  const setupIntentId = stripe!.lastSetupIntentId();
  stripe!.completeSetup(setupIntentId, { brand: "visa", last4, expMonth: 12, expYear: 2031 });
  expect((await desk.get(`/patients/${patientId}/cards?setup_intent=${setupIntentId}&redirect_status=succeeded`)).status).toBe(302);
}

const chargeFee = (desk: Client, id: string, fields: Record<string, string> = { confirm: "on" }) => desk.post(`/appointments/${id}`, { intent: "chargeFee", paymentKey: crypto.randomUUID(), ...fields });

describe("visit fees", () => {
  it("a no-show's fee is charged to the card on file once the desk confirms, with a receipt; once only", async () => {
    stripe = await fakeStripe();
    app = await startTestApp(stripe.env);
    await setFees();
    const desk = await signedIn(ROLE_EMAILS.front_desk);
    const v = await bookedVisit(-2);
    await app.db.update(patients).set({ email: "avery@example.com" }).where(eq(patients.id, v.patient.id));
    // A visit that went ahead carries no fee.
    expect(await (await desk.get(`/appointments/${v.id}`)).text()).not.toContain("No-show fee");
    await app.db.delete(savedCards).where(eq(savedCards.patientId, v.patient.id));
    await saveCard(desk, v.patient.id);
    expect((await desk.post(`/appointments/${v.id}`, { intent: "status", to: "no_show" })).status).toBe(302);
    const page = await (await desk.get(`/appointments/${v.id}`)).text();
    expect(page).toContain("No-show fee");
    expect(page).toContain("Charge $75.00 to Visa •••• 4242, the patient&#x27;s card on file");

    // Not without the desk's confirmation.
    const unconfirmed = await chargeFee(desk, v.id, {});
    expect(unconfirmed.status).toBe(400);
    expect(await invoiceOfVisit(v.id)).toBeUndefined();
    expect(stripe.chargeCount()).toBe(0);

    const res = await chargeFee(desk, v.id);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/invoices\/.+\?fee=charged$/);
    const invoice = await invoiceOfVisit(v.id);
    expect(invoice).toMatchObject({ status: "paid", totalCents: 7_500, paidCents: 7_500, patientId: v.patient.id });
    const [payment] = await app.db.select().from(payments).where(eq(payments.invoiceId, invoice.id));
    expect(payment).toMatchObject({ method: "card_on_file", processor: "stripe", status: "succeeded", amountCents: 7_500, cardLast4: "4242" });
    const [receipt] = await app.db.select().from(messages).where(and(eq(messages.kind, "receipt"), eq(messages.toAddress, "avery@example.com")));
    expect(receipt.attachment).toBe(`receipt:${invoice.id}`);
    expect(await app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "invoice.no_show_fee"), eq(auditEvents.entityId, v.id)))).toHaveLength(1);

    // Confirmed twice (two desks, or a double press): one invoice, one charge.
    expect((await chargeFee(desk, v.id)).status).toBe(409);
    expect(stripe.chargeCount()).toBe(1);
    expect(await (await desk.get(`/appointments/${v.id}`)).text()).not.toContain("Charge $75.00");
  });

  it("a late cancellation's fee: a declined card leaves it on the invoice for the patient to pay", async () => {
    stripe = await fakeStripe();
    app = await startTestApp(stripe.env);
    await setFees();
    const desk = await signedIn(ROLE_EMAILS.front_desk);
    const early = await bookedVisit(72);
    expect((await desk.post(`/appointments/${early.id}`, { intent: "cancel", reason: "Patient asked to cancel" })).status).toBe(302);
    // Cancelled well ahead of the cut-off: no fee.
    expect(await (await desk.get(`/appointments/${early.id}`)).text()).not.toContain("Late-cancellation fee");
    expect((await chargeFee(desk, early.id)).status).toBe(409);

    const late = await bookedVisit(3);
    await app.db.delete(savedCards).where(eq(savedCards.patientId, late.patient.id));
    await saveCard(desk, late.patient.id, "0341");
    expect((await desk.post(`/appointments/${late.id}`, { intent: "cancel", reason: "Patient asked to cancel" })).status).toBe(302);
    expect((await app.db.select().from(appointments).where(eq(appointments.id, late.id)))[0].cancelledLate).toBe(true);
    expect(await (await desk.get(`/appointments/${late.id}`)).text()).toContain("Late-cancellation fee");
    const res = await chargeFee(desk, late.id);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("?fee=owed");
    expect(await invoiceOfVisit(late.id)).toMatchObject({ status: "open", totalCents: 5_000, paidCents: 0, heldCents: 0 });
  });

  it("without Stripe (the embedded default) the fee is added to what the patient owes; the provider can't charge it", async () => {
    app = await startTestApp();
    await setFees();
    const desk = await signedIn(ROLE_EMAILS.front_desk);
    const v = await bookedVisit(-2);
    expect((await desk.post(`/appointments/${v.id}`, { intent: "status", to: "no_show" })).status).toBe(302);
    expect(await (await desk.get(`/appointments/${v.id}`)).text()).toContain("Add $75.00 to what the patient owes");
    const provider = await signedIn(ROLE_EMAILS.provider);
    expect((await chargeFee(provider, v.id)).status).toBe(403);
    const res = await chargeFee(desk, v.id);
    expect(res.headers.get("location")).toContain("?fee=owed");
    expect(await invoiceOfVisit(v.id)).toMatchObject({ status: "open", totalCents: 7_500 });
    const owed = await desk.get(`/patients/${v.patient.id}/invoices`);
    expect(await owed.text()).toContain("$75.00");
  });
});
