import { and, eq, like } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditEvents, giftCards, invoiceLines, invoices, messages, payments } from "../../db/schema";
import { Client, ROLE_EMAILS, startTestApp, testContext, type TestApp } from "../helpers/test-app";
import { fakeStripe, type FakeStripe } from "../helpers/fake-stripe";
import { createLogger } from "../../app/lib/logger.server";
import { parseEnv } from "../../app/lib/env.server";
import { runMessageJob } from "../../app/messaging/job.server";
import { UNPAID_ORDER_MS, voidUnpaidOnlineOrders } from "../../app/gift-cards/orders.server";

/** Gift cards bought by someone who isn't a patient (issue 12, ADR 037): online with no account, and bulk orders. */
let app: TestApp;
let stripe: FakeStripe | null = null;
afterEach(async () => {
  await app.close();
  await stripe?.close();
  stripe = null;
});

async function withStripe() {
  stripe = await fakeStripe();
  app = await startTestApp(stripe.env);
  return stripe;
}

const ORDER = { amount: "100", design: "gold", recipientName: "Rosa", recipientEmail: "rosa@example.com", senderName: "Mia Buyer", buyerEmail: "mia@example.com", message: "Happy birthday!" };
const invoiceRow = async (id: string) => (await app.db.select().from(invoices).where(eq(invoices.id, id)))[0];
const orderInvoice = async () => (await app.db.select().from(invoices).where(eq(invoices.buyerEmail, "mia@example.com")))[0];

/** Places an order on the public page as a phone with no account would; returns its page's path. */
async function order(phone: Client, fields: Record<string, string> = {}) {
  const res = await phone.post("/gift/lumen", { ...ORDER, ...fields });
  expect(res.status).toBe(302);
  const path = res.headers.get("location")!;
  expect(path).toMatch(/^\/gift\/lumen\/orders\/[\w-]{30,}$/);
  return path;
}

describe("buying a gift card online with no account", () => {
  it("orders, pays with the Payment Element, gets a receipt, and the card is emailed with its full value", async () => {
    const fake = await withStripe();
    const phone = new Client(app.url);
    const shop = await phone.get("/gift/lumen");
    expect(shop.status).toBe(200);
    const page = await shop.text();
    expect(page).toContain("Give a gift card");
    expect(page).toContain("$250.00");

    const path = await order(phone);
    const invoice = await orderInvoice();
    expect(invoice).toMatchObject({ patientId: null, buyerName: "Mia Buyer", status: "open", totalCents: 10_000, taxCents: 0, paidCents: 0 });
    const [card] = await app.db.select().from(giftCards).where(eq(giftCards.invoiceId, invoice.id));
    expect(card).toMatchObject({ status: "pending", initialCents: 10_000, balanceCents: 0, design: "gold", recipientEmail: "rosa@example.com", senderName: "Mia Buyer" });

    const view = await phone.get(path);
    expect(view.status).toBe(200);
    expect(view.headers.get("referrer-policy")).toBe("no-referrer");
    expect(await view.text()).toContain("$100.00 gift card for Rosa");
    const started = await phone.post(path, { intent: "pay" }, { headers: { "atrium-submission": crypto.randomUUID() } });
    expect(started.status).toBe(200);
    expect(started.headers.get("atrium-secret-answer")).toBe("1");
    expect(await invoiceRow(invoice.id)).toMatchObject({ heldCents: 10_000 });
    const [payment] = await app.db.select().from(payments).where(eq(payments.invoiceId, invoice.id));
    // A guest: no Stripe customer was made for the buyer.
    expect(fake.requests.some((r) => r.path === "/v1/customers")).toBe(false);

    fake.confirmOnline(payment.processorRef!, { brand: "visa", last4: "4242" });
    const back = await phone.get(`${path}?payment_intent=${payment.processorRef}&redirect_status=succeeded`);
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toBe(`${path}?paid=1`);
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: "paid", paidCents: 10_000, heldCents: 0 });
    const [active] = await app.db.select().from(giftCards).where(eq(giftCards.id, card.id));
    expect(active).toMatchObject({ status: "active", balanceCents: 10_000 });
    expect(await (await phone.get(`${path}?paid=1`)).text()).toContain("Your gift card is on its way");

    // The buyer's receipt is queued once, though the webhook arrives too.
    await fetch(`${app.url}/webhooks/stripe`, { method: "POST", ...(() => { const e = fake.event("payment_intent.succeeded", fake.intents.get(payment.processorRef!)!); return { body: e.payload, headers: { "content-type": "application/json", "stripe-signature": e.header } }; })() });
    const receipts = await app.db.select().from(messages).where(and(eq(messages.kind, "receipt"), eq(messages.toAddress, "mia@example.com")));
    expect(receipts).toHaveLength(1);
    expect(receipts[0].attachment).toBe(`receipt:${invoice.id}`);

    // The message job emails the card to Rosa (held here: no email provider, and it carries a code).
    const env = parseEnv({ DATABASE_URL: "file:x", SESSION_SECRET: "test-secret-test-secret-test-secret-0123", APP_ORIGIN: app.url });
    const job = { db: app.db, clock: { now: () => new Date() }, env, logger: createLogger("silent"), origin: app.url } as never;
    expect((await runMessageJob(job)).giftCardsQueued).toBe(1);
    const [delivery] = await app.db.select().from(messages).where(eq(messages.attachment, `gift_card:${card.id}`));
    expect(delivery).toMatchObject({ toAddress: "rosa@example.com" });
    // Audited as an online order, by id.
    expect(await app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "invoice.gift_card_order_online"), eq(auditEvents.entityId, invoice.id)))).toHaveLength(1);
  });

  it("refuses bad orders by the field with nothing written; a wrong or another clinic's link is not found", async () => {
    await withStripe();
    const phone = new Client(app.url);
    const cases: [Record<string, string>, string][] = [
      [{ recipientEmail: "not-an-email" }, "Enter their email"],
      [{ buyerEmail: "" }, "for the receipt"],
      [{ amount: "other", otherAmount: "5" }, "A gift card is between $25.00 and $1,000.00."],
      [{ amount: "", otherAmount: "12.345" }, "Enter the amount in dollars"],
      [{ design: "neon" }, "Choose a design."],
      [{ deliverOn: "2020-01-01" }, "Choose today or a day ahead"],
      [{ message: "x".repeat(301) }, "Keep the message under 300 characters."],
    ];
    for (const [fields, said] of cases) {
      const res = await phone.post("/gift/lumen", { ...ORDER, ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await res.text()).toContain(said);
    }
    expect(await app.db.select().from(invoices).where(eq(invoices.buyerEmail, "mia@example.com"))).toHaveLength(0);
    expect(await app.db.select().from(giftCards)).toHaveLength(0);

    const path = await order(phone);
    expect((await phone.get(path.replace(/.{4}$/, "AAAA"))).status).toBe(404);
    expect((await phone.get(path.replace("/gift/lumen/", "/gift/harbor/"))).status).toBe(404);
    expect((await phone.post(path.replace("/gift/lumen/", "/gift/harbor/"), { intent: "pay" })).status).toBe(404);
    expect((await phone.get("/gift/no-such-clinic")).status).toBe(404);
  });

  it("throttles orders per buyer, and closes an order left unpaid for a day (its card never holds value)", async () => {
    await withStripe();
    const phone = new Client(app.url);
    for (let i = 0; i < 5; i++) await order(phone);
    const sixth = await phone.post("/gift/lumen", ORDER);
    expect(sixth.status).toBe(429);
    expect(await app.db.select().from(invoices).where(eq(invoices.buyerEmail, "mia@example.com"))).toHaveLength(5);

    const ctx = { ...testContext(app, app.db), clock: { now: () => new Date(Date.now() + UNPAID_ORDER_MS + 60_000) } };
    expect(await voidUnpaidOnlineOrders(ctx)).toBe(5);
    expect(await voidUnpaidOnlineOrders(ctx)).toBe(0);
    const cards = await app.db.select().from(giftCards);
    expect(cards.every((c) => c.status === "void" && c.balanceCents === 0)).toBe(true);
  });

  it("without online card payments (the embedded default) the page says where to buy and sells nothing", async () => {
    app = await startTestApp();
    const phone = new Client(app.url);
    const page = await phone.get("/gift/lumen");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("sold at the front desk");
    const res = await phone.post("/gift/lumen", ORDER);
    expect(res.status).toBe(409);
    expect(await app.db.select().from(giftCards)).toHaveLength(0);
  });
});

describe("bulk gift card orders", () => {
  it("makes N cards on one invoice with the volume discount; each card holds its full value once paid; codes export as CSV", async () => {
    app = await startTestApp();
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    expect((await desk.get("/gift-cards/bulk")).status).toBe(200);
    const res = await desk.post("/gift-cards/bulk", { buyerName: "Acme Dental", buyerEmail: "office@acme.example", count: "12", amount: "100", design: "minimal", message: "Thank you for a great year" });
    expect(res.status).toBe(302);
    const invoiceId = res.headers.get("location")!.replace("/invoices/", "");
    // 12 × $100 with 5 % off (10 cards or more): $1,140.00.
    expect(await invoiceRow(invoiceId)).toMatchObject({ patientId: null, buyerName: "Acme Dental", totalCents: 114_000, discountCents: 6_000, status: "open" });
    expect(await app.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId))).toHaveLength(12);
    const page = await desk.get(`/invoices/${invoiceId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Acme Dental (office@acme.example)");
    // No patient, no insurer to claim from: no superbill offered.
    expect(html).not.toContain("superbill.pdf");
    // Not before it's paid.
    expect((await desk.get(`/invoices/${invoiceId}/gift-codes.csv`)).status).toBe(409);

    expect((await desk.post(`/invoices/${invoiceId}`, { intent: "pay", method: "cash", amount: "1140", paymentKey: crypto.randomUUID() })).status).toBe(302);
    const cards = await app.db.select().from(giftCards).where(eq(giftCards.invoiceId, invoiceId));
    expect(cards).toHaveLength(12);
    expect(cards.every((c) => c.status === "active" && c.balanceCents === 10_000)).toBe(true);

    const csv = await desk.get(`/invoices/${invoiceId}/gift-codes.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("cache-control")).toContain("no-store");
    const rows = (await csv.text()).trim().split(/\r?\n/);
    expect(rows[0]).toBe("code,amount,expires");
    expect(rows).toHaveLength(13);
    const code = rows[1].split(",")[0];
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    // A code from the sheet is a real card of this clinic.
    const lookup = await desk.post("/gift-cards", { code });
    expect(lookup.status).toBe(302);
    expect(cards.map((c) => `/gift-cards/${c.id}`)).toContain(lookup.headers.get("location"));
    const exported = await app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "gift_card.export"), eq(auditEvents.entityId, invoiceId)));
    expect(exported).toHaveLength(1);
    expect(exported[0].reason).toBe("12 codes");
    // The day report lists the buyer's invoice.
    expect(await (await desk.get("/checkout")).text()).toContain("Acme Dental (buyer)");
  });

  it("refuses bad bulk orders with a message by the field and writes nothing", async () => {
    app = await startTestApp();
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const base = { buyerName: "Acme Dental", buyerEmail: "office@acme.example", count: "12", amount: "100", design: "minimal" };
    const cases: [Record<string, string>, string][] = [
      [{ count: "0" }, "Order between 1 and 500 cards at once."],
      [{ count: "501" }, "Order between 1 and 500 cards at once."],
      [{ count: "1.5" }, "Enter how many cards"],
      [{ amount: "-5" }, "Enter each card"],
      [{ amount: "5000" }, "A gift card is between"],
      [{ buyerEmail: "acme" }, "Enter the buyer"],
    ];
    for (const [fields, said] of cases) {
      const res = await desk.post("/gift-cards/bulk", { ...base, ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await res.text()).toContain(said);
    }
    expect(await app.db.select().from(giftCards)).toHaveLength(0);
    expect(await app.db.select().from(invoices).where(like(invoices.buyerName, "Acme%"))).toHaveLength(0);
    // Another organization's invoice's codes: not found.
    const other = new Client(app.url);
    await other.signIn(ROLE_EMAILS.patient);
    expect((await other.get("/gift-cards/bulk")).status).toBe(403);
  });

  it("the owner sets the tiers and turns online sales off in billing settings; bad tiers are refused by the field", async () => {
    await withStripe();
    const owner = new Client(app.url);
    await owner.signIn(ROLE_EMAILS.owner);
    const settings = { intent: "giftCards", amounts: "50, 100", min: "25", max: "500", expiryMonths: "" };
    for (const bad of ["10: 5, 5: 10", "10: 60", "ten: 5", "1: 5"]) {
      const res = await owner.post("/settings/billing", { ...settings, bulkTiers: bad, online: "on" });
      expect(res.status, bad).toBe(400);
      expect(await res.text()).toContain("Enter tiers like 10: 5, 25: 10");
    }
    expect((await owner.post("/settings/billing", { ...settings, bulkTiers: "5: 2.5, 20: 7" })).status).toBe(200);
    const phone = new Client(app.url);
    expect(await (await phone.get("/gift/lumen")).text()).toContain("sold at the front desk");
    expect((await phone.post("/gift/lumen", ORDER)).status).toBe(409);
    const res = await owner.post("/gift-cards/bulk", { buyerName: "Acme Dental", buyerEmail: "office@acme.example", count: "5", amount: "100", design: "minimal" });
    expect(res.status).toBe(302);
    // 5 × $100 with 2.5 % off.
    expect(await invoiceRow(res.headers.get("location")!.replace("/invoices/", ""))).toMatchObject({ totalCents: 48_750, discountCents: 1_250 });
  });
});
