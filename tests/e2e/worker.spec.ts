import { expect, test, type Browser } from "@playwright/test";
import { startWorker } from "../helpers/worker-runtime";
import { E2E_DB } from "../setup/paths";
import { DEMO_PASSWORD, clinicDay, expectAccessible, signIn, checkIn } from "./fixtures";

// The Cloudflare Worker build, in workerd, driven by Chromium: same app, other runtime. Its
// database is reached over the Hrana test endpoint; email goes to a local fake of SendGrid's API
// (Workers have no SMTP); the board's rooms are the PartyKit dev server the e2e server started.
const PHONE = { width: 390, height: 844 };
const TABLET = { width: 768, height: 1024 };
const mail: { to: string; text: string }[] = [];
let worker: Awaited<ReturnType<typeof startWorker>>;

test.beforeAll(async () => {
  worker = await startWorker(E2E_DB, {}, {
    bindings: {
      EMAIL_PROVIDER: "sendgrid",
      SENDGRID_API_KEY: "SG.e2e",
      SENDGRID_API_URL: "http://sendgrid.test",
      EMAIL_FROM: "Lumen Aesthetics <hello@lumen.example>",
      PARTY_URL: `http://127.0.0.1:${process.env.E2E_PARTY_PORT ?? 3299}`,
      PARTY_SECRET: "e2e-party-secret",
    },
    async outbound(request) {
      if (new URL(request.url).host !== "sendgrid.test") return fetch(request);
      const body = (await request.json()) as { personalizations: { to: { email: string }[] }[]; content: { value: string }[] };
      mail.push({ to: body.personalizations[0].to[0].email, text: body.content[0].value });
      return new Response(null, { status: 202, headers: { "x-message-id": crypto.randomUUID() } });
    },
  });
});
test.afterAll(async () => {
  await worker?.close();
});

const context = (browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}) => browser.newContext({ baseURL: worker.origin, ...options });

test("the Worker build signs in end to end in a browser", async ({ browser }) => {
  const page = await (await context(browser)).newPage();
  await page.goto("/today");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Ftoday/);
  await page.getByLabel("Email").fill("frontdesk@lumen.example");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${worker.origin}/today`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Good to see you");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Patients" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Patients");
  await expectAccessible(page);
  expect(worker.hrana.requests).toBeGreaterThan(3);
});

test("the day on the Worker: a new patient books on a phone without JavaScript, the desk confirms and checks in, the provider completes, the board follows live", async ({ browser }) => {
  // Arrange: the floor starts clear (earlier specs may have left patients in rooms of this database).
  await worker.sql("delete from room_states");
  // The board's room (the PartyKit server the Node e2e server shares) still holds that server's last
  // snapshot of this location, made seconds ago at the same data version or a higher one: the
  // Worker's snapshots would be taken for late stragglers and dropped (isStaleSnapshot). This copy
  // of the database jumps ahead, so its floor is the newer truth the room keeps.
  await worker.sql("update locations set floor_version = floor_version + 1000000");
  // The patient, on a phone with JavaScript off.
  const phone = await (await context(browser, { viewport: PHONE, javaScriptEnabled: false })).newPage();
  await phone.goto("/book/lumen");
  await phone.getByRole("link", { name: /Lumen Midtown/ }).click();
  await phone.getByRole("link", { name: /Laser resurfacing consultation/ }).click();
  await phone.getByRole("link", { name: /Any available provider/ }).click();
  await phone.getByRole("list", { name: "Days with open times" }).getByRole("link").first().click();
  await phone.getByRole("list", { name: "Open times" }).getByRole("link").first().click();
  await expect(phone.getByRole("heading", { level: 1 })).toHaveText("Your details");
  const email = "worker.nojs@example.com";
  await phone.getByLabel("First name").fill("Edge");
  await phone.getByLabel("Last name").fill("Workerday");
  await phone.getByLabel("Date of birth").fill("1990-03-09");
  await phone.getByLabel("Mobile phone").fill("(646) 555-0177");
  await phone.getByLabel("Email", { exact: true }).first().fill(email);
  await phone.getByLabel("Choose a password").fill("a-long-worker-password");
  await phone.getByRole("checkbox", { name: "Email" }).check();
  await phone.getByRole("button", { name: "Continue" }).click();
  await expect(phone.getByText(`We emailed a 6-digit code to ${email}`)).toBeVisible();
  // The code arrives through SendGrid (the fake), sent by the Worker after its answer.
  await expect.poll(() => mail.find((m) => m.to === email)?.text ?? "", { timeout: 10_000 }).toMatch(/\d{3} ?\d{3}/);
  const code = /(\d{3} ?\d{3})/.exec(mail.find((m) => m.to === email)!.text)![1];
  await phone.getByLabel("Code from the email").fill(code);
  await phone.getByRole("button", { name: /Create account and/ }).click();
  await expect(phone).toHaveURL(/\/portal\?booked=/);
  await expect(phone.getByRole("status")).toContainText("Request sent");
  const id = new URL(phone.url()).searchParams.get("booked")!;
  // The board shows today: late in the clinic's day the first open time is tomorrow, so the visit is
  // brought into today (keeping its length and buffers) for the floor to follow it: the nearest time
  // to now, after or before, that the database accepts (it refuses one overlapping the provider's
  // other visits) and that ends today, whatever hour CI runs at.
  const today = clinicDay(Date.now());
  const length = Number(await worker.sql(`select ends_at - starts_at from appointments where id = '${id}'`));
  const nearNow = Array.from({ length: 288 }, (_, k) => [Date.now() + k * 5 * 60_000, Date.now() - (k + 1) * 5 * 60_000]).flat();
  for (const at of nearNow.filter((t) => clinicDay(t) === today && clinicDay(t + length - 1) === today)) {
    if (clinicDay(Number(await worker.sql(`select starts_at from appointments where id = '${id}'`))) === today) break;
    await worker.sql(`update appointments set starts_at = ${at}, ends_at = ${at} + (ends_at - starts_at), block_start = ${at} - (starts_at - block_start), block_end = ${at} + (block_end - starts_at) where id = '${id}'`);
  }
  const startsAt = Number(await worker.sql(`select starts_at from appointments where id = '${id}'`));
  expect(clinicDay(startsAt), "the visit could not be brought into today").toBe(today);
  const providerName = String(await worker.sql(`select u.name from appointments a join users u on u.id = a.provider_id where a.id = '${id}'`));
  const providerEmail = String(await worker.sql(`select u.email from appointments a join users u on u.id = a.provider_id where a.id = '${id}'`));

  // The floor, live on a second screen.
  const board = await (await context(browser)).newPage();
  await signIn(board, "frontdesk@lumen.example");
  await board.goto("/board");
  await expect(board.getByRole("status").filter({ hasText: "Live" })).toBeVisible({ timeout: 15_000 });
  const marker = await board.evaluate(() => ((window as unknown as { boardMarker: number }).boardMarker = Math.random()));

  // The desk confirms and checks the patient in on the day view.
  const desk = await (await context(browser)).newPage();
  await signIn(desk, "frontdesk@lumen.example");
  const date = clinicDay(startsAt);
  await desk.goto(`/appointments/${id}`);
  await desk.getByRole("button", { name: "Confirm" }).click();
  await expect(desk.getByText("Requested → Confirmed")).toBeVisible();
  await desk.goto(`/schedule?date=${date}`);
  const card = desk.getByRole("listitem").filter({ has: desk.getByRole("link", { name: "Workerday, Edge" }) });
  await checkIn(desk, card);
  await expectAccessible(desk);

  // The provider takes the patient to a room and completes the visit on the tablet.
  const tablet = await (await context(browser, { viewport: TABLET })).newPage();
  await signIn(tablet, providerEmail);
  await tablet.goto(`/appointments/${id}`);
  await tablet.getByRole("button", { name: "To room" }).click();
  await expect(tablet.getByText("Checked in → In room")).toBeVisible();
  // The board shows the room taken by this patient with their provider, without a reload.
  const room = board.getByRole("listitem").filter({ hasText: "Edge Workerday" }).filter({ hasText: "Occupied" });
  await expect(room).toBeVisible({ timeout: 15_000 });
  await expect(room).toContainText(providerName);
  await tablet.getByRole("button", { name: "Complete" }).click();
  await expect(tablet.getByText("In room → Completed")).toBeVisible();
  // Completed: the room is no longer occupied by this patient (being turned over), still without a reload.
  await expect(room).toHaveCount(0, { timeout: 15_000 });
  expect(await board.evaluate(() => (window as unknown as { boardMarker: number }).boardMarker)).toBe(marker);
  expect(await worker.sql(`select status from appointments where id = '${id}'`)).toBe("completed");
});
