import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appointments, deposits, invoices, locations, patients, payments, services, users } from "../../db/schema";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";
import { fakeStripe, type FakeStripe } from "../helpers/fake-stripe";

/** Deposits at online booking (issue 12, ADR 039), with Stripe faked at its HTTP boundary. */
let app: TestApp;
let stripe: FakeStripe;
beforeEach(async () => {
  stripe = await fakeStripe();
  app = await startTestApp(stripe.env);
  await app.db.update(services).set({ depositCents: 5_000 }).where(eq(services.name, "Neurotoxin (Botox, Dysport)"));
});
afterEach(async () => {
  await app.close();
  await stripe.close();
});

async function signedIn(email: string) {
  const client = new Client(app.url);
  await client.signIn(email);
  return client;
}

/** The portal patient's own confirmed Botox visit, `hoursAhead` from now. */
async function patientVisit(hoursAhead: number) {
  const [user] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.patient));
  const [patient] = await app.db.select().from(patients).where(eq(patients.userId, user.id));
  const [service] = await app.db.select().from(services).where(and(eq(services.organizationId, patient.organizationId), eq(services.name, "Neurotoxin (Botox, Dysport)")));
  const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
  const [midtown] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const id = crypto.randomUUID();
  const start = new Date(Math.ceil((Date.now() + hoursAhead * 3_600_000) / 60_000) * 60_000);
  const end = new Date(start.getTime() + 30 * 60_000);
  await app.db.insert(appointments).values({ id, organizationId: patient.organizationId, locationId: midtown.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, status: "confirmed", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 45_000, createdAt: new Date() });
  return id;
}

/** The patient pays the deposit on the visit's page, as the Payment Element would. */
async function payDeposit(phone: Client, visitId: string) {
  const page = await phone.get(`/portal/visits/${visitId}`);
  expect(await page.text()).toContain("Deposit: $50.00");
  const started = await phone.post(`/portal/visits/${visitId}`, { intent: "payDeposit" }, { headers: { "atrium-submission": crypto.randomUUID() } });
  expect(started.status).toBe(200);
  expect(started.headers.get("atrium-secret-answer")).toBe("1");
  const [deposit] = await app.db.select().from(deposits).where(eq(deposits.appointmentId, visitId));
  expect(deposit).toMatchObject({ status: "pending", amountCents: 5_000 });
  stripe.confirmOnline(deposit.stripeIntent!, { brand: "visa", last4: "4242" });
  const back = await phone.get(`/portal/visits/${visitId}?payment_intent=${deposit.stripeIntent}&redirect_status=succeeded`);
  expect(back.headers.get("location")).toBe(`/portal/visits/${visitId}?deposit=paid`);
  return (await app.db.select().from(deposits).where(eq(deposits.id, deposit.id)))[0];
}

describe("deposits", () => {
  it("the patient pays the deposit online; at checkout it is a card payment on the visit's invoice, refundable to that card", async () => {
    const visitId = await patientVisit(48);
    const phone = await signedIn(ROLE_EMAILS.patient);
    const deposit = await payDeposit(phone, visitId);
    expect(deposit).toMatchObject({ status: "paid", cardBrand: "visa", cardLast4: "4242" });
    // Opening the pay form again after paying starts nothing.
    expect((await phone.post(`/portal/visits/${visitId}`, { intent: "payDeposit" })).status).toBe(409);
    // The webhook arriving too changes nothing.
    const event = stripe.event("payment_intent.succeeded", stripe.intents.get(deposit.stripeIntent!)!);
    const hook = await fetch(`${app.url}/webhooks/stripe`, { method: "POST", body: event.payload, headers: { "content-type": "application/json", "stripe-signature": event.header } });
    expect(hook.status).toBe(200);
    expect(await (await phone.get(`/portal/visits/${visitId}`)).text()).toContain("Deposit of $50.00 paid.");

    const desk = await signedIn(ROLE_EMAILS.front_desk);
    expect(await (await desk.get(`/appointments/${visitId}`)).text()).toContain("$50.00 paid online (card •••• 4242)");
    // The day's report counts it among deposits paid online.
    expect(await (await desk.get("/checkout")).text()).toMatch(/Deposits paid online.*?\$50\.00 \(1\)/s);
    await app.db.update(appointments).set({ status: "checked_in" }).where(eq(appointments.id, visitId));
    const checkout = await desk.post(`/appointments/${visitId}`, { intent: "checkout" });
    expect(checkout.status).toBe(302);
    const [invoice] = await app.db.select().from(invoices).where(eq(invoices.appointmentId, visitId));
    expect(invoice.paidCents).toBe(5_000);
    const [payment] = await app.db.select().from(payments).where(eq(payments.invoiceId, invoice.id));
    expect(payment).toMatchObject({ method: "card", processor: "stripe", processorRef: deposit.stripeIntent, amountCents: 5_000, status: "succeeded", cardLast4: "4242" });
    expect((await app.db.select().from(deposits).where(eq(deposits.id, deposit.id)))[0]).toMatchObject({ status: "applied", appliedInvoiceId: invoice.id });
    // Opening the invoice again applies nothing twice.
    expect((await desk.post(`/appointments/${visitId}`, { intent: "checkout" })).status).toBe(302);
    expect(await app.db.select().from(payments).where(eq(payments.invoiceId, invoice.id))).toHaveLength(1);
    // Refunded like any card payment: back to the deposit's PaymentIntent.
    const manager = await signedIn(ROLE_EMAILS.manager);
    expect((await manager.post(`/invoices/${invoice.id}`, { intent: "refund", paymentId: payment.id, amount: "20", reason: "Goodwill", refundKey: crypto.randomUUID() })).status).toBe(302);
    const refund = stripe.requests.find((r) => r.path === "/v1/refunds");
    expect(refund?.params.payment_intent).toBe(deposit.stripeIntent);
  });

  it("cancelled in time, a manager refunds the deposit; cancelled late, it pays the late-cancellation fee", async () => {
    const owner = await signedIn(ROLE_EMAILS.owner);
    expect((await owner.post("/settings/billing", { intent: "policy", deskDiscountLimit: "10", tipPresets: "18, 20", lateCancelFee: "40", noShowFee: "75" })).status).toBe(200);
    const phone = await signedIn(ROLE_EMAILS.patient);
    const desk = await signedIn(ROLE_EMAILS.front_desk);
    const manager = await signedIn(ROLE_EMAILS.manager);

    const early = await patientVisit(96);
    await payDeposit(phone, early);
    // Before it's cancelled, the deposit isn't refunded from the visit.
    expect((await manager.post(`/appointments/${early}`, { intent: "refundDeposit" })).status).toBe(409);
    expect((await desk.post(`/appointments/${early}`, { intent: "cancel", reason: "Patient asked to cancel" })).status).toBe(302);
    // Refunds are a manager's (the desk sees the deposit, not the button).
    expect(await (await desk.get(`/appointments/${early}`)).text()).not.toContain("Refund the $50.00 deposit");
    expect((await desk.post(`/appointments/${early}`, { intent: "refundDeposit" })).status).toBe(403);
    expect(await (await manager.get(`/appointments/${early}`)).text()).toContain("Refund the $50.00 deposit");
    const refunded = await manager.post(`/appointments/${early}`, { intent: "refundDeposit" });
    expect(refunded.status).toBe(302);
    expect((await app.db.select().from(deposits).where(eq(deposits.appointmentId, early)))[0].status).toBe("refunded");
    expect(stripe.requests.filter((r) => r.path === "/v1/refunds")).toHaveLength(1);
    expect((await manager.post(`/appointments/${early}`, { intent: "refundDeposit" })).status).toBe(409);

    const late = await patientVisit(3);
    await payDeposit(phone, late);
    expect((await desk.post(`/appointments/${late}`, { intent: "cancel", reason: "Patient asked to cancel" })).status).toBe(302);
    expect((await manager.post(`/appointments/${late}`, { intent: "refundDeposit" })).status).toBe(409);
    const charges = stripe.chargeCount();
    const fee = await desk.post(`/appointments/${late}`, { intent: "chargeFee", confirm: "on", paymentKey: crypto.randomUUID() });
    expect(fee.status).toBe(302);
    expect(fee.headers.get("location")).toContain("?fee=charged");
    const [invoice] = await app.db.select().from(invoices).where(eq(invoices.appointmentId, late));
    // $40 of the $50 deposit pays the fee; no card was charged for it.
    expect(invoice).toMatchObject({ totalCents: 4_000, paidCents: 4_000, status: "paid" });
    expect(stripe.chargeCount()).toBe(charges);
  });

  it("booking online shows the deposit and sends the patient on to pay it", async () => {
    const phone = await signedIn(ROLE_EMAILS.patient);
    const follow = async (path: string, pattern: RegExp) => {
      const match = pattern.exec(await (await phone.get(path)).text());
      if (!match) throw new Error(`no link matching ${pattern} on ${path}`);
      return match[1].replace(/&amp;/g, "&");
    };
    let path = await follow("/book/lumen", /href="(\/book\/lumen\?location=[^"]+)"[^>]*>(?:(?!<\/a>).)*Lumen Midtown/);
    path = await follow(path, /href="([^"]+&amp;service=[^"]+)"[^>]*>(?:(?!<\/a>).)*Neurotoxin/);
    path = await follow(path, /href="([^"]+&amp;provider=any)"/);
    const days = [...(await (await phone.get(path)).text()).matchAll(/href="([^"]+&amp;date=[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, "&"));
    path = await follow(days[Math.min(2, days.length - 1)], /href="([^"]+&amp;start=\d+)"/);
    expect(await (await phone.get(path)).text()).toContain("$50.00 deposit to hold it");
    const booked = await phone.post(path, {});
    expect(booked.status).toBe(302);
    expect(booked.headers.get("location")).toMatch(/^\/portal\/visits\/[0-9a-f-]{36}\?booked=1$/);
  });
});
