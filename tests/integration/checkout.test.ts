import { and, asc, eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PDFDocument } from "pdf-lib";
import { appointments, auditEvents, cashDrawers, invoiceEvents, invoiceLines, invoices, invoiceTips, messages, payments, productLots, refunds, services, stockMovements, users } from "../../db/schema";
import { Client, DEMO_PASSWORD, ORG_B, ROLE_EMAILS, startTestApp, testContext, type TestApp } from "../helpers/test-app";
import { takePayment } from "../../app/checkout/payments.server";
import { ANSWERS, chartingHelpers, lotId, point } from "../helpers/charting";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

const { visit, providerClient, openChart, consentsOnFile } = chartingHelpers(() => app);

async function signedIn(role: keyof typeof ROLE_EMAILS) {
  const client = new Client(app.url);
  await client.signIn(ROLE_EMAILS[role]);
  return client;
}

/** A neurotoxin visit charted (28 u of Botox, 1.5 ml of Juvéderm) and signed by its provider. */
async function chartedVisit(hoursAgo: number) {
  const v = await visit(hoursAgo);
  await consentsOnFile(v.patient.id);
  const provider = await providerClient();
  const encounterId = await openChart(provider, v.id);
  const signed = await provider.post(`/charts/${encounterId}`, {
    intent: "sign",
    password: DEMO_PASSWORD,
    revision: "1",
    ...ANSWERS,
    ...point(0, { zone: "glabella", lotId: lotId(v.location.id, "C3912"), amount: "20", view: "front", x: "500", y: "305" }),
    ...point(1, { zone: "forehead", lotId: lotId(v.location.id, "C3912"), amount: "8", view: "front", x: "500", y: "190" }),
    ...point(2, { zone: "lips", lotId: lotId(v.location.id, "J2201"), amount: "1.5", view: "front", x: "500", y: "700" }),
  });
  expect(signed.status).toBe(302);
  return { ...v, encounterId };
}

/** Opens checkout for a visit as `client`; returns the invoice id. */
async function checkout(client: Client, appointmentId: string) {
  const res = await client.post(`/appointments/${appointmentId}`, { intent: "checkout" });
  expect(res.status).toBe(302);
  return res.headers.get("location")!.replace("/invoices/", "");
}

const invoiceRow = async (id: string) => (await app.db.select().from(invoices).where(eq(invoices.id, id)))[0];
const linesOf = (id: string) => app.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, id)).orderBy(asc(invoiceLines.position));
const pay = (client: Client, invoiceId: string, fields: Record<string, string>) => client.post(`/invoices/${invoiceId}`, { intent: "pay", paymentKey: crypto.randomUUID(), ...fields });

describe("checkout (issue 12)", () => {
  it("builds the invoice from the signed chart, sells retail from stock, tips the provider, and takes cash then card to paid", async () => {
    const { id: appointmentId, location } = await chartedVisit(1);
    const desk = await signedIn("front_desk");
    const invoiceId = await checkout(desk, appointmentId);
    // The same visit checked out again opens the same invoice.
    expect(await checkout(desk, appointmentId)).toBe(invoiceId);

    // Charted units priced from the catalogue: 28 u × $14; 1.5 ml of a 1 ml syringe is two syringes × $750. No $450 service line.
    expect((await linesOf(invoiceId)).map((l) => [l.kind, l.description, l.quantity, l.unitCents, l.grossCents])).toEqual([
      ["treatment", "Botox · 28 u", 2800, 1400, 39_200],
      ["treatment", "Juvéderm Ultra XC · 1.5 ml (2 syringes)", 200, 75_000, 150_000],
    ]);
    const first = await invoiceRow(invoiceId);
    expect([first.status, first.totalCents, first.number > 0]).toEqual(["draft", 189_200, true]);

    // Retail at the desk comes out of this location's stock; New York's 8.875 % applies to it only.
    const serum = `${first.organizationId}-product-serum`;
    expect((await desk.post(`/invoices/${invoiceId}`, { intent: "retail", productId: serum, quantity: "1" })).status).toBe(302);
    const [lot] = await app.db.select().from(productLots).where(eq(productLots.id, lotId(location.id, "TNS2611")));
    expect(lot.remaining).toBe(11_00);
    expect((await app.db.select().from(stockMovements).where(and(eq(stockMovements.lotId, lot.id), eq(stockMovements.kind, "sell")))).map((m) => m.quantity)).toEqual([-100]);

    // A 20 % tip is on the services before tax ($1,892 → $378.40), for the visit's provider.
    expect((await desk.post(`/invoices/${invoiceId}`, { intent: "tip", tip: "2000", providerIds: (await providerId()) })).status).toBe(302);
    const tipped = await invoiceRow(invoiceId);
    // $295 × 8.875 % = $26.18 (half up).
    expect([tipped.subtotalCents, tipped.taxCents, tipped.tipCents, tipped.totalCents]).toEqual([218_700, 2_618, 37_840, 218_700 + 2_618 + 37_840]);
    expect((await app.db.select().from(invoiceTips).where(eq(invoiceTips.invoiceId, invoiceId))).map((t) => t.cents)).toEqual([37_840]);

    // Split: $500 in cash, then the rest by card on the clinic's terminal.
    const cash = await pay(desk, invoiceId, { method: "cash", amount: "500" });
    expect(cash.status).toBe(302);
    expect((await invoiceRow(invoiceId)).status).toBe("partially_paid");
    const owed = tipped.totalCents - 50_000;
    // More than is owed by card is refused; nothing written.
    const over = await pay(desk, invoiceId, { method: "card", amount: ((owed + 1) / 100).toFixed(2), cardBrand: "visa", cardLast4: "4242", authCode: "A1B2C3" });
    expect(over.status).toBe(400);
    expect(await over.text()).toMatch(/more than is owed/);
    const card = await pay(desk, invoiceId, { method: "card", amount: (owed / 100).toFixed(2), cardBrand: "visa", cardLast4: "4242", authCode: "a1b2c3" });
    expect(card.status).toBe(302);
    const paid = await invoiceRow(invoiceId);
    expect([paid.status, paid.paidCents, paid.totalCents]).toEqual(["paid", paid.totalCents, tipped.totalCents]);
    expect((await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId))).map((p) => [p.method, p.amountCents, p.cardLast4, p.authCode, p.processor])).toEqual([
      ["cash", 50_000, null, null, "none"],
      ["card", owed, "4242", "A1B2C3", "clinic_terminal"],
    ]);

    // The page shows it all; its history says who did what; the audit has ids, never card details.
    const page = await (await desk.get(`/invoices/${invoiceId}?taken=${(await app.db.select().from(payments).where(eq(payments.method, "card")))[0].id}`)).text();
    expect(page).toMatch(/Paid in full/);
    expect(page).toMatch(/Visa •••• 4242/);
    const history = await app.db.select().from(invoiceEvents).where(eq(invoiceEvents.invoiceId, invoiceId));
    expect(history.map((h) => h.kind).sort()).toEqual(["create", "line_add", "payment", "payment", "tip"]);
    await new Promise((r) => setTimeout(r, 50));
    const audits = await app.db.select().from(auditEvents).where(inArray(auditEvents.action, ["invoice.create", "invoice.read", "invoice.line_add", "invoice.tip", "payment.take"]));
    expect(audits.filter((a) => a.action === "payment.take").map((a) => a.outcome)).toEqual(["allowed", "allowed"]);
    expect(audits.some((a) => a.action === "invoice.read" && a.entityId === invoiceId)).toBe(true);
    for (const a of audits) expect(JSON.stringify(a)).not.toMatch(/4242|A1B2C3|Botox|Juv/);
  });

  it("cash gives change; the same form sent twice is one payment; two desks paying at once never overpay", async () => {
    const { id: appointmentId } = await chartedVisit(2);
    const desk = await signedIn("front_desk");
    const manager = await signedIn("manager");
    const invoiceId = await checkout(desk, appointmentId);
    const total = (await invoiceRow(invoiceId)).totalCents;

    // The same form twice (a double tap), at the same moment: one payment.
    const key = crypto.randomUUID();
    const twice = await Promise.all([1, 2].map(() => desk.post(`/invoices/${invoiceId}`, { intent: "pay", paymentKey: key, method: "cash", amount: "100" })));
    expect(twice.map((r) => r.status)).toEqual([302, 302]);
    expect((await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId))).length).toBe(1);

    // Two desks each take the whole balance by card at once: one lands, the other is told.
    const owed = ((total - 10_000) / 100).toFixed(2);
    const card = (client: Client) => pay(client, invoiceId, { method: "card", amount: owed, cardBrand: "mastercard", cardLast4: "5454", authCode: "ZX9911" });
    // Over HTTP the later ones may read the new balance first (400) or lose at the database (409).
    const raced = await Promise.all([card(desk), card(manager), card(desk)]);
    expect(raced.map((r) => r.status).sort()[0]).toBe(302);
    expect(raced.filter((r) => r.status === 302).length).toBe(1);
    for (const r of raced) expect([302, 400, 409]).toContain(r.status);
    const after = await invoiceRow(invoiceId);
    expect([after.paidCents, after.status]).toEqual([total, "paid"]);
    // Nothing more is owed: cash is refused too (no change without a balance).
    expect((await pay(desk, invoiceId, { method: "cash", amount: "20" })).status).toBe(400);
  });

  it("two payments that both read the same balance: the database lets one land and refuses the other whole", async () => {
    const { id: appointmentId } = await chartedVisit(11);
    const desk = await signedIn("front_desk");
    const invoiceId = await checkout(desk, appointmentId);
    const { totalCents, organizationId } = await invoiceRow(invoiceId);
    const ctx = testContext(app, app.db);
    const [actor] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.front_desk));
    const who = { id: actor.id, role: "front_desk" as const, organizationId } as Parameters<typeof takePayment>[1];
    // Both read the invoice before either writes (the reads are awaited side by side).
    const both = await Promise.all([1, 2].map(() => takePayment(ctx, who, invoiceId, { method: "card", amount: totalCents, cardBrand: "visa", cardLast4: "1111", authCode: "RACE01", paymentKey: crypto.randomUUID() })));
    expect(both.map((r) => r.ok).sort()).toEqual([false, true]);
    const lost = both.find((r) => !r.ok) as { status: number; message: string };
    expect([lost.status, lost.message]).toEqual([409, "This invoice has been paid in full meanwhile."]);
    expect((await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId))).map((p) => p.amountCents)).toEqual([totalCents]);
    expect((await invoiceRow(invoiceId)).paidCents).toBe(totalCents);
  });

  it("numbers invoices in sequence with no duplicates when many desks check out at once", async () => {
    const visits = await Promise.all([3, 4, 5, 6, 7, 8].map((h) => visit(h)));
    const desks = await Promise.all([signedIn("front_desk"), signedIn("manager"), signedIn("owner")]);
    const ids = await Promise.all(visits.map((v, i) => checkout(desks[i % desks.length], v.id)));
    const rows = await app.db.select({ number: invoices.number }).from(invoices).where(inArray(invoices.id, ids));
    const numbers = rows.map((r) => r.number).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(6);
    expect(numbers[5] - numbers[0]).toBe(5);
  });

  it("keeps discounts within the desk's limit, refuses bad amounts by field, and voids only what is unpaid", async () => {
    const { id: appointmentId } = await chartedVisit(9);
    const desk = await signedIn("front_desk");
    const invoiceId = await checkout(desk, appointmentId);
    const before = await invoiceRow(invoiceId);
    const post = (client: Client, fields: Record<string, string>) => client.post(`/invoices/${invoiceId}`, fields);

    for (const [fields, status, message] of [
      [{ intent: "discount", target: "invoice", kind: "percent", percent: "15", reason: "Loyal patient" }, 403, /above 10 % need a manager/],
      [{ intent: "discount", target: "invoice", kind: "percent", percent: "150", reason: "Typo" }, 400, /at most 100 %/],
      [{ intent: "discount", target: "invoice", kind: "amount", amount: "-5", reason: "Typo" }, 400, /Enter the discount/],
      [{ intent: "discount", target: "invoice", kind: "percent", percent: "5", reason: "" }, 400, /Say why there is a discount/],
      [{ intent: "pay", paymentKey: crypto.randomUUID(), method: "cash", amount: "10.005" }, 400, /Enter the cash handed over/],
      [{ intent: "pay", paymentKey: crypto.randomUUID(), method: "card", amount: "10", cardBrand: "visa", cardLast4: "42424242", authCode: "A1" }, 400, /last 4 digits/],
      [{ intent: "retail", productId: "not-a-product", quantity: "1" }, 409, /Not enough of that product/],
      [{ intent: "editLine", lineId: "x", quantity: "1", unitPrice: "1", reason: "Because" }, 403, /permission/],
      [{ intent: "refund-everything" }, 400, /isn't one the invoice knows/],
    ] as const) {
      const res = await post(desk, fields);
      expect([fields.intent, res.status]).toEqual([fields.intent, status]);
      expect(await res.text()).toMatch(message);
    }
    const unchanged = await invoiceRow(invoiceId);
    expect([unchanged.revision, unchanged.totalCents, unchanged.paidCents]).toEqual([before.revision, before.totalCents, 0]);

    // Within the limit the desk discounts; beyond it a manager does.
    expect((await post(desk, { intent: "discount", target: "invoice", kind: "percent", percent: "10", reason: "First visit offer" })).status).toBe(302);
    expect((await invoiceRow(invoiceId)).discountCents).toBe(18_920);
    const manager = await signedIn("manager");
    const [botox] = await linesOf(invoiceId);
    expect((await post(manager, { intent: "discount", target: botox.id, kind: "amount", amount: "100", reason: "Touch-up agreed" })).status).toBe(302);
    expect((await post(manager, { intent: "editLine", lineId: botox.id, quantity: "26", unitPrice: "14", reason: "Two units wasted, not charged" })).status).toBe(302);
    expect((await linesOf(invoiceId))[0].grossCents).toBe(36_400);

    // Void: with a reason, only unpaid; afterwards no tip and no payment lands on it.
    expect((await post(manager, { intent: "void", reason: "" })).status).toBe(400);
    expect((await post(manager, { intent: "void", reason: "Booked in error" })).status).toBe(302);
    expect((await invoiceRow(invoiceId)).status).toBe("void");
    expect((await post(desk, { intent: "tip", tip: "2000", providerIds: await providerId() })).status).toBe(409);
    expect((await pay(desk, invoiceId, { method: "cash", amount: "10" })).status).toBe(409);
    expect((await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId))).length).toBe(0);
  });

  it("billing settings: a manager sets a location's tax and the desk's limits; new invoices follow; bad input changes nothing", async () => {
    const manager = await signedIn("manager");
    const { location } = await visit(12);
    const tax = (fields: Record<string, string>) => manager.post("/settings/billing", { intent: "tax", locationId: location.id, taxMode: "inclusive", servicesRate: "5", retailRate: "8.875", ...fields });
    for (const [fields, message] of [
      [{ servicesRate: "-1" }, /services tax rate as a percentage/],
      [{ retailRate: "8.8755" }, /retail tax rate as a percentage/],
      [{ retailRate: "101" }, /at most 100 %/],
      [{ taxMode: "sometimes" }, /whether prices include tax/],
    ] as const) {
      const res = await tax(fields);
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(message);
    }
    expect((await tax({ locationId: "nope" })).status).toBe(404);
    expect((await tax({})).status).toBe(200);
    expect((await manager.post("/settings/billing", { intent: "policy", deskDiscountLimit: "5", tipPresets: "15, 20" })).status).toBe(200);
    expect((await manager.post("/settings/billing", { intent: "policy", deskDiscountLimit: "5", tipPresets: "lots" })).status).toBe(400);
    const desk = await signedIn("front_desk");
    expect((await desk.get("/settings/billing")).status).toBe(403);

    // A visit billed at its own price (not by product): the service line at 5 % tax included.
    const { id: appointmentId } = await visit(13);
    const [facial] = await app.db.select().from(services).where(and(eq(services.organizationId, location.organizationId), eq(services.name, "HydraFacial")));
    await app.db.update(appointments).set({ serviceId: facial.id, priceCents: 22_500 }).where(eq(appointments.id, appointmentId));
    const invoiceId = await checkout(desk, appointmentId);
    const row = await invoiceRow(invoiceId);
    // $225 including 5 %: $10.71 of it is tax; the total stays $225.
    expect([row.taxMode, row.subtotalCents, row.taxCents, row.totalCents]).toEqual(["inclusive", 22_500, 1_071, 22_500]);
    const page = await (await desk.get(`/invoices/${invoiceId}`)).text();
    expect(page).toMatch(/15 % · \$33\.75/);
    expect((await desk.post(`/invoices/${invoiceId}`, { intent: "discount", target: "invoice", kind: "percent", percent: "6", reason: "Over the new limit" })).status).toBe(403);
  });

  it("takes a split (card, then cash with change) in one go, emails an itemized receipt once per state, and prints it on a roll, Letter or A4", async () => {
    const { id: appointmentId, patient } = await chartedVisit(14);
    const desk = await signedIn("front_desk");
    const invoiceId = await checkout(desk, appointmentId);
    const { totalCents } = await invoiceRow(invoiceId);
    // A split in one go: the card for all but $500, and $600 in cash handed over ($100 change).
    const tooMuchOnCard = await pay(desk, invoiceId, { method: "split", cardAmount: ((totalCents + 100) / 100).toFixed(2), amount: "600", cardBrand: "amex", cardLast4: "0005", authCode: "AMX123" });
    expect(tooMuchOnCard.status).toBe(400);
    expect(await tooMuchOnCard.text()).toMatch(/more than is owed/);
    expect((await pay(desk, invoiceId, { method: "split", cardAmount: ((totalCents - 50_000) / 100).toFixed(2), amount: "600", cardBrand: "amex", cardLast4: "0005", authCode: "AMX123" })).status).toBe(302);
    expect((await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId))).map((p) => [p.method, p.amountCents, p.tenderedCents, p.changeCents]).sort()).toEqual([
      ["card", totalCents - 50_000, null, 0],
      ["cash", 50_000, 60_000, 10_000],
    ]);
    expect((await invoiceRow(invoiceId)).status).toBe("paid");
    for (let i = 0; i < 2; i++) expect((await desk.post(`/invoices/${invoiceId}`, { intent: "emailReceipt" })).status).toBe(302);
    const sent = await app.db.select().from(messages).where(eq(messages.kind, "receipt"));
    expect(sent.length).toBe(1);
    expect([sent[0].toAddress, sent[0].channel, sent[0].patientId]).toEqual([patient.email, "email", patient.id]);
    expect(sent[0].body).toMatch(/Botox · 28 u × 28\s+\$392\.00/);
    expect(sent[0].body).toMatch(/American Express \*\*\*\* 0005/);
    expect(sent[0].body).toMatch(/tendered \$600\.00, change \$100\.00/);
    expect(sent[0].body).toMatch(/Paid in full/);
    expect(sent[0].body).not.toMatch(/AMX123/);

    for (const [paper, width] of [["receipt", 226.77], ["letter", 612], ["a4", 595.28]] as const) {
      const res = await desk.get(`/invoices/${invoiceId}/receipt.pdf?paper=${paper}`);
      expect([res.status, res.headers.get("content-type")]).toEqual([200, "application/pdf"]);
      expect(res.headers.get("cache-control")).toMatch(/no-store/);
      const pdf = await PDFDocument.load(new Uint8Array(await res.arrayBuffer()));
      expect(Math.round(pdf.getPage(0).getWidth())).toBe(Math.round(width));
    }
    expect((await desk.get(`/invoices/${invoiceId}/receipt.pdf?paper=scroll`)).status).toBe(400);
    const provider = await providerClient();
    expect((await provider.get(`/invoices/${invoiceId}/receipt.pdf`)).status).toBe(403);
  });

  it("refunds go back to the payment they undo, never beyond it (also when two race), with retail back on the shelf when chosen", async () => {
    const { id: appointmentId, location } = await chartedVisit(15);
    const desk = await signedIn("front_desk");
    const manager = await signedIn("manager");
    const invoiceId = await checkout(desk, appointmentId);
    const { organizationId } = await invoiceRow(invoiceId);
    expect((await desk.post(`/invoices/${invoiceId}`, { intent: "retail", productId: `${organizationId}-product-spf`, quantity: "2" })).status).toBe(302);
    const { totalCents } = await invoiceRow(invoiceId);
    await pay(desk, invoiceId, { method: "split", cardAmount: ((totalCents - 20_000) / 100).toFixed(2), amount: "200", cardBrand: "visa", cardLast4: "4242", authCode: "RF0001" });
    const [card, cash] = (await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId))).sort((a, b) => a.method.localeCompare(b.method));
    const [spfLine] = (await linesOf(invoiceId)).filter((l) => l.kind === "retail");
    const shelf = async () => (await app.db.select().from(productLots).where(eq(productLots.id, lotId(location.id, "EM4471"))))[0].remaining;
    const before = await shelf();
    const refund = (client: Client, fields: Record<string, string>) => client.post(`/invoices/${invoiceId}`, { intent: "refund", refundKey: crypto.randomUUID(), reason: "Returned unopened", ...fields });

    // The desk can't; a manager can, with a reason; never beyond what that payment took.
    expect((await refund(desk, { paymentId: cash.id, amount: "10" })).status).toBe(403);
    expect((await refund(manager, { paymentId: cash.id, amount: "10", reason: "" })).status).toBe(400);
    const tooMuch = await refund(manager, { paymentId: cash.id, amount: "200.01" });
    expect([tooMuch.status, await tooMuch.text()]).toEqual([400, expect.stringMatching(/At most \$200\.00 can go back to this payment/)]);
    expect((await refund(manager, { paymentId: "someone-elses", amount: "1" })).status).toBe(404);

    // The two sunscreens back to the card they were paid with, and back on the shelf.
    expect((await refund(manager, { paymentId: card.id, amount: "82", restockLineId: spfLine.id })).status).toBe(302);
    expect(await shelf()).toBe(before + 200);
    expect((await refund(manager, { paymentId: card.id, amount: "1", restockLineId: spfLine.id })).status).toBe(409);
    const partly = await invoiceRow(invoiceId);
    expect([partly.status, partly.refundedCents]).toEqual(["partially_refunded", 8_200]);

    // Two refunds of the whole cash payment at once: one lands.
    const raced = await Promise.all([refund(manager, { paymentId: cash.id, amount: "200" }), refund(manager, { paymentId: cash.id, amount: "200" })]);
    expect(raced.map((r) => r.status).sort()).toEqual([302, 400]);
    expect((await app.db.select().from(refunds).where(eq(refunds.paymentId, cash.id))).map((r) => r.amountCents)).toEqual([20_000]);
    // The rest of the card: everything is back; the invoice says so.
    expect((await refund(manager, { paymentId: card.id, amount: ((card.amountCents - 8_200) / 100).toFixed(2) })).status).toBe(302);
    const done = await invoiceRow(invoiceId);
    expect([done.status, done.refundedCents, done.paidCents]).toEqual(["refunded", done.paidCents, totalCents]);
    const audits = await app.db.select().from(auditEvents).where(eq(auditEvents.action, "payment.refund"));
    expect(audits.filter((a) => a.outcome === "allowed").length).toBe(3);
    for (const a of audits) expect(JSON.stringify(a)).not.toMatch(/4242|RF0001|Returned/);
  });

  it("the drawer opens with a float, follows cash taken, refunded, put in and out, and closes with a shortage the day report shows", async () => {
    const { id: appointmentId } = await chartedVisit(16);
    const desk = await signedIn("front_desk");
    const manager = await signedIn("manager");
    // The desk works at Midtown (the visit's location).
    const drawer = (client: Client, fields: Record<string, string>) => client.post("/checkout", fields);
    expect((await drawer(desk, { intent: "cashIn", amount: "10", reason: "Change float" })).status).toBe(409);
    expect((await drawer(desk, { intent: "open", float: "-5" })).status).toBe(400);
    expect((await drawer(desk, { intent: "open", float: "200" })).status).toBe(302);
    expect((await drawer(desk, { intent: "open", float: "200" })).status).toBe(409);
    const invoiceId = await checkout(desk, appointmentId);
    const { totalCents } = await invoiceRow(invoiceId);
    await pay(desk, invoiceId, { method: "split", cardAmount: ((totalCents - 50_000) / 100).toFixed(2), amount: "600", cardBrand: "visa", cardLast4: "4242", authCode: "DRW001" });
    const [cash] = (await app.db.select().from(payments).where(and(eq(payments.invoiceId, invoiceId), eq(payments.method, "cash"))));
    expect((await manager.post(`/invoices/${invoiceId}`, { intent: "refund", refundKey: crypto.randomUUID(), paymentId: cash.id, amount: "20", reason: "Price match" })).status).toBe(302);
    expect((await drawer(desk, { intent: "cashOut", amount: "50", reason: "" })).status).toBe(400);
    expect((await drawer(desk, { intent: "cashOut", amount: "50", reason: "Bank deposit" })).status).toBe(302);
    // 200 float + 500 cash − 20 refunded − 50 out = 630 expected; 600 counted: $30 short.
    const open = await (await desk.get("/checkout")).text();
    expect(open).toMatch(/Should hold<\/dt><dd[^>]*>\$630\.00/);
    expect((await drawer(desk, { intent: "close", counted: "600", note: "Recounted twice" })).status).toBe(302);
    expect((await drawer(desk, { intent: "close", counted: "600" })).status).toBe(409);
    const [closed] = await app.db.select().from(cashDrawers);
    expect([closed.expectedCents, closed.countedCents]).toEqual([63_000, 60_000]);
    const day = await (await desk.get("/checkout")).text();
    expect(day).toMatch(/short − \$30\.00/);
    expect(day).toMatch(/#\d+ · /);
    const report = await (await manager.get("/checkout")).text();
    expect(report).toMatch(/Cash<\/th><td[^>]*>1<\/td><td[^>]*>\$500\.00<\/td><td[^>]*>− \$20\.00<\/td><td[^>]*>\$480\.00/);
    const provider = await providerClient();
    expect((await provider.get("/checkout")).status).toBe(403);
  });

  it("the patient record shows what the patient owes across invoices, aged, and each invoice", async () => {
    const first = await chartedVisit(17);
    const second = await chartedVisit(18);
    const desk = await signedIn("front_desk");
    const paidId = await checkout(desk, first.id);
    const openId = await checkout(desk, second.id);
    const paidRow = await invoiceRow(paidId);
    await pay(desk, paidId, { method: "cash", amount: (paidRow.totalCents / 100).toFixed(2) });
    // The other was issued 45 days ago and $100 of it paid.
    expect((await desk.post(`/invoices/${openId}`, { intent: "issue" })).status).toBe(302);
    await app.db.update(invoices).set({ issuedAt: new Date(Date.now() - 45 * 86_400_000) }).where(eq(invoices.id, openId));
    await pay(desk, openId, { method: "cash", amount: "100" });
    const owed = (await invoiceRow(openId)).totalCents - 10_000;
    const money = (cents: number) => `$${(cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })}`;
    const res = await desk.get(`/patients/${first.patient.id}/invoices`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`#${paidRow.number}`);
    expect(html).toMatch(new RegExp(`30–59 days</dt><dd[^>]*>${money(owed).replace(/[$.]/g, "\\$&")}`));
    expect(html).toMatch(/Current<\/dt><dd[^>]*>\$0\.00/);
    const provider = await providerClient();
    expect((await provider.get(`/patients/${first.patient.id}/invoices`)).status).toBe(403);
    const other = new Client(app.url);
    await other.signIn(`owner@${ORG_B}`);
    expect((await other.get(`/patients/${first.patient.id}/invoices`)).status).toBe(404);
  });

  it("is not found from another organization, and not open to a provider", async () => {
    const { id: appointmentId } = await chartedVisit(10);
    const desk = await signedIn("front_desk");
    const invoiceId = await checkout(desk, appointmentId);
    const other = new Client(app.url);
    await other.signIn(`owner@${ORG_B}`);
    expect((await other.get(`/invoices/${invoiceId}`)).status).toBe(404);
    expect((await pay(other, invoiceId, { method: "cash", amount: "10" })).status).toBe(404);
    expect((await other.post(`/appointments/${appointmentId}`, { intent: "checkout" })).status).toBe(404);
    const provider = await providerClient();
    expect((await provider.get(`/invoices/${invoiceId}`)).status).toBe(403);
    expect((await pay(provider, invoiceId, { method: "cash", amount: "10" })).status).toBe(403);
    expect((await app.db.select().from(payments).where(eq(payments.invoiceId, invoiceId))).length).toBe(0);
  });
});

async function providerId() {
  const [row] = await app.db.select({ id: users.id }).from(users).where(eq(users.email, ROLE_EMAILS.provider));
  return row.id;
}
