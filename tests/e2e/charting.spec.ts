import { expect, test, type Page } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import { appointments, locations, patientConsents, patients, services, users } from "../../db/schema";
import { addVisit, e2eDb, expectAccessible, signIn, textOverflows } from "./fixtures";

/** A neurotoxin visit with the test provider, in a room, `daysAgo` back at an hour nothing else uses. */
async function neurotoxinVisit(daysAgo: number) {
  const { client, db } = e2eDb();
  const [location] = await db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const [provider] = await db.select().from(users).where(eq(users.email, "provider@lumen.example"));
  const [service] = await db.select().from(services).where(and(eq(services.organizationId, location.organizationId), eq(services.name, "Neurotoxin (Botox, Dysport)")));
  const [patient] = await db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1);
  const id = crypto.randomUUID();
  const start = new Date(Math.floor(Date.now() / 86_400_000 - daysAgo) * 86_400_000 + 7 * 3_600_000);
  const end = new Date(start.getTime() + 30 * 60_000);
  await addVisit(db, { id, organizationId: location.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, roomId: null, status: "in_room", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 45_000, createdAt: new Date() });
  client.close();
  return id;
}

/** Taps the front view of the face chart at diagram coordinates (0–1000). */
async function tapFace(page: Page, x: number, y: number) {
  const svg = page.getByRole("img", { name: /Face chart, front view/ });
  // Clear of the sticky save bar at the bottom of the screen.
  await svg.evaluate((el) => el.scrollIntoView({ block: "start" }));
  const box = (await svg.boundingBox())!;
  await page.mouse.click(box.x + (x / 1000) * box.width, box.y + (y / 1000) * box.height);
}

test("on a tablet a provider charts by tapping the face, sees totals live, undoes, and signs with their password", async ({ browser }) => {
  const visit = await neurotoxinVisit(20);
  const page = await (await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true })).newPage();
  await signIn(page, "provider@lumen.example");
  await page.goto(`/appointments/${visit}`);
  await page.getByRole("button", { name: /Start chart for/ }).click();
  await page.waitForURL(/\/charts\//);
  await expect(page.getByRole("button", { name: "Front" })).toBeVisible();
  await expectAccessible(page);

  await tapFace(page, 500, 305);
  await expect(page.getByRole("list", { name: "Points" }).getByText("Point 1: Glabella")).toBeVisible();
  await page.getByLabel("Amount (units)").first().fill("20");
  await tapFace(page, 500, 170);
  await expect(page.getByRole("list", { name: "Points" }).getByText("Point 2: Forehead")).toBeVisible();
  // The second point takes the first one's lot and amount: change it.
  await page.getByLabel("Amount (units)").nth(1).fill("8");
  const totals = page.getByRole("region", { name: "Totals" });
  await expect(totals).toContainText("28 u · 2 pts");
  await expect(page.getByText("Draw 0.5 ml")).toBeVisible();
  await tapFace(page, 238, 365);
  await expect(page.getByRole("list", { name: "Points" }).getByText("Point 3: Crow's feet (right)")).toBeVisible();
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByRole("list", { name: "Points" }).getByText("Point 3:")).toHaveCount(0);
  expect(await textOverflows(page)).toEqual([]);

  await page.getByRole("group", { name: /Consent reviewed/ }).getByLabel("Yes").check();
  await page.getByRole("group", { name: /Pregnant or breastfeeding/ }).getByLabel("No").check();
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Points" }).getByText("Point 2: Forehead")).toBeVisible();

  // Signing waits for the consents the service needs: the patient reads and signs each on this tablet.
  await page.getByLabel("Your password").fill("atrium-demo-password");
  await page.getByRole("button", { name: "Sign chart" }).click();
  await expect(page.getByText(/Before this chart can be signed, the patient's record needs: Clinical photography consent \(not signed\); Neurotoxin treatment consent \(not signed\)/)).toBeVisible();
  for (const form of ["Clinical photography consent", "Neurotoxin treatment consent"]) {
    await page.goto(page.url().split("?")[0]);
    await page.getByRole("link", { name: /Have the patient sign/ }).first().click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(form);
    const pad = page.getByRole("img", { name: /Signature box/ }).or(page.getByLabel(/Signature box/));
    await expect(pad).toBeVisible();
    await page.getByLabel(/I have read this consent/).check();
    // Nothing drawn yet: refused, by the box.
    await page.getByRole("button", { name: "Sign consent" }).click();
    await expect(page.getByText("Sign in the box with a finger or stylus.").first()).toBeVisible();
    await expectAccessible(page);
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.7);
    await page.mouse.down();
    for (const [fx, fy] of [[0.25, 0.3], [0.4, 0.75], [0.55, 0.35], [0.7, 0.6]]) await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy, { steps: 5 });
    await page.mouse.up();
    if (!(await page.getByLabel(/I have read this consent/).isChecked())) await page.getByLabel(/I have read this consent/).check();
    await page.getByRole("button", { name: "Sign consent" }).click();
    await expect(page.getByText("Consent signed and kept with the patient's record.")).toBeVisible();
  }
  await expect(page.getByText(/Neurotoxin treatment consent: signed/)).toBeVisible();
  {
    // Drawn with the pad, kept as strokes (never as the browser's markup).
    const { client, db } = e2eDb();
    const signed = await db.select({ method: patientConsents.method, strokes: patientConsents.strokes }).from(patientConsents).innerJoin(appointments, eq(appointments.id, patientConsents.appointmentId)).where(eq(appointments.id, visit));
    client.close();
    expect(signed.map((c) => c.method)).toEqual(["drawn", "drawn"]);
    expect(signed.every((c) => JSON.parse(c.strokes!).flat().length > 5)).toBe(true);
  }

  await page.getByLabel("Your password").fill("not-it");
  await page.getByRole("button", { name: "Sign chart" }).click();
  await expect(page.getByText("That password is not right").first()).toBeVisible();
  await page.getByLabel("Your password").fill("atrium-demo-password");
  await page.getByRole("button", { name: "Sign chart" }).click();
  await expect(page.getByText("Chart signed.")).toBeVisible();
  await expect(page.getByText(/Signed by/)).toBeVisible();
  await expect(page.getByRole("cell", { name: "Glabella" })).toBeVisible();
  await expectAccessible(page);
});

test("a link tapped while the chart is still starting on a slow tablet opens its page", async ({ browser }) => {
  // The chart's start-up clientLoader ran on every chart page; Remix 2's single fetch makes no server
  // request for a navigation before the router has started, so the next page rendered with no data
  // (the root error page, CI stop 22). On a CPU slowed 20×, that moment is wide enough to tap in.
  const visit = await neurotoxinVisit(21);
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
  const page = await context.newPage();
  await signIn(page, "provider@lumen.example");
  await page.goto(`/appointments/${visit}`);
  await page.getByRole("button", { name: /Start chart for/ }).click();
  await page.waitForURL(/\/charts\//);
  const chart = page.url().split("?")[0];
  const cdp = await context.newCDPSession(page);
  for (let attempt = 0; attempt < 3; attempt++) {
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 20 });
    await page.goto(chart, { waitUntil: "commit" });
    const patientLink = page.getByRole("main").locator('a[href^="/patients/"]').first();
    await patientLink.click({ noWaitAfter: true });
    await page.waitForURL(/\/patients\//);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByText(/went wrong/)).toHaveCount(0);
  }
  await context.close();
});

test("without JavaScript a provider charts a point from the blank row and saves", async ({ browser }) => {
  const visit = await neurotoxinVisit(21);
  const page = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 768, height: 1024 } })).newPage();
  await signIn(page, "provider@lumen.example");
  await page.goto(`/appointments/${visit}`);
  await page.getByRole("button", { name: /Start chart for/ }).click();
  await page.waitForURL(/\/charts\//);
  const row = page.getByRole("group", { name: "New point" });
  await row.getByLabel("Zone").selectOption("masseter_left");
  await row.getByLabel("Product and lot").selectOption({ index: 1 });
  await row.getByLabel(/^Amount/).fill("25");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Points" }).getByText("Point 1: Masseter (left)")).toBeVisible();
  // A bad amount comes back by its field, and what was typed stays.
  await page.getByRole("group", { name: "New point" }).getByLabel("Zone").selectOption("chin");
  await page.getByRole("group", { name: "New point" }).getByLabel("Product and lot").selectOption({ index: 1 });
  await page.getByRole("group", { name: "New point" }).getByLabel(/^Amount/).fill("500");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText(/at most 400 u/)).toBeVisible();
});

test("inventory: lots at the location, a lot's recall trace; each page accessible", async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(page, "md@lumen.example");
  await page.goto("/inventory");
  await expect(page.getByRole("heading", { name: "Inventory", level: 1 })).toBeVisible();
  await expect(page.getByText("Expired").first()).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "C3912" }).click();
  await expect(page.getByRole("heading", { name: /Botox · lot C3912/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Download trace (CSV)" })).toBeVisible();
  await expectAccessible(page);
});
