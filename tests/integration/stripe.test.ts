import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { users, appointments, auditEvents, cardReaders, invoiceEvents, invoices, patients, paymentDisputes, payments, refunds, savedCards, stripeEvents } from "../../db/schema";
import { Client, ORG_B, ROLE_EMAILS, startTestApp, testContext, type TestApp } from "../helpers/test-app";
import { chargeSavedCard } from "../../app/payments/charges.server";
import { chartingHelpers } from "../helpers/charting";
import { DECLINING_LAST4, fakeStripe, type FakeStripe } from "../helpers/fake-stripe";
import { parseEnv } from "../../app/lib/env.server";
import { stripeGateway } from "../../app/payments/stripe-gateway.server";

/** Stripe at checkout (issue 12, ADR 034), against a local fake of Stripe's HTTP API. */
let app: TestApp;
let stripe: FakeStripe;
beforeEach(async () => {
  stripe = await fakeStripe();
  app = await startTestApp(stripe.env);
});
afterEach(async () => {
  await app.close();
  await stripe.close();
});

const { visit } = chartingHelpers(() => app);
const VISA = { brand: "visa", last4: "4242", expMonth: 12, expYear: 2031 };

async function desk() {
  const client = new Client(app.url);
  await client.signIn(ROLE_EMAILS.front_desk);
  return client;
}

/** A visit checked out to an open invoice of $450 (before tax); returns its ids. */
async function invoiceFor(client: Client, hoursAgo = 1) {
  const v = await visit(hoursAgo);
  await app.db.update(appointments).set({ priceCents: 45_000 }).where(eq(appointments.id, v.id));
  const res = await client.post(`/appointments/${v.id}`, { intent: "checkout" });
  expect(res.status).toBe(302);
  const invoiceId = res.headers.get("location")!.replace("/invoices/", "");
  return { invoiceId, patientId: v.patient.id, locationId: v.location.id };
}

/** The desk saves a card as the Payment Element would: a SetupIntent, Stripe confirms it, the page is returned to. */
async function saveCard(client: Client, patientId: string, card = VISA) {
  const started = await client.post(`/patients/${patientId}/cards`, { intent: "setup" });
  expect(started.status).toBe(200);
  const setupIntentId = stripe.lastSetupIntentId();
  stripe.completeSetup(setupIntentId, card);
  const back = await client.get(`/patients/${patientId}/cards?setup_intent=${setupIntentId}&redirect_status=succeeded`);
  expect(back.status).toBe(302);
  expect(back.headers.get("location")).toContain("saved=");
  const [saved] = await app.db.select().from(savedCards).where(and(eq(savedCards.patientId, patientId), eq(savedCards.last4, card.last4)));
  return saved;
}

const invoiceRow = async (id: string) => (await app.db.select().from(invoices).where(eq(invoices.id, id)))[0];
const charge = (client: Client, invoiceId: string, fields: Record<string, string>) => client.post(`/invoices/${invoiceId}`, { intent: "chargeCard", paymentKey: crypto.randomUUID(), ...fields });
const dollars = (cents: number) => (cents / 100).toFixed(2);

async function deliver(event: { payload: string; header: string }) {
  return fetch(`${app.url}/webhooks/stripe`, { method: "POST", body: event.payload, headers: { "content-type": "application/json", "stripe-signature": event.header } });
}

describe("Stripe: cards on file and charges (issue 12)", () => {
  it("saves a card with a SetupIntent, charges it off-session with our own idempotency key, and audits without card data", async () => {
    const client = await desk();
    const { invoiceId, patientId } = await invoiceFor(client);
    const card = await saveCard(client, patientId);
    expect(card).toMatchObject({ brand: "visa", last4: "4242", expMonth: 12, expYear: 2031, isDefault: true });
    // The secret the Payment Element needs went to that page only: never kept for a replay.
    const started = await client.post(`/patients/${patientId}/cards`, { intent: "setup" }, { headers: { "atrium-submission": crypto.randomUUID() } });
    expect(started.headers.get("atrium-secret-answer")).toBe("1");

    const { totalCents } = await invoiceRow(invoiceId);
    const res = await charge(client, invoiceId, { savedCardId: card.id, amount: dollars(totalCents) });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("taken=");
    const [payment] = await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId));
    expect(payment).toMatchObject({ method: "card_on_file", processor: "stripe", status: "succeeded", amountCents: totalCents, cardBrand: "visa", cardLast4: "4242" });
    expect(payment.processorRef).toMatch(/^pi_/);
    expect(await invoiceRow(invoiceId)).toMatchObject({ status: "paid", paidCents: totalCents, heldCents: 0 });
    // Stripe was asked once, off-session, with the key derived from our payment row.
    const sent = stripe.requests.filter((r) => r.path === "/v1/payment_intents");
    expect(sent).toHaveLength(1);
    expect(sent[0].idempotencyKey).toBe(`atrium-payment-${payment.id}`);
    expect(sent[0].params).toMatchObject({ off_session: "true", confirm: "true", amount: String(totalCents), metadata: { payment_id: payment.id, invoice_id: invoiceId } });
    // Audited by id: the start and the take, nothing of the card.
    const audits = await app.db.select().from(auditEvents).where(eq(auditEvents.entityId, payment.id));
    expect(audits.map((a) => `${a.action}:${a.outcome}`).sort()).toEqual(["payment.start:allowed", "payment.take:allowed"]);
    expect(JSON.stringify(audits)).not.toContain("4242");
  });

  it("a declined card holds nothing and says why; another card then pays", async () => {
    const client = await desk();
    const { invoiceId, patientId } = await invoiceFor(client);
    const declining = await saveCard(client, patientId, { ...VISA, last4: DECLINING_LAST4 });
    const good = await saveCard(client, patientId, { ...VISA, brand: "mastercard", last4: "4444" });
    const { totalCents } = await invoiceRow(invoiceId);
    const refused = await charge(client, invoiceId, { savedCardId: declining.id, amount: dollars(totalCents) });
    expect(refused.status).toBe(402);
    expect(await refused.text()).toContain("Your card was declined.");
    const [failed] = await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId));
    expect(failed).toMatchObject({ status: "failed", failureMessage: "Your card was declined." });
    expect(await invoiceRow(invoiceId)).toMatchObject({ paidCents: 0, heldCents: 0, status: "draft" });
    const paid = await charge(client, invoiceId, { savedCardId: good.id, amount: dollars(totalCents) });
    expect(paid.status).toBe(302);
    expect(await invoiceRow(invoiceId)).toMatchObject({ paidCents: totalCents, status: "paid" });
    expect(stripe.chargeCount()).toBe(1);
  });

  it("an answer lost on the way back is retried with the same key: one charge", async () => {
    const client = await desk();
    const { invoiceId, patientId } = await invoiceFor(client);
    const card = await saveCard(client, patientId);
    stripe.dropNextAnswer("/v1/payment_intents");
    const res = await charge(client, invoiceId, { savedCardId: card.id, amount: "100.00" });
    expect(res.status).toBe(302);
    expect(stripe.chargeCount()).toBe(1);
    const sent = stripe.requests.filter((r) => r.path === "/v1/payment_intents");
    expect(sent.length).toBe(2);
    expect(new Set(sent.map((r) => r.idempotencyKey)).size).toBe(1);
    const rows = await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "succeeded", amountCents: 10_000 });
  });

  it("the same form again is the same charge; with another amount it is refused, here and by Stripe", async () => {
    const client = await desk();
    const { invoiceId, patientId } = await invoiceFor(client);
    const card = await saveCard(client, patientId);
    const paymentKey = crypto.randomUUID();
    expect((await charge(client, invoiceId, { savedCardId: card.id, amount: "100.00", paymentKey })).status).toBe(302);
    expect((await charge(client, invoiceId, { savedCardId: card.id, amount: "100.00", paymentKey })).status).toBe(302);
    const other = await charge(client, invoiceId, { savedCardId: card.id, amount: "150.00", paymentKey });
    expect(other.status).toBe(409);
    expect(await other.text()).toContain("already charged $100.00");
    expect(stripe.chargeCount()).toBe(1);
    // Stripe itself refuses a key reused with another amount: the adapter reports it, nothing is charged.
    const [payment] = await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId));
    const [customer] = stripe.requests.filter((r) => r.path === "/v1/payment_intents").map((r) => r.params);
    const gateway = stripeGateway(parseEnv({ DATABASE_URL: "file:x", SESSION_SECRET: "x".repeat(32), ...stripe.env }))!;
    const outcome = await gateway.chargeSavedCard({ paymentId: payment.id, organizationId: payment.organizationId, invoiceId, amountCents: 15_000, currency: "usd", description: "x", customerId: String(customer.customer), paymentMethodId: String(customer.payment_method) });
    expect(outcome).toMatchObject({ status: "failed", message: "Stripe refused: this charge was already sent with a different amount." });
    expect(stripe.chargeCount()).toBe(1);
  });

  it("two desks charging the last of a balance at once: one charge, never overpaid", async () => {
    const a = await desk();
    const b = await desk();
    const { invoiceId, patientId } = await invoiceFor(a);
    const card = await saveCard(a, patientId);
    const { totalCents } = await invoiceRow(invoiceId);
    const answers = await Promise.all([charge(a, invoiceId, { savedCardId: card.id, amount: dollars(totalCents) }), charge(b, invoiceId, { savedCardId: card.id, amount: dollars(totalCents) })]);
    expect(answers.map((r) => r.status).sort()).toEqual([302, 409]);
    expect(stripe.chargeCount()).toBe(1);
    expect(await invoiceRow(invoiceId)).toMatchObject({ paidCents: totalCents, heldCents: 0 });
  });

  it("two charges that both read the same balance: the database holds one and refuses the other before Stripe is asked", async () => {
    const client = await desk();
    const { invoiceId, patientId } = await invoiceFor(client);
    const card = await saveCard(client, patientId);
    const { totalCents, organizationId } = await invoiceRow(invoiceId);
    const ctx = { ...testContext(app, app.db), env: parseEnv({ DATABASE_URL: `file:${app.dbFile}`, SESSION_SECRET: "x".repeat(32), APP_ORIGIN: app.origin, ...stripe.env }) };
    const [actor] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.front_desk));
    const who = { id: actor.id, role: "front_desk" as const, organizationId } as Parameters<typeof chargeSavedCard>[1];
    // Both read the invoice before either writes (the reads are awaited side by side).
    const both = await Promise.all([1, 2].map(() => chargeSavedCard(ctx, who, invoiceId, { savedCardId: card.id, amount: totalCents, paymentKey: crypto.randomUUID() })));
    expect(both.map((r) => r.ok).sort()).toEqual([false, true]);
    expect((both.find((r) => !r.ok) as { status: number }).status).toBe(409);
    expect(stripe.chargeCount()).toBe(1);
    expect(stripe.requests.filter((r) => r.path === "/v1/payment_intents")).toHaveLength(1);
    expect(await invoiceRow(invoiceId)).toMatchObject({ paidCents: totalCents, heldCents: 0 });
  });

  it("refuses bad charges with a message by the field and nothing written", async () => {
    const client = await desk();
    const { invoiceId, patientId } = await invoiceFor(client);
    const card = await saveCard(client, patientId);
    const { totalCents } = await invoiceRow(invoiceId);
    for (const [fields, status, text] of [
      [{ savedCardId: card.id, amount: "-5" }, 400, "Enter the amount"],
      [{ savedCardId: card.id, amount: "10.005" }, 400, "Enter the amount"],
      [{ savedCardId: card.id, amount: dollars(totalCents + 1) }, 400, "At most"],
      [{ savedCardId: card.id, amount: "0.30" }, 400, "at least $0.50"],
      [{ savedCardId: "not-a-card", amount: "10" }, 404, "saved cards"],
    ] as const) {
      const res = await charge(client, invoiceId, fields);
      expect(res.status, JSON.stringify(fields)).toBe(status);
      expect(await res.text()).toContain(text);
    }
    expect(await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId))).toHaveLength(0);
    expect(stripe.requests.filter((r) => r.path === "/v1/payment_intents")).toHaveLength(0);
  });

  it("another organization's invoice, or another patient's card, is not found", async () => {
    const client = await desk();
    const { invoiceId, patientId } = await invoiceFor(client);
    const card = await saveCard(client, patientId);
    // A card of another patient of the same clinic can't pay this invoice.
    const [other] = await app.db.select().from(patients).where(eq(patients.organizationId, (await invoiceRow(invoiceId)).organizationId)).limit(2).offset(1);
    await app.db.update(savedCards).set({ patientId: other.id }).where(eq(savedCards.id, card.id));
    expect((await charge(client, invoiceId, { savedCardId: card.id, amount: "10" })).status).toBe(404);
    await app.db.update(savedCards).set({ patientId }).where(eq(savedCards.id, card.id));
    // Staff of another clinic: neither the invoice nor the card.
    const harbor = new Client(app.url);
    await harbor.signIn(`frontdesk@${ORG_B}`);
    expect((await charge(harbor, invoiceId, { savedCardId: card.id, amount: "10" })).status).toBe(404);
    expect((await harbor.post(`/patients/${patientId}/cards`, { intent: "remove", cardId: card.id })).status).toBe(404);
    expect(stripe.chargeCount()).toBe(0);
  });

  it("removing a card detaches it at Stripe; the next card becomes the default", async () => {
    const client = await desk();
    const { patientId } = await invoiceFor(client);
    const first = await saveCard(client, patientId);
    const second = await saveCard(client, patientId, { ...VISA, last4: "1881" });
    expect(second.isDefault).toBe(false);
    const removed = await client.post(`/patients/${patientId}/cards`, { intent: "remove", cardId: first.id });
    expect(removed.status).toBe(302);
    expect(stripe.paymentMethod(first.stripePaymentMethod)?.customer).toBeNull();
    const rows = await app.db.select().from(savedCards).where(eq(savedCards.patientId, patientId));
    expect(rows.find((r) => r.id === first.id)?.removedAt).not.toBeNull();
    expect(rows.find((r) => r.id === second.id)?.isDefault).toBe(true);
  });
});

describe("Stripe: the card reader and webhooks (issue 12)", () => {
  /** A manager pairs a reader with the location in the billing settings (Stripe registers it by its code). */
  async function withReader(locationId: string) {
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    const wrong = await manager.post("/settings/billing", { intent: "addReader", locationId, registrationCode: "not-the-code", label: "Front desk" });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("Stripe didn&#x27;t accept that code");
    const paired = await manager.post("/settings/billing", { intent: "addReader", locationId, registrationCode: "simulated-wpe", label: "Front desk" });
    expect(paired.status).toBe(200);
    const [reader] = await app.db.select().from(cardReaders).where(eq(cardReaders.locationId, locationId));
    expect(reader).toMatchObject({ label: "Front desk" });
    expect(reader.stripeReaderId).toMatch(/^tmr_/);
    return { id: reader.id, stripeReaderId: reader.stripeReaderId };
  }

  async function sentToReader() {
    const client = await desk();
    const { invoiceId, locationId } = await invoiceFor(client);
    const reader = await withReader(locationId);
    const res = await client.post(`/invoices/${invoiceId}`, { intent: "chargeReader", readerId: reader.id, amount: "200.00", paymentKey: crypto.randomUUID() });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("waiting=");
    const [payment] = await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId));
    expect(payment).toMatchObject({ status: "pending", amountCents: 20_000 });
    expect(await invoiceRow(invoiceId)).toMatchObject({ heldCents: 20_000, paidCents: 0 });
    return { client, invoiceId, reader, payment };
  }

  it("a reader charge waits for the tap; the webhook settles it once, also when delivered twice at the same moment", async () => {
    const { invoiceId, reader, payment } = await sentToReader();
    const intent = stripe.presentCard(reader.stripeReaderId, { brand: "amex", last4: "0005" });
    const event = stripe.event("payment_intent.succeeded", intent);
    const answers = await Promise.all([deliver(event), deliver(event)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const [settled] = await app.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(settled).toMatchObject({ status: "succeeded", cardBrand: "amex", cardLast4: "0005", processorRef: intent.id });
    expect(await invoiceRow(invoiceId)).toMatchObject({ paidCents: 20_000, heldCents: 0, status: "partially_paid" });
    const history = await app.db.select().from(invoiceEvents).where(and(eq(invoiceEvents.invoiceId, invoiceId), eq(invoiceEvents.kind, "payment")));
    expect(history).toHaveLength(1);
    const takes = await app.db.select().from(auditEvents).where(and(eq(auditEvents.entityId, payment.id), eq(auditEvents.action, "payment.take"), eq(auditEvents.outcome, "allowed")));
    expect(takes).toHaveLength(1);
    expect(await app.db.select().from(stripeEvents)).toHaveLength(1);
    // Delivered again later: answered at once as a duplicate.
    const again = await deliver(event);
    expect(await again.json()).toMatchObject({ duplicate: true });
  });

  it("events out of order converge: a failure older than the success changes nothing", async () => {
    const { invoiceId, reader, payment } = await sentToReader();
    const intent = stripe.presentCard(reader.stripeReaderId, { brand: "visa", last4: "4242" });
    const now = Math.floor(Date.now() / 1000);
    expect((await deliver(stripe.event("payment_intent.succeeded", intent, { created: now }))).status).toBe(200);
    const stale = { ...intent, status: "requires_payment_method", last_payment_error: { message: "Your card was declined." } };
    expect((await deliver(stripe.event("payment_intent.payment_failed", stale, { created: now - 30 }))).status).toBe(200);
    const [settled] = await app.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(settled.status).toBe("succeeded");
    expect(await invoiceRow(invoiceId)).toMatchObject({ paidCents: 20_000, heldCents: 0 });
  });

  it("a bad signature, a stale timestamp or a forged body are refused with 400 and change nothing", async () => {
    const { reader, payment } = await sentToReader();
    const intent = stripe.presentCard(reader.stripeReaderId, { brand: "visa", last4: "4242" });
    const forged = stripe.event("payment_intent.succeeded", intent, { secret: "whsec_someoneelse000000" });
    const stale = stripe.event("payment_intent.succeeded", intent, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    const real = stripe.event("payment_intent.succeeded", intent);
    const tampered = { payload: real.payload.replace('"amount":20000', '"amount":1'), header: real.header };
    for (const e of [forged, stale, tampered, { payload: real.payload, header: "" }]) {
      const res = await deliver(e);
      expect(res.status).toBe(400);
    }
    expect(await app.db.select().from(stripeEvents)).toHaveLength(0);
    const [still] = await app.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(still.status).toBe("pending");
    const denied = await app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "webhook.stripe"), eq(auditEvents.outcome, "denied")));
    expect(denied.length).toBeGreaterThanOrEqual(4);
  });

  it("canceling at the desk clears the reader and releases the hold; an offline reader is refused plainly", async () => {
    const { client, invoiceId, reader, payment } = await sentToReader();
    const res = await client.post(`/invoices/${invoiceId}`, { intent: "cancelCharge", paymentId: payment.id });
    expect(res.status).toBe(402);
    expect(await res.text()).toContain("Canceled at the desk");
    expect(await invoiceRow(invoiceId)).toMatchObject({ heldCents: 0, paidCents: 0 });
    expect(stripe.readers.get(reader.stripeReaderId)?.action).toBeNull();
    stripe.setReaderOffline(reader.stripeReaderId);
    const offline = await client.post(`/invoices/${invoiceId}`, { intent: "chargeReader", readerId: reader.id, amount: "200.00", paymentKey: crypto.randomUUID() });
    expect(offline.status).toBe(402);
    expect(await offline.text()).toContain("Reader is currently offline");
    expect(await invoiceRow(invoiceId)).toMatchObject({ heldCents: 0, paidCents: 0 });
  });

  it("refunds a card payment through Stripe with its own key; a refund that fails later counts as paid again", async () => {
    const client = await desk();
    const { invoiceId, patientId } = await invoiceFor(client);
    const card = await saveCard(client, patientId);
    const { totalCents } = await invoiceRow(invoiceId);
    await charge(client, invoiceId, { savedCardId: card.id, amount: dollars(totalCents) });
    const [payment] = await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId));
    stripe.slowRefundsOn(payment.processorRef!);
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    const res = await manager.post(`/invoices/${invoiceId}`, { intent: "refund", paymentId: payment.id, amount: "50.00", reason: "Patient unhappy with the result", refundKey: crypto.randomUUID() });
    expect(res.status).toBe(302);
    const [refund] = await app.db.select().from(refunds).where(eq(refunds.invoiceId, invoiceId));
    expect(refund).toMatchObject({ status: "pending", amountCents: 5_000, processor: "stripe" });
    expect(refund.processorRef).toMatch(/^re_/);
    expect(stripe.requests.find((r) => r.path === "/v1/refunds")?.idempotencyKey).toBe(`atrium-refund-${refund.id}`);
    // A second refund can't take what the pending one holds.
    const tooMuch = await manager.post(`/invoices/${invoiceId}`, { intent: "refund", paymentId: payment.id, amount: dollars(totalCents - 4_999), reason: "Patient unhappy", refundKey: crypto.randomUUID() });
    expect(tooMuch.status).toBe(400);
    const stripeRefund = { ...stripe.refunds.get(refund.processorRef!)!, status: "succeeded" };
    await deliver(stripe.event("charge.refund.updated", stripeRefund));
    expect((await app.db.select().from(refunds).where(eq(refunds.id, refund.id)))[0].status).toBe("succeeded");
    expect(await invoiceRow(invoiceId)).toMatchObject({ refundedCents: 5_000, status: "partially_refunded" });
    // The bank sent it back: the refund failed after succeeding, and the invoice is paid again.
    await deliver(stripe.event("refund.failed", { ...stripeRefund, status: "failed", failure_reason: "expired_or_canceled_card" }));
    expect((await app.db.select().from(refunds).where(eq(refunds.id, refund.id)))[0]).toMatchObject({ status: "failed", failureMessage: "expired_or_canceled_card" });
    expect(await invoiceRow(invoiceId)).toMatchObject({ refundedCents: 0, status: "paid" });
    // An older "pending" update arriving last changes nothing.
    await deliver(stripe.event("charge.refund.updated", { ...stripeRefund, status: "pending" }));
    expect((await app.db.select().from(refunds).where(eq(refunds.id, refund.id)))[0].status).toBe("failed");
  });

  it("setup succeeded saves the card when the page never came back; detached removes it; a dispute is recorded once", async () => {
    const client = await desk();
    const { invoiceId, patientId } = await invoiceFor(client);
    expect((await client.post(`/patients/${patientId}/cards`, { intent: "setup" })).status).toBe(200);
    const { setupIntent, paymentMethod } = stripe.completeSetup(stripe.lastSetupIntentId(), VISA);
    expect((await deliver(stripe.event("setup_intent.succeeded", setupIntent))).status).toBe(200);
    const [card] = await app.db.select().from(savedCards).where(eq(savedCards.patientId, patientId));
    expect(card).toMatchObject({ stripePaymentMethod: paymentMethod.id, last4: "4242", isDefault: true });
    const { totalCents } = await invoiceRow(invoiceId);
    await charge(client, invoiceId, { savedCardId: card.id, amount: dollars(totalCents) });
    const [payment] = await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId));
    const dispute = { id: "dp_fake1", object: "dispute", amount: totalCents, reason: "product_unacceptable", status: "needs_response", payment_intent: payment.processorRef, evidence_details: { due_by: Math.floor(Date.now() / 1000) + 7 * 86_400 } };
    await Promise.all([deliver(stripe.event("charge.dispute.created", dispute)), deliver(stripe.event("charge.dispute.created", dispute))]);
    expect(await app.db.select().from(paymentDisputes)).toHaveLength(1);
    expect(await app.db.select().from(invoiceEvents).where(and(eq(invoiceEvents.invoiceId, invoiceId), eq(invoiceEvents.kind, "dispute")))).toHaveLength(1);
    await deliver(stripe.event("charge.dispute.closed", { ...dispute, status: "won" }));
    expect((await app.db.select().from(paymentDisputes))[0].status).toBe("won");
    await deliver(stripe.event("payment_method.detached", { ...paymentMethod, customer: null }));
    expect((await app.db.select().from(savedCards).where(eq(savedCards.id, card.id)))[0].removedAt).not.toBeNull();
  });
});

describe("Stripe: the patient pays on their phone (issue 12)", () => {
  /** An issued invoice of $450 for the patient linked to patient@lumen.example. */
  async function patientInvoice() {
    const client = await desk();
    const { invoiceId } = await invoiceFor(client);
    const [account] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.patient));
    const [patient] = await app.db.select().from(patients).where(eq(patients.userId, account.id));
    await app.db.update(invoices).set({ patientId: patient.id }).where(eq(invoices.id, invoiceId));
    expect((await client.post(`/invoices/${invoiceId}`, { intent: "issue" })).status).toBe(302);
    const phone = new Client(app.url);
    await phone.signIn(ROLE_EMAILS.patient);
    return { client, invoiceId, phone, patientId: patient.id };
  }

  it("sees the invoice and balance, pays it with the Payment Element, and the return page settles it once", async () => {
    const { invoiceId, phone } = await patientInvoice();
    const { totalCents } = await invoiceRow(invoiceId);
    const list = await phone.get("/portal/invoices");
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(`$${(totalCents / 100).toFixed(2)} due`);
    const started = await phone.post(`/portal/invoices/${invoiceId}`, { intent: "pay" });
    expect(started.status).toBe(200);
    expect(await invoiceRow(invoiceId)).toMatchObject({ heldCents: totalCents });
    // Opening the pay form again uses the same intent (same payment row, same key), holding nothing more.
    expect((await phone.post(`/portal/invoices/${invoiceId}`, { intent: "pay" })).status).toBe(200);
    const creates = stripe.requests.filter((r) => r.path === "/v1/payment_intents");
    expect(new Set(creates.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(await invoiceRow(invoiceId)).toMatchObject({ heldCents: totalCents });
    const [payment] = await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId));
    // The desk can't take the held part meanwhile.
    const desk2 = await desk();
    expect((await desk2.post(`/invoices/${invoiceId}`, { intent: "pay", method: "cash", amount: "10", paymentKey: crypto.randomUUID() })).status).toBe(400);
    // The patient confirms in Stripe's field; Stripe sends the phone back.
    stripe.confirmOnline(payment.processorRef!, { brand: "visa", last4: "4242" });
    const back = await phone.get(`/portal/invoices/${invoiceId}?payment_intent=${payment.processorRef}&redirect_status=succeeded`);
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toContain("paid=1");
    expect(await invoiceRow(invoiceId)).toMatchObject({ paidCents: totalCents, heldCents: 0, status: "paid" });
    const [settled] = await app.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(settled).toMatchObject({ status: "succeeded", cardBrand: "visa", cardLast4: "4242", takenBy: null });
    // The webhook arriving afterwards changes nothing.
    await deliver(stripe.event("payment_intent.succeeded", stripe.intents.get(payment.processorRef!)!));
    expect(await app.db.select().from(invoiceEvents).where(and(eq(invoiceEvents.invoiceId, invoiceId), eq(invoiceEvents.kind, "payment")))).toHaveLength(1);
    // The receipt as a PDF, the patient's own only.
    const pdf = await phone.get(`/portal/invoices/${invoiceId}/receipt.pdf`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
  });

  it("a pay page left unfinished gives its hold back; another patient's invoice is not found", async () => {
    const { invoiceId, phone } = await patientInvoice();
    expect((await phone.post(`/portal/invoices/${invoiceId}`, { intent: "pay" })).status).toBe(200);
    const { releaseAbandonedOnlinePayments, ABANDONED_MS } = await import("../../app/payments/online.server");
    const later = { ...testContext(app, app.db), env: parseEnv({ DATABASE_URL: `file:${app.dbFile}`, SESSION_SECRET: "x".repeat(32), ...stripe.env }), clock: { now: () => new Date(Date.now() + ABANDONED_MS + 60_000) } };
    expect(await releaseAbandonedOnlinePayments(later)).toEqual({ released: 1, stripeCalls: 1 });
    expect(await invoiceRow(invoiceId)).toMatchObject({ heldCents: 0, paidCents: 0 });
    const [payment] = await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId));
    expect(payment.status).toBe("failed");
    expect(stripe.intents.get(payment.processorRef!)?.status).toBe("canceled");
    // Someone else's invoice, by id: not found, nothing started.
    const other = await invoiceFor(await desk(), 3);
    expect((await phone.get(`/portal/invoices/${other.invoiceId}`)).status).toBe(404);
    expect((await phone.post(`/portal/invoices/${other.invoiceId}`, { intent: "pay" })).status).toBe(404);
    expect((await phone.get(`/portal/invoices/${other.invoiceId}/receipt.pdf`)).status).toBe(404);
  });
});
