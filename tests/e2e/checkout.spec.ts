import { expect, test } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { encounterPoints, encounters, invoices, locations, messages, patients, payments, products, services, users } from "../../db/schema";
import { addVisit, e2eDb, emailedGiftCardCode, expectAccessible, mailsTo, signIn, textOverflows } from "./fixtures";
import { routeFakeStripe } from "./fake-stripe-js";
import { pdfText } from "../helpers/pdf-text";

/** A neurotoxin visit in a room at Midtown, charted with 28 u of Botox (as the provider's chart leaves it), `daysAgo` back. */
async function chartedVisit(daysAgo: number) {
  const { client, db } = e2eDb();
  const [location] = await db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const [provider] = await db.select().from(users).where(eq(users.email, "provider@lumen.example"));
  const [service] = await db.select().from(services).where(and(eq(services.organizationId, location.organizationId), eq(services.name, "Neurotoxin (Botox, Dysport)")));
  const [patient] = await db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1);
  const [botox] = await db.select().from(products).where(and(eq(products.organizationId, location.organizationId), eq(products.name, "Botox")));
  const id = crypto.randomUUID();
  const encounterId = crypto.randomUUID();
  const start = new Date(Math.floor(Date.now() / 86_400_000 - daysAgo) * 86_400_000 + 8 * 3_600_000);
  const end = new Date(start.getTime() + 30 * 60_000);
  await addVisit(db, { id, organizationId: location.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, roomId: null, status: "in_room", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 45_000, createdAt: new Date() });
  await db.insert(encounters).values({ id: encounterId, organizationId: location.organizationId, locationId: location.id, appointmentId: id, patientId: patient.id, providerId: provider.id, serviceId: service.id, templateVersionId: `seed-neurotoxin-${location.organizationId}-v1`, createdAt: new Date(), updatedAt: new Date() });
  await db.insert(encounterPoints).values([
    { id: crypto.randomUUID(), encounterId, organizationId: location.organizationId, position: 0, view: "front", x: 500, y: 305, zone: "glabella", productId: botox.id, lotId: `${location.id}-lot-C3912`, amount: 2000 },
    { id: crypto.randomUUID(), encounterId, organizationId: location.organizationId, position: 1, view: "front", x: 500, y: 190, zone: "forehead", productId: botox.id, lotId: `${location.id}-lot-C3912`, amount: 800 },
  ]);
  client.close();
  return { id, patient };
}

test("the desk checks a charted visit out: units already on the invoice, retail and a tip added, a split of card and cash with change, the receipt emailed and printed", async ({ browser }) => {
  const { id: visit, patient } = await chartedVisit(3);
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(page, "frontdesk@lumen.example");
  await page.goto(`/appointments/${visit}`);
  await page.getByRole("button", { name: "Check out" }).click();
  await page.waitForURL(/\/invoices\//);
  const invoiceUrl = page.url();

  // The charted units are on it already, priced from the catalogue: 28 u × $14.
  const lines = page.getByRole("table", { name: "Invoice lines" });
  await expect(lines.getByRole("row", { name: /Botox · 28 u/ })).toContainText("$392.00");
  await expectAccessible(page);

  // Retail from the shelf (New York's 8.875 % on it), and a 20 % tip on the services for the provider.
  const spf = await page.getByLabel("Add a retail product").locator("option", { hasText: "EltaMD UV Clear SPF 46" }).getAttribute("value");
  await page.getByLabel("Add a retail product").selectOption(spf!);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByText("Product added.")).toBeVisible();
  await expect(lines.getByRole("row", { name: /EltaMD UV Clear SPF 46/ })).toContainText("$41.00");
  await page.getByRole("radio", { name: /20 % · \$78\.40/ }).check();
  await page.getByRole("button", { name: "Save tip" }).click();
  await expect(page.getByText("Tip saved.")).toBeVisible();
  const summary = page.getByRole("region", { name: "Summary" });
  // $392 + $41 + $3.64 tax + $78.40 tip = $515.04.
  await expect(summary).toContainText("$515.04");

  // Split: $400 on the card, $150 in cash handed over for the $115.04 left → $34.96 change.
  const pay = page.getByRole("region", { name: "Take payment" });
  await pay.getByRole("radio", { name: "Split: card + cash" }).check();
  await pay.getByLabel("On the card, $").fill("400");
  await pay.getByLabel("Cash handed over, $").fill("150");
  await expect(pay.getByRole("status")).toHaveText("Change due $34.96");
  await pay.getByLabel("Brand").selectOption("visa");
  await pay.getByLabel("Last 4 digits").fill("4242");
  await pay.getByLabel("Authorization code").fill("E2E123");
  await pay.getByRole("button", { name: "Take card and cash" }).click();
  await expect(page.getByText("Paid in full.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Payments" })).toContainText("Visa •••• 4242");
  expect(await textOverflows(page)).toEqual([]);
  await expectAccessible(page);

  // The receipt goes out through the outbox; its PDF (receipt printer's roll) parses.
  await page.getByRole("button", { name: "Email receipt" }).click();
  await expect(page.getByText("Receipt emailed to the patient.")).toBeVisible();
  const { client, db } = e2eDb();
  const invoiceId = invoiceUrl.split("/").pop()!;
  const [row] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
  const taken = await db.select().from(payments).where(eq(payments.invoiceId, invoiceId));
  const sent = await db.select().from(messages).where(and(eq(messages.kind, "receipt"), eq(messages.patientId, patient.id)));
  client.close();
  expect([row.status, row.totalCents, row.paidCents]).toEqual(["paid", 51_504, 51_504]);
  expect(taken.map((p) => [p.method, p.amountCents, p.changeCents]).sort()).toEqual([["card", 40_000, 0], ["cash", 11_504, 3_496]]);
  expect(sent.at(-1)?.body).toMatch(/Visa \*\*\*\* 4242/);
  const pdf = await page.request.get(`${invoiceUrl}/receipt.pdf`);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await PDFDocument.load(await pdf.body())).getPageCount()).toBeGreaterThan(0);
});

test("without JavaScript the desk takes cash and sees the change", async ({ browser }) => {
  const { id: visit } = await chartedVisit(4);
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  await signIn(page, "frontdesk@lumen.example");
  await page.goto(`/appointments/${visit}`);
  await page.getByRole("button", { name: "Check out" }).click();
  await page.waitForURL(/\/invoices\//);
  const pay = page.getByRole("region", { name: "Take payment" });
  await pay.getByRole("radio", { name: "Cash", exact: true }).check();
  await pay.getByLabel("Cash handed over, $").fill("400");
  await pay.getByRole("button", { name: "Take cash" }).click();
  await expect(page.getByText("Took $392.00 · Cash · change due $8.00.")).toBeVisible();
  await expect(page.getByText("Paid in full.")).toBeVisible();
  await context.close();
});

test("a gift card sold at the desk is printed, and part of it pays another patient's visit", async ({ browser }) => {
  const { client, db } = e2eDb();
  const [location] = await db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const [buyer] = await db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1).offset(2);
  client.close();
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(page, "frontdesk@lumen.example");

  // A sale without a visit, from the buyer's record: a $100 card for Rosa, paid in cash.
  await page.goto(`/patients/${buyer.id}/invoices`);
  await page.getByRole("button", { name: "New sale (retail or gift card)" }).click();
  await page.waitForURL(/\/invoices\//);
  const giftCard = page.getByRole("region", { name: "Gift card" });
  await giftCard.getByRole("button", { name: "$100.00" }).click();
  await giftCard.getByLabel("For (optional)").fill("Rosa");
  await giftCard.getByRole("button", { name: "Add gift card" }).click();
  await expect(page.getByText("Gift card added")).toBeVisible();
  await expect(page.getByRole("region", { name: "Summary" })).toContainText("$100.00");
  const pay = page.getByRole("region", { name: "Take payment" });
  await pay.getByLabel("Cash handed over, $").fill("100");
  await pay.getByRole("button", { name: "Take cash" }).click();
  await expect(page.getByText("Paid in full.")).toBeVisible();
  await expectAccessible(page);

  // Printed for the buyer: the code is on the card (and its QR).
  const print = page.getByRole("region", { name: "Gift cards" }).getByRole("link", { name: "Print" });
  const pdf = await page.request.get((await print.getAttribute("href"))!);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  const code = /([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(pdfText(new Uint8Array(await pdf.body())))![1];

  // Another patient's visit: $50 from the card, the rest later.
  const { id: visit } = await chartedVisit(5);
  await page.goto(`/appointments/${visit}`);
  await page.getByRole("button", { name: "Check out" }).click();
  await page.waitForURL(/\/invoices\//);
  const payVisit = page.getByRole("region", { name: "Take payment" });
  await payVisit.getByRole("radio", { name: "Gift card" }).check();
  await payVisit.getByLabel("Gift card code").fill(code.toLowerCase());
  await payVisit.getByLabel("Amount from the gift card, $").fill("50");
  await payVisit.getByRole("button", { name: "Take from gift card" }).click();
  await expect(page.getByRole("region", { name: "Payments" })).toContainText(`Gift card`);
  await expect(page.getByRole("region", { name: "Summary" })).toContainText("$50.00");

  // The card's page: $50 left, and its history.
  await page.goto("/gift-cards");
  await page.getByLabel("Code").fill(code);
  await page.getByRole("button", { name: "Look up" }).click();
  await page.waitForURL(/\/gift-cards\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("region", { name: "Balance" })).toContainText("$50.00");
  await expect(page.getByRole("table", { name: "Every movement of the card's value" })).toContainText("Spent");
  await expectAccessible(page);
});

test("someone with no account buys a gift card on a 390 px phone; another patient spends part of it at checkout", async ({ browser }) => {
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const phone = await phoneContext.newPage();
  await routeFakeStripe(phone);
  await phone.goto("/gift/lumen");
  await expect(phone.getByRole("heading", { name: "Give a gift card" })).toBeVisible();
  expect(await textOverflows(phone)).toEqual([]);
  await expectAccessible(phone);
  await phone.getByText("$150.00", { exact: true }).click();
  await phone.getByText("Gold foil", { exact: true }).click();
  await phone.getByLabel("Their name").fill("Noor");
  await phone.getByLabel("Their email").fill("noor@example.com");
  await phone.getByLabel("A message (optional)").fill("Enjoy a quiet afternoon!");
  await phone.getByLabel("Your name").fill("Sam Giver");
  await phone.getByLabel("Your email").fill("sam.giver@example.com");
  await phone.getByRole("button", { name: "Continue to payment" }).click();
  await phone.waitForURL(/\/gift\/lumen\/orders\/[\w-]+$/);
  await expect(phone.getByText("$150.00 gift card for Noor")).toBeVisible();

  // Stripe's Payment Element (a stand-in here): a declined card says so and takes nothing; another pays.
  await phone.getByRole("button", { name: "Pay $150.00 by card" }).click();
  await phone.getByLabel("Card number").fill("4000 0000 0000 0341");
  await phone.getByRole("button", { name: "Pay $150.00", exact: true }).click();
  await expect(phone.getByText("Your card was declined.")).toBeVisible();
  await phone.getByLabel("Card number").fill("4242 4242 4242 4242");
  await phone.getByRole("button", { name: "Pay $150.00", exact: true }).click();
  await expect(phone.getByRole("heading", { name: "Your gift card is on its way" })).toBeVisible();
  await expect(phone.getByText("your payment went through")).toBeVisible();
  expect(await textOverflows(phone)).toEqual([]);
  await expectAccessible(phone);
  await phoneContext.close();

  // Noor gets the card by email (the message job, within seconds); the buyer gets the receipt.
  const code = await emailedGiftCardCode("noor@example.com");
  await expect.poll(() => mailsTo("sam.giver@example.com").some((m) => m.text.includes("$150.00"))).toBe(true);

  // At the desk, $60 of it pays part of another patient's visit.
  const desk = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(desk, "frontdesk@lumen.example");
  const { id: visit } = await chartedVisit(6);
  await desk.goto(`/appointments/${visit}`);
  await desk.getByRole("button", { name: "Check out" }).click();
  await desk.waitForURL(/\/invoices\//);
  const pay = desk.getByRole("region", { name: "Take payment" });
  await pay.getByRole("radio", { name: "Gift card" }).check();
  await pay.getByLabel("Gift card code").fill(code);
  await pay.getByLabel("Amount from the gift card, $").fill("60");
  await pay.getByRole("button", { name: "Take from gift card" }).click();
  await expect(desk.getByRole("region", { name: "Payments" })).toContainText("Gift card");
  await desk.goto("/gift-cards");
  await desk.getByLabel("Code").fill(code);
  await desk.getByRole("button", { name: "Look up" }).click();
  await desk.waitForURL(/\/gift-cards\/[0-9a-f-]{36}$/);
  await expect(desk.getByRole("region", { name: "Balance" })).toContainText("$90.00");
});

test("cash goes back to the drawer on a refund to the original method, and the drawer closes short: the day report shows both", async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(page, "manager@lumen.example");
  await page.goto("/checkout");
  const drawer = page.getByRole("region", { name: "Cash drawer" });
  // The shared e2e clinic may have a drawer open from an earlier run of the day: counted out first.
  if (await drawer.getByRole("button", { name: "Close drawer" }).isVisible()) {
    await drawer.getByLabel("Cash counted, $").fill((await drawer.getByText("Should hold").locator("xpath=..").locator("dd").innerText()).replace(/[^0-9.]/g, ""));
    await drawer.getByRole("button", { name: "Close drawer" }).click();
  }
  await drawer.getByLabel("Float, $").fill("200");
  await drawer.getByRole("button", { name: "Open drawer" }).click();
  await expect(drawer.getByText("Should hold")).toBeVisible();

  // A visit paid in cash, then $40 of it given back — to the cash it was paid in.
  const { id: visit } = await chartedVisit(7);
  await page.goto(`/appointments/${visit}`);
  await page.getByRole("button", { name: "Check out" }).click();
  await page.waitForURL(/\/invoices\//);
  await page.getByRole("region", { name: "Take payment" }).getByRole("button", { name: "Take cash" }).click();
  await expect(page.getByText("Paid in full.")).toBeVisible();
  const refund = page.getByRole("region", { name: "Refund" });
  await refund.getByText("Give money back").click();
  await expect(refund.getByRole("radio", { name: /Cash/ })).toBeChecked();
  await refund.getByLabel("Amount, $").fill("40");
  await refund.getByLabel("Why").fill("Touch-up not needed");
  await refund.getByRole("button", { name: "Refund" }).click();
  await expect(page.getByText("Refund recorded.")).toBeVisible();
  await expectAccessible(page);

  // The drawer expects the float, the cash taken, less the $40: counted $5 short.
  await page.goto("/checkout");
  await expect(drawer.getByText("Cash refunded")).toBeVisible();
  await expect(drawer.getByText("$40.00")).toBeVisible();
  const expected = Number((await drawer.getByText("Should hold").locator("xpath=..").locator("dd").innerText()).replace(/[^0-9.]/g, ""));
  await drawer.getByLabel("Cash counted, $").fill((expected - 5).toFixed(2));
  await drawer.getByRole("button", { name: "Close drawer" }).click();
  await expect(page.getByRole("region", { name: "Drawers closed" }).getByText("short − $5.00").first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Money in" })).toContainText("$40.00");
  await expectAccessible(page);
});
