import { expect, test, type Page } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import { locations, patients, services, users } from "../../db/schema";
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
