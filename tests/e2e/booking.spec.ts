import { expect, test, type Page } from "@playwright/test";
import { desc, eq } from "drizzle-orm";
import ICAL from "ical.js";
import { appointments, patients, users } from "../../db/schema";
import { e2eDb, expectAccessible, signIn, signupCode, checkIn } from "./fixtures";

const PHONE = { width: 390, height: 844 };
const TABLET = { width: 768, height: 1024 };

async function bookAsNewPatient(page: Page, service: RegExp, who: { first: string; email: string }, { axe = false } = {}) {
  // axe injects a script, so it only runs where JavaScript is on.
  const check = async () => {
    if (axe) await expectAccessible(page);
  };
  await page.goto("/book/lumen");
  await check();
  await page.getByRole("link", { name: /Lumen Midtown/ }).click();
  await page.getByRole("link", { name: service }).click();
  await page.getByRole("link", { name: /Any available provider/ }).click();
  await page.getByRole("list", { name: "Days with open times" }).getByRole("link").first().click();
  await check();
  await page.getByRole("list", { name: "Open times" }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your details");
  await check();
  await page.getByLabel("First name").fill(who.first);
  await page.getByLabel("Last name").fill("Phoneuser");
  await page.getByLabel("Date of birth").fill("1992-08-14");
  await page.getByLabel("Mobile phone").fill("(646) 555-0142");
  await page.getByLabel("Email", { exact: true }).first().fill(who.email);
  await page.getByLabel("Choose a password").fill("a-long-phone-password");
  await page.getByRole("checkbox", { name: "Text messages" }).check();
  await page.getByRole("checkbox", { name: "Email" }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  // The address is confirmed with the code the clinic emails.
  await expect(page.getByText(`We emailed a 6-digit code to ${who.email}`)).toBeVisible();
  await check();
  await page.getByLabel("Code from the email").fill(await signupCode(who.email));
  await page.getByRole("button", { name: /Create account and/ }).click();
  await expect(page).toHaveURL(/\/portal\?booked=/);
  return new URL(page.url()).searchParams.get("booked")!;
}

async function appointmentRow(id: string) {
  const { client, db } = e2eDb();
  const [row] = await db.select().from(appointments).where(eq(appointments.id, id));
  client.close();
  return row;
}

test("a new patient books on a phone without JavaScript; the desk confirms and checks in; the provider completes on a tablet", async ({ browser }) => {
  const phone = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  const patientPage = await phone.newPage();
  const id = await bookAsNewPatient(patientPage, /Laser resurfacing consultation/, { first: "Nojs", email: "nojs.booker@example.com" });
  await expect(patientPage.getByRole("status")).toContainText("Request sent");
  await phone.close();

  const row = await appointmentRow(id);
  expect(row.status).toBe("requested");
  const desk = await (await browser.newContext()).newPage();
  await signIn(desk, "frontdesk@lumen.example");
  const date = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York" }).format(row.startsAt);
  await desk.goto(`/schedule?date=${date}`);
  await expect(desk.getByRole("link", { name: "Phoneuser, Nojs" })).toBeVisible();
  await expectAccessible(desk);
  await desk.getByRole("link", { name: "Phoneuser, Nojs" }).click();
  await desk.waitForURL(/\/appointments\//);
  await desk.getByRole("button", { name: "Confirm" }).click();
  await expect(desk.getByText("Requested → Confirmed")).toBeVisible();
  // Check-in happens on the day view, in place.
  await desk.goto(`/schedule?date=${date}`);
  const card = desk.getByRole("listitem").filter({ has: desk.getByRole("link", { name: "Phoneuser, Nojs" }) });
  await checkIn(desk, card);
  await expect(card.getByRole("button", { name: "To room" })).toBeVisible();
  expect(desk.url()).toContain(`/schedule?date=${date}`);
  await expectAccessible(desk);

  const { client, db } = e2eDb();
  const [provider] = await db.select().from(users).where(eq(users.id, row.providerId));
  client.close();
  const tabletCtx = await browser.newContext({ viewport: TABLET });
  const tablet = await tabletCtx.newPage();
  await signIn(tablet, provider.email);
  await tablet.goto(`/appointments/${id}`);
  const toRoom = tablet.getByRole("button", { name: "To room" });
  expect((await toRoom.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await toRoom.click();
  await expect(tablet.getByText("Checked in → In room")).toBeVisible();
  await tablet.getByRole("button", { name: "Complete" }).click();
  await expect(tablet.getByText("In room → Completed")).toBeVisible();
  expect((await appointmentRow(id)).status).toBe("completed");
  await tabletCtx.close();
});

test("with JavaScript: booking, the reminder in the outbox, the .ics, and a late self-cancel refused", async ({ browser }) => {
  const phoneCtx = await browser.newContext({ viewport: PHONE });
  const phone = await phoneCtx.newPage();
  const id = await bookAsNewPatient(phone, /Neurotoxin/, { first: "Withjs", email: "withjs.booker@example.com" }, { axe: true });
  await expectAccessible(phone);
  await expect(phone.getByRole("status")).toContainText("booked. A confirmation is on its way.");

  // Arrange: the visit now starts in three hours, so its 24-hour reminder is due.
  const { client, db } = e2eDb();
  const soon = new Date(Math.floor((Date.now() + 3 * 3600_000) / 60_000) * 60_000);
  await db.update(appointments).set({ startsAt: soon, endsAt: new Date(soon.getTime() + 1800_000), blockStart: soon, blockEnd: new Date(soon.getTime() + 2400_000) }).where(eq(appointments.id, id));
  const [patient] = await db.select().from(patients).where(eq(patients.email, "withjs.booker@example.com")).orderBy(desc(patients.createdAt));
  client.close();
  expect(patient.smsConsent).toBe(true);

  const manager = await (await browser.newContext()).newPage();
  await signIn(manager, "manager@lumen.example");
  await expect(async () => {
    await manager.goto("/outbox");
    await expect(manager.getByText(/Reminder: Neurotoxin/).first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(manager.getByText("Text to (646) 555-0142").first()).toBeVisible();

  const ics = await (await phone.request.get(`/appointments/${id}/calendar.ics`)).text();
  const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent("vevent")!);
  expect(event.startDate.toJSDate().getTime()).toBe(soon.getTime());
  expect(event.summary).toContain("Neurotoxin");

  await phone.goto("/portal");
  await phone.getByRole("button", { name: "Cancel visit" }).click();
  await expect(phone.getByRole("alert")).toContainText("can't be cancelled or changed online within 24 hours of the start");
  expect((await appointmentRow(id)).status).toBe("confirmed");
  await phoneCtx.close();
});
