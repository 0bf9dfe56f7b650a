import { expect, test, type Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { locations, patients, services, users } from "../../db/schema";
import { addVisit, CLINIC_TZ, clinicDay, e2eDb, todaySlot, signIn } from "./fixtures";
import { addDays, localToInstant } from "../../app/scheduling/local-time";

/** A confirmed visit today with the first provider, for a patient picked by `offset`; the patient's name. */
function visitToday(offset: number, minutesFromNow: number, minutes = 15) {
  const { start, end } = todaySlot(minutesFromNow, minutes);
  return visitAt(offset, start, end);
}

/** A confirmed visit with the first provider from `start` to `end`, for a patient picked by `offset`. */
async function visitAt(offset: number, start: Date, end: Date) {
  const { client, db } = e2eDb();
  const [provider] = await db.select().from(users).where(eq(users.email, "provider@lumen.example"));
  const [location] = await db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const [patient] = await db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1).offset(offset);
  const [service] = await db.select().from(services).where(eq(services.organizationId, location.organizationId)).limit(1);
  await addVisit(db, { id: crypto.randomUUID(), organizationId: location.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, roomId: null, status: "confirmed", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 100, createdAt: new Date() });
  client.close();
  return { first: patient.firstName, last: patient.lastName };
}

function pageDataRequests(page: Page, path: string) {
  const seen: string[] = [];
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (r.method() === "GET" && url.pathname === `${path}.data`) seen.push(url.search);
  });
  return seen;
}

test("a check-in on Today with JavaScript changes that row only, without reloading the day; without JavaScript it posts and comes back", async ({ browser }) => {
  const withJs = await visitToday(11, 20);
  const withoutJs = await visitToday(12, 40);
  const desk = await browser.newContext();
  const page = await desk.newPage();
  await signIn(page, "frontdesk@lumen.example");
  await page.goto("/today");
  const reloads = pageDataRequests(page, "/today");
  const row = page.locator("main li", { has: page.getByRole("link", { name: `${withJs.first} ${withJs.last}` }) });
  await row.getByRole("button", { name: "Check in" }).click();
  await expect(row.getByText("Checked in")).toBeVisible();
  await expect(row.getByRole("button", { name: "To room" })).toBeVisible();
  await page.waitForTimeout(500);
  expect(reloads).toEqual([]);
  await desk.close();

  const plain = await browser.newContext({ javaScriptEnabled: false });
  const noJs = await plain.newPage();
  await signIn(noJs, "frontdesk@lumen.example");
  await noJs.goto("/today");
  const plainRow = noJs.locator("main li", { has: noJs.getByRole("link", { name: `${withoutJs.first} ${withoutJs.last}` }) });
  await plainRow.getByRole("button", { name: "Check in" }).click();
  await noJs.waitForURL("**/today");
  await expect(noJs.locator("main li", { has: noJs.getByRole("link", { name: `${withoutJs.first} ${withoutJs.last}` }) }).getByText("Checked in")).toBeVisible();
  await plain.close();
});

test("a check-in on the day view with JavaScript swaps in that card only, without reloading the day", async ({ browser }) => {
  // Long enough for the grid's block to carry its next-step button (30 minutes and more).
  const visit = await visitToday(13, 60, 45);
  const desk = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await desk.newPage();
  await signIn(page, "frontdesk@lumen.example");
  await page.goto("/schedule?view=provider");
  const reloads = pageDataRequests(page, "/schedule");
  const card = page.locator("#schedule-grid li", { has: page.getByRole("link", { name: `${visit.last}, ${visit.first}` }) });
  await card.getByRole("button", { name: "Check in" }).click();
  await expect(card.getByText("Checked in")).toBeVisible();
  await page.waitForTimeout(500);
  expect(reloads).toEqual([]);
  await desk.close();
});

test("a check-in on the day view far ahead of the visit asks first, and \"Check in anyway\" lands in place too", async ({ browser }) => {
  // Tomorrow at 10:00 in the clinic: always more than an hour ahead.
  const tomorrow = addDays(clinicDay(Date.now()), 1);
  const start = new Date(localToInstant(CLINIC_TZ, tomorrow, 10 * 60));
  const visit = await visitAt(14, start, new Date(start.getTime() + 45 * 60_000));
  const desk = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await desk.newPage();
  await signIn(page, "frontdesk@lumen.example");
  await page.goto(`/schedule?date=${tomorrow}&view=provider`);
  const reloads = pageDataRequests(page, "/schedule");
  const card = page.locator("#schedule-grid li", { has: page.getByRole("link", { name: `${visit.last}, ${visit.first}` }) });
  await card.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Check the patient in anyway?" })).toBeVisible();
  await page.getByRole("button", { name: "Check in anyway" }).click();
  await expect(card.getByText("Checked in")).toBeVisible();
  await expect(page.getByRole("button", { name: "Check in anyway" })).toHaveCount(0);
  await page.waitForTimeout(500);
  // The question and the answer each came back in place: the whole day was never sent again.
  expect(reloads).toEqual([]);
  await desk.close();
});

test("two quick check-ins on Today both land in place (each change has its own request)", async ({ browser }) => {
  // Visits that began a little while ago (the patients are late): within the hour, so no check-in asks first.
  const first = await visitToday(14, -50);
  const second = await visitToday(15, -30);
  const desk = await browser.newContext();
  const page = await desk.newPage();
  await signIn(page, "frontdesk@lumen.example");
  await page.goto("/today");
  await page.waitForLoadState("networkidle");
  const rowOf = (p: { first: string; last: string }) => page.locator("main li", { has: page.getByRole("link", { name: `${p.first} ${p.last}` }) });
  // Both in the same moment, from the page itself (two mouse clicks in parallel race the scrolling).
  await page.evaluate((names) => {
    for (const name of names) {
      const link = [...document.querySelectorAll("main li a")].find((a) => a.textContent === name)!;
      [...link.closest("li")!.querySelectorAll("button")].find((b) => b.textContent === "Check in")!.click();
    }
  }, [`${first.first} ${first.last}`, `${second.first} ${second.last}`]);
  await expect(rowOf(first).getByText("Checked in")).toBeVisible();
  await expect(rowOf(second).getByText("Checked in")).toBeVisible();
  await desk.close();
});
