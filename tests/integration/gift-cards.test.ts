import { and, asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PDFDocument } from "pdf-lib";
import { locations, appointments, auditEvents, giftCardEntries, giftCards, invoiceLines, invoices, messages, patients, payments, refunds, users } from "../../db/schema";
import { Client, ORG_B, ROLE_EMAILS, startTestApp, testContext, type TestApp } from "../helpers/test-app";
import { chartingHelpers } from "../helpers/charting";
import { fakeApi } from "../helpers/fake-http";
import { pdfText } from "../helpers/pdf-text";
import { parseEnv } from "../../app/lib/env.server";
import { createLogger } from "../../app/lib/logger.server";
import { runMessageJob } from "../../app/messaging/job.server";
import { takePayment } from "../../app/checkout/payments.server";

/** Gift cards (issue 12, ADR 035): sold at the desk, emailed as a PDF, spent in part, refunded back, reloaded. */
let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

const { visit } = chartingHelpers(() => app);
const SECRET = "test-secret-test-secret-test-secret-0123";

async function desk() {
  const client = new Client(app.url);
  await client.signIn(ROLE_EMAILS.front_desk);
  return client;
}

const invoiceRow = async (id: string) => (await app.db.select().from(invoices).where(eq(invoices.id, id)))[0];
const cardRow = async (id: string) => (await app.db.select().from(giftCards).where(eq(giftCards.id, id)))[0];

/** A sale without a visit for the first patient, opened from their record; returns the invoice id. */
async function newSale(client: Client, patientIndex = 0) {
  const [midtown] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const [patient] = await app.db.select().from(patients).where(eq(patients.organizationId, midtown.organizationId)).orderBy(asc(patients.id)).limit(1).offset(patientIndex);
  const res = await client.post(`/patients/${patient.id}/invoices`, { intent: "newSale" });
  expect(res.status).toBe(302);
  return { invoiceId: res.headers.get("location")!.replace("/invoices/", ""), patientId: patient.id };
}

/** Sells a card on a new sale, pays it in cash, and reads its code off the printed card. */
async function soldCard(client: Client, fields: Record<string, string> = {}) {
  const { invoiceId } = await newSale(client);
  const sold = await client.post(`/invoices/${invoiceId}`, { intent: "giftCardSell", amount: "100", design: "botanical", recipientName: "Rosa", senderName: "Mia", message: "Happy birthday!", ...fields });
  expect(sold.status).toBe(302);
  const [card] = await app.db.select().from(giftCards).where(eq(giftCards.invoiceId, invoiceId));
  expect(card).toMatchObject({ status: "pending", balanceCents: 0, initialCents: 10_000 });
  // Not printable (nor spendable) until paid.
  expect((await client.get(`/gift-cards/${card.id}/card.pdf`)).status).toBe(409);
  expect(await invoiceRow(invoiceId)).toMatchObject({ totalCents: 10_000, taxCents: 0 });
  expect((await client.post(`/invoices/${invoiceId}`, { intent: "pay", method: "cash", amount: "100", paymentKey: crypto.randomUUID() })).status).toBe(302);
  const pdf = await client.get(`/gift-cards/${card.id}/card.pdf`);
  expect(pdf.headers.get("content-type")).toBe("application/pdf");
  const bytes = new Uint8Array(await pdf.arrayBuffer());
  await PDFDocument.load(bytes);
  const code = /([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(pdfText(bytes))![1];
  return { invoiceId, card: await cardRow(card.id), code };
}

/** A visit's invoice of $450 for another patient. */
async function visitInvoice(client: Client, hoursAgo = 1) {
  const v = await visit(hoursAgo);
  await app.db.update(appointments).set({ priceCents: 45_000 }).where(eq(appointments.id, v.id));
  const res = await client.post(`/appointments/${v.id}`, { intent: "checkout" });
  return res.headers.get("location")!.replace("/invoices/", "");
}

const payWithCard = (client: Client, invoiceId: string, code: string, amount: string, paymentKey = crypto.randomUUID()) => client.post(`/invoices/${invoiceId}`, { intent: "pay", method: "gift_card", giftCardCode: code, amount, paymentKey });

describe("gift cards (issue 12)", () => {
  it("a gift card line can't be repriced (its amount is the card's value): removed and sold again instead", async () => {
    const client = await desk();
    const { invoiceId } = await newSale(client);
    expect((await client.post(`/invoices/${invoiceId}`, { intent: "giftCardSell", amount: "100", design: "gold" })).status).toBe(302);
    const [line] = await app.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId));
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    const edit = await manager.post(`/invoices/${invoiceId}`, { intent: "editLine", lineId: line.id, quantity: "1", unitPrice: "50", reason: "Wrong amount" });
    expect(edit.status).toBe(400);
    expect(await edit.text()).toMatch(/A gift card(&#x27;|')s amount is its value/);
    expect((await app.db.select().from(invoiceLines).where(eq(invoiceLines.id, line.id)))[0].unitCents).toBe(10_000);
  });

  it("refunding a card's sale takes its value back off the card, never more than is left on it", async () => {
    const client = await desk();
    const { invoiceId: saleId, card, code } = await soldCard(client);
    const [cash] = await app.db.select().from(payments).where(eq(payments.invoiceId, saleId));
    const [line] = await app.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, saleId));
    // $30 of it is spent on a visit.
    expect((await payWithCard(client, await visitInvoice(client), code, "30")).status).toBe(302);
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    const refund = (fields: Record<string, string>) => manager.post(`/invoices/${saleId}`, { intent: "refund", paymentId: cash.id, reason: "Bought by mistake", refundKey: crypto.randomUUID(), ...fields });
    // Money back without taking the value off the card: refused.
    const unnamed = await refund({ amount: "10" });
    expect(unnamed.status).toBe(400);
    expect(await unnamed.text()).toContain("choose the card this refund takes back");
    // More than is left on the card: refused by the database, nothing written.
    const over = await refund({ amount: "100", giftCardLineId: line.id });
    expect(over.status).toBe(409);
    expect(await over.text()).toContain("has $70.00 left");
    expect((await cardRow(card.id)).balanceCents).toBe(7_000);
    expect(await app.db.select().from(refunds).where(eq(refunds.invoiceId, saleId))).toHaveLength(0);
    // What's left goes back in cash, and off the card.
    expect((await refund({ amount: "70", giftCardLineId: line.id })).status).toBe(302);
    expect((await cardRow(card.id)).balanceCents).toBe(0);
    expect(await invoiceRow(saleId)).toMatchObject({ refundedCents: 7_000, status: "partially_refunded" });
    const ledger = await app.db.select().from(giftCardEntries).where(eq(giftCardEntries.giftCardId, card.id)).orderBy(asc(giftCardEntries.id));
    expect(ledger.map((e) => [e.kind, e.amountCents, e.balanceAfter])).toEqual([["issue", 10_000, 10_000], ["redeem", -3_000, 7_000], ["sale_refund", -7_000, 0]]);
    const view = await client.get(`/gift-cards/${card.id}`);
    expect(await view.text()).toContain("Sale refunded");
    // Nothing is left to take back.
    const again = await refund({ amount: "1", giftCardLineId: line.id });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("has been spent");
  });

  it("sold at the desk, hold their value once paid, are spent in part elsewhere, and refunded back to the card", async () => {
    const client = await desk();
    const { card, code } = await soldCard(client);
    expect(card).toMatchObject({ status: "active", balanceCents: 10_000 });
    expect(card.codeLast4).toBe(code.replace(/-/g, "").slice(-4));
    // The code itself is nowhere in the database: a hash, the last 4, and a sealed copy.
    const raw = await app.client.execute({ sql: "select * from gift_cards where id = ?", args: [card.id] });
    expect(JSON.stringify(raw.rows)).not.toContain(code.replace(/-/g, ""));

    const invoiceId = await visitInvoice(client);
    // Typed in lower case with spaces: still the card.
    const paid = await payWithCard(client, invoiceId, code.toLowerCase().replace(/-/g, " "), "40");
    expect(paid.status).toBe(302);
    expect((await cardRow(card.id)).balanceCents).toBe(6_000);
    const [payment] = await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId));
    expect(payment).toMatchObject({ method: "gift_card", giftCardId: card.id, amountCents: 4_000 });
    // More than the card holds: refused by the field, nothing taken.
    const over = await payWithCard(client, invoiceId, code, "60.01");
    expect(over.status).toBe(400);
    expect(await over.text()).toContain("has $60.00 left");
    // Back to the card: its balance and history follow.
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    expect((await manager.post(`/invoices/${invoiceId}`, { intent: "refund", paymentId: payment.id, amount: "15", reason: "Treatment shortened", refundKey: crypto.randomUUID() })).status).toBe(302);
    expect((await cardRow(card.id)).balanceCents).toBe(7_500);
    const ledger = await app.db.select().from(giftCardEntries).where(eq(giftCardEntries.giftCardId, card.id)).orderBy(asc(giftCardEntries.id));
    expect(ledger.map((e) => [e.kind, e.amountCents, e.balanceAfter])).toEqual([
      ["issue", 10_000, 10_000],
      ["redeem", -4_000, 6_000],
      ["refund", 1_500, 7_500],
    ]);
    const page = await client.get(`/gift-cards/${card.id}`);
    expect(await page.text()).toContain("$75.00");
    // The day report counts the card sold and the part spent.
    const day = await (await client.get("/checkout")).text();
    expect(day).toContain("Gift cards sold");
  });

  it("two desks spending the same card at once never take it below zero", async () => {
    const client = await desk();
    const { code, card } = await soldCard(client);
    const a = await visitInvoice(client, 1);
    const b = await visitInvoice(client, 3);
    const ctx = { ...testContext(app, app.db), env: parseEnv({ DATABASE_URL: `file:${app.dbFile}`, SESSION_SECRET: SECRET, APP_ORIGIN: app.origin }) };
    const [actor] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.front_desk));
    const who = { id: actor.id, role: "front_desk" as const, organizationId: card.organizationId } as Parameters<typeof takePayment>[1];
    const both = await Promise.all([a, b].map((invoiceId) => takePayment(ctx, who, invoiceId, { method: "gift_card", giftCardCode: code, amount: 8_000, paymentKey: crypto.randomUUID() })));
    expect(both.map((r) => r.ok).sort()).toEqual([false, true]);
    // Told either way, depending on whether it read the card before or after the other landed.
    expect((both.find((r) => !r.ok) as { status: number; message: string }).message).toMatch(/used meanwhile: \$20\.00|has \$20\.00 left/);
    expect((await cardRow(card.id)).balanceCents).toBe(2_000);
    // The database itself refuses a payment beyond the card's balance, whoever writes it.
    const overdraw = app.client.execute({ sql: "insert into payments (id, organization_id, location_id, invoice_id, method, amount_cents, status, processor, client_key, created_at, gift_card_id) select ?, organization_id, location_id, id, 'gift_card', 2001, 'succeeded', 'none', ?, ?, ? from invoices where id = ?", args: [crypto.randomUUID(), crypto.randomUUID(), Date.now(), card.id, a] });
    await expect(overdraw).rejects.toThrow(/gift_cards_never_negative/);
    expect((await cardRow(card.id)).balanceCents).toBe(2_000);
  });

  it("tells a typo from a guess, throttles guesses, and is not found from another clinic", async () => {
    const client = await desk();
    const { code, card } = await soldCard(client);
    const invoiceId = await visitInvoice(client);
    const chars = code.replace(/-/g, "");
    const typo = chars.slice(0, 5) + (chars[5] === "A" ? "B" : "A") + chars.slice(6);
    const res = await payWithCard(client, invoiceId, typo, "10");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("has a typo");
    // Well-formed codes that aren't the clinic's count as guesses: five, then refused for a while.
    const { generateCode } = await import("../../app/gift-cards/codes");
    for (let i = 0; i < 5; i++) expect((await payWithCard(client, invoiceId, generateCode(), "10")).status).toBe(404);
    const throttled = await payWithCard(client, invoiceId, code, "10");
    expect(throttled.status).toBe(429);
    expect(await throttled.text()).toContain("Too many failed attempts");
    expect((await cardRow(card.id)).balanceCents).toBe(10_000);
    // Another clinic can't see or print it.
    const harbor = new Client(app.url);
    await harbor.signIn(`frontdesk@${ORG_B}`);
    expect((await harbor.get(`/gift-cards/${card.id}`)).status).toBe(404);
    expect((await harbor.get(`/gift-cards/${card.id}/card.pdf`)).status).toBe(404);
    const lookup = await harbor.post("/gift-cards", { code });
    expect(lookup.status).toBe(404);
  });

  it("an expired card is refused; a reload adds value once paid; a voided sale's card never holds value", async () => {
    const client = await desk();
    const { code, card } = await soldCard(client);
    // Reload: $50 more once that invoice is paid.
    const { invoiceId: reloadInvoice } = await newSale(client);
    expect((await client.post(`/invoices/${reloadInvoice}`, { intent: "giftCardReload", code, amount: "50" })).status).toBe(302);
    expect((await cardRow(card.id)).balanceCents).toBe(10_000);
    await client.post(`/invoices/${reloadInvoice}`, { intent: "pay", method: "cash", amount: "50", paymentKey: crypto.randomUUID() });
    expect((await cardRow(card.id)).balanceCents).toBe(15_000);
    // Expired: the payment's own insert refuses it.
    await app.db.update(giftCards).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(giftCards.id, card.id));
    const invoiceId = await visitInvoice(client);
    const expired = await payWithCard(client, invoiceId, code, "10");
    expect(expired.status).toBe(409);
    expect(await expired.text()).toContain("expired");
    // A sale voided before it was paid: its card is void.
    const { invoiceId: voided } = await newSale(client);
    await client.post(`/invoices/${voided}`, { intent: "giftCardSell", amount: "100", design: "gold" });
    const [pending] = await app.db.select().from(giftCards).where(eq(giftCards.invoiceId, voided));
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    expect((await manager.post(`/invoices/${voided}`, { intent: "void", reason: "Changed their mind" })).status).toBe(302);
    expect((await cardRow(pending.id)).status).toBe("void");
  });

  it("refuses bad sales by field with nothing written", async () => {
    const client = await desk();
    const { invoiceId } = await newSale(client);
    for (const [fields, field] of [
      [{ amount: "5", design: "gold" }, "between $25.00 and $1,000.00"],
      [{ amount: "5000", design: "gold" }, "between $25.00 and $1,000.00"],
      [{ amount: "-100", design: "gold" }, "Enter the gift card"],
      [{ amount: "100", design: "neon" }, "Choose a design"],
      [{ amount: "100", design: "gold", recipientEmail: "not-an-email" }, "recipient&#x27;s email"],
      [{ amount: "100", design: "gold", deliverOn: "2030-01-01" }, "Enter the recipient"],
      [{ amount: "100", design: "gold", recipientEmail: "a@example.com", deliverOn: "2001-01-01" }, "today or a day ahead"],
    ] as const) {
      const res = await client.post(`/invoices/${invoiceId}`, { intent: "giftCardSell", ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await res.text()).toContain(field);
    }
    expect(await app.db.select().from(giftCards)).toHaveLength(0);
    expect(await invoiceRow(invoiceId)).toMatchObject({ totalCents: 0 });
  });

  it("emails the card on its day with the PDF made at send time; the outbox keeps no code", async () => {
    const sendgrid = await fakeApi(() => ({ status: 202, headers: { "x-message-id": "sg-1" } }));
    try {
      const client = await desk();
      const tomorrow = new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10);
      const { card, code } = await soldCard(client, { recipientEmail: "rosa@example.com", deliverOn: tomorrow });
      const env = parseEnv({ DATABASE_URL: "file:x", SESSION_SECRET: SECRET, APP_ORIGIN: app.url, EMAIL_PROVIDER: "sendgrid", SENDGRID_API_KEY: "SG.test", SENDGRID_API_URL: sendgrid.url });
      const job = (at: number) => ({ db: app.db, clock: { now: () => new Date(at) }, env, logger: createLogger("silent"), origin: app.url });
      // Not yet its day: nothing goes.
      expect((await runMessageJob(job(Date.now()))).giftCardsQueued).toBe(0);
      const later = card.deliverAt!.getTime() + 60_000;
      expect((await runMessageJob(job(later))).giftCardsQueued).toBe(1);
      // Queued after this run's delivery: the next run sends it, and queues nothing again.
      const next = await runMessageJob(job(later));
      expect(next.giftCardsQueued).toBe(0);
      expect(next.sent).toBe(1);
      const [message] = await app.db.select().from(messages).where(eq(messages.kind, "gift_card"));
      expect(message).toMatchObject({ status: "sent", toAddress: "rosa@example.com", attachment: `gift_card:${card.id}` });
      expect(message.body).toContain("{{GIFT_CARD_CODE}}");
      expect(message.body).not.toContain(code);
      const sent = JSON.parse(sendgrid.requests[0].body) as { content: { value: string }[]; attachments: { content: string; filename: string; type: string }[] };
      expect(sent.content[0].value).toContain(`Your code: ${code}`);
      expect(sent.attachments[0]).toMatchObject({ filename: `gift-card-${card.codeLast4}.pdf`, type: "application/pdf" });
      const pdf = Buffer.from(sent.attachments[0].content, "base64");
      await PDFDocument.load(pdf);
      expect(pdfText(pdf)).toContain(code);
      // The print and the sale are audited by id only.
      const printed = await app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "gift_card.print"), eq(auditEvents.entityId, card.id)));
      expect(printed).toHaveLength(1);
    } finally {
      await sendgrid.close();
    }
  });

  it("without an email provider the card's email is held, never shown on the outbox page", async () => {
    const client = await desk();
    const { card, code } = await soldCard(client, { recipientEmail: "rosa@example.com" });
    const env = parseEnv({ DATABASE_URL: "file:x", SESSION_SECRET: SECRET, APP_ORIGIN: app.url });
    for (let run = 0; run < 2; run++) await runMessageJob({ db: app.db, clock: { now: () => new Date() }, env, logger: createLogger("silent"), origin: app.url } as never);
    const [message] = await app.db.select().from(messages).where(eq(messages.attachment, `gift_card:${card.id}`));
    expect(message.status).toBe("held");
    const owner = new Client(app.url);
    await owner.signIn(ROLE_EMAILS.owner);
    expect(await (await owner.get("/outbox")).text()).not.toContain(code);
  });
});
