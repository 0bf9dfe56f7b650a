import { expect, test, type Page } from "@playwright/test";
import { addVisit, e2eDb, expectAccessible, signIn, textOverflows } from "./fixtures";
import { eq } from "drizzle-orm";
import { locations, patients, services, users } from "../../db/schema";

/**
 * Every page at the two tablet sizes and on a phone (issue 10): no text overflows its box, nothing
 * scrolls sideways, and axe finds nothing (once per page, at the landscape tablet size).
 */
const SIZES = [
  { name: "tablet landscape", width: 1024, height: 768 },
  { name: "tablet portrait", width: 768, height: 1024 },
  { name: "phone", width: 390, height: 844 },
] as const;

/** The portal patient, and a visit of theirs (booked here: the e2e database starts without visits). */
async function ids() {
  const { client, db } = e2eDb();
  const [patient] = await db.select().from(patients).where(eq(patients.email, "patient@lumen.example"));
  const [provider] = await db.select().from(users).where(eq(users.email, "provider@lumen.example"));
  const [location] = await db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const [service] = await db.select().from(services).where(eq(services.organizationId, patient.organizationId)).limit(1);
  const start = new Date(Date.now() + 3 * 86_400_000);
  const end = new Date(start.getTime() + 30 * 60_000);
  const visit = crypto.randomUUID();
  await addVisit(db, { id: visit, organizationId: patient.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, roomId: null, status: "confirmed", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 25_000, createdAt: new Date() });
  client.close();
  return { patient: patient.id, visit };
}

async function checkPages(page: Page, paths: string[]) {
  const problems: string[] = [];
  for (const path of paths) {
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      for (const p of await textOverflows(page)) problems.push(`${path} at ${size.name}: ${p}`);
      if (size.width === 1024) await expectAccessible(page);
    }
  }
  expect(problems).toEqual([]);
}

test("the front desk's pages fit at tablet and phone sizes", async ({ page }) => {
  test.setTimeout(180_000);
  const { patient, visit } = await ids();
  await signIn(page, "frontdesk@lumen.example");
  await checkPages(page, ["/today", "/schedule", "/schedule?view=room", "/schedule?view=week", "/board", "/patients", `/patients/${patient}`, `/patients/${patient}/notes`, `/patients/${patient}/details`, `/patients/${patient}/messages`, `/patients/${patient}/invoices`, `/patients/${patient}/cards`, "/gift-cards", "/gift-cards/bulk", "/patients/new", "/schedule/new", `/appointments/${visit}`, "/waitlist", "/account"]);
});

test("the provider's and the owner's pages fit at tablet and phone sizes", async ({ browser }) => {
  test.setTimeout(180_000);
  const { patient } = await ids();
  const provider = await (await browser.newContext()).newPage();
  await signIn(provider, "provider@lumen.example");
  await checkPages(provider, ["/provider", "/account/calendar"]);
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, "owner@lumen.example");
  await checkPages(owner, ["/today", "/audit", "/outbox", "/settings/organization", "/settings/locations", "/settings/services", "/settings/staff", "/settings/billing", `/patients/${patient}/merge`]);
});

test("the patient's and the public pages fit at tablet and phone sizes", async ({ browser }) => {
  test.setTimeout(120_000);
  const anon = await (await browser.newContext()).newPage();
  await checkPages(anon, ["/login", "/forgot-password", "/book/lumen", "/gift/lumen"]);
  const patientPage = await (await browser.newContext()).newPage();
  await signIn(patientPage, "patient@lumen.example");
  await checkPages(patientPage, ["/portal", "/portal/profile", "/portal/waitlist", "/portal/invoices", "/portal/cards"]);
});

test("the tablet rail opens to the full menu and closes again", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await signIn(page, "frontdesk@lumen.example");
  const nav = page.getByRole("navigation", { name: "Main" });
  const schedule = nav.getByRole("link", { name: "Schedule" });
  // A rail: icons only, each a 44 px target or more, named for screen readers.
  const rail = (await page.locator("aside").boundingBox())!;
  expect(rail.width).toBeLessThan(90);
  const box = (await schedule.boundingBox())!;
  expect(box.height).toBeGreaterThanOrEqual(44);
  expect(box.width).toBeGreaterThanOrEqual(44);
  await expect(page.getByLabel("Find a patient")).toBeHidden();
  await page.getByRole("button", { name: "Open menu" }).click();
  await expect(page.getByLabel("Find a patient")).toBeVisible();
  expect((await page.locator("aside").boundingBox())!.width).toBeGreaterThan(250);
  await schedule.click();
  await page.waitForURL(/\/schedule/);
  await expect(page.getByRole("button", { name: "Open menu" })).toBeVisible();
  // The widened menu closed with the navigation; the grid has the width.
  expect((await page.locator("aside").boundingBox())!.width).toBeLessThan(90);
});
