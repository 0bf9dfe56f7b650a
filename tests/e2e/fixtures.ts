import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page } from "@playwright/test";
import { and, eq, gt, inArray, lt, or } from "drizzle-orm";
import { generateTotp } from "../../app/auth/totp.server";
import { openDatabase } from "../../db/client";
import { appointments, users } from "../../db/schema";
import { DEMO_PASSWORD, TEST_TOTP_SECRET } from "../../db/seed/generate";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { E2E_DB, E2E_MAIL, TMP } from "../setup/paths";

export { DEMO_PASSWORD, TEST_TOTP_SECRET };

/** The e2e server's own database, for arranging time (idle sessions) and reading results. */
export function e2eDb() {
  return openDatabase(`file:${E2E_DB}`);
}

/** The demo clinic these specs arrange visits at (Lumen Midtown) keeps New York time. */
export const CLINIC_TZ = "America/New_York";
export const clinicDay = (t: number, timeZone = CLINIC_TZ) => new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date(t));

/**
 * A visit `minutesFromNow` from now lasting `minutes`, kept inside the clinic's today: the day
 * views, My day and the board show only today, and CI runs at any hour (a run at 23:10 in New
 * York once put "an hour from now" on tomorrow). When the wanted time would leave today, the
 * visit is mirrored about now ([now+a, now+a+len] becomes [now-a-len, now-a]), which keeps
 * visits arranged together in one spec apart from each other.
 */
export function todaySlot(minutesFromNow: number, minutes: number, now = Date.now(), timeZone = CLINIC_TZ) {
  const today = clinicDay(now, timeZone);
  const fits = (start: number) => clinicDay(start, timeZone) === today && clinicDay(start + minutes * 60_000 - 1, timeZone) === today;
  let start = now + minutesFromNow * 60_000;
  if (!fits(start)) start = now - (minutesFromNow + minutes) * 60_000;
  // A visit spanning now just after midnight has no mirror today either: the nearest start that fits.
  for (let step = 1; !fits(start) && step < 24 * 60; step++) {
    const wanted = now + minutesFromNow * 60_000;
    start = [wanted + step * 60_000, wanted - step * 60_000].find(fits) ?? start;
  }
  return { start: new Date(start), end: new Date(start + minutes * 60_000) };
}

/**
 * Arranges a visit in the shared e2e database. The database refuses a provider or a room booked
 * twice (migration 0015), and earlier tests and the demo data book the same people: whatever
 * overlaps this visit's provider or room is cancelled first.
 */
export async function addVisit(db: ReturnType<typeof e2eDb>["db"], visit: typeof appointments.$inferInsert) {
  await db
    .update(appointments)
    .set({ status: "cancelled" })
    .where(and(or(eq(appointments.providerId, visit.providerId), visit.roomId ? eq(appointments.roomId, visit.roomId) : undefined), lt(appointments.blockStart, visit.blockEnd), gt(appointments.blockEnd, visit.blockStart), inArray(appointments.status, ["requested", "confirmed", "checked_in", "in_room", "completed"])));
  await db.insert(appointments).values(visit);
}

export async function userId(email: string) {
  const { client, db } = e2eDb();
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  client.close();
  return u.id;
}

// Kept on disk: Playwright restarts its worker after a failure, and the server still remembers.
const STEPS_FILE = `${TMP}/e2e-totp-steps.json`;
const readSteps = (): Record<string, number> => (existsSync(STEPS_FILE) ? JSON.parse(readFileSync(STEPS_FILE, "utf8")) : {});

/**
 * A TOTP for a pre-enrolled test account. The server refuses a step it has already
 * accepted for that account, and accepts at most one step ahead, so wait when needed.
 */
export async function nextTotp(account: string, secret = TEST_TOTP_SECRET) {
  const steps = readSteps();
  const current = Math.floor(Date.now() / 30_000);
  const step = Math.max(current, (steps[account] ?? 0) + 1);
  if (step > current + 1) await new Promise((r) => setTimeout(r, (step - 1) * 30_000 - Date.now() + 50));
  writeFileSync(STEPS_FILE, JSON.stringify({ ...steps, [account]: step }));
  return generateTotp(secret, step * 30_000);
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  if (new URL(page.url()).pathname === "/login/mfa") {
    await page.getByLabel("Code").fill(await nextTotp(email));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL((url) => url.pathname !== "/login/mfa");
  }
}

/** Fails on serious or critical WCAG 2 A/AA violations. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`)).toEqual([]);
}

/** The newest sign-up code emailed to `to` by the e2e server (through its fake mail server). */
export async function signupCode(to: string, timeoutMs = 10_000) {
  const started = Date.now();
  for (;;) {
    const mails = existsSync(E2E_MAIL) ? (JSON.parse(readFileSync(E2E_MAIL, "utf8")) as { to: string[]; text: string }[]) : [];
    const code = mails.filter((m) => m.to.includes(to)).map((m) => /Your code: (\d{3}) (\d{3})/.exec(m.text)).filter(Boolean).at(-1);
    if (code) return code[1] + code[2];
    if (Date.now() - started > timeoutMs) throw new Error(`no sign-up code emailed to ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Checks a patient in from a visit's card or row. A visit more than an hour away asks first
 * ("Check the patient in anyway?"): the answer is yes. Whether it asks depends on the clock.
 */
export async function checkIn(page: Page, card: Locator) {
  await card.getByRole("button", { name: "Check in" }).click();
  const anyway = page.getByRole("button", { name: "Check in anyway" });
  await expect(card.getByText("Checked in", { exact: true }).or(anyway)).toBeVisible();
  if (await anyway.isVisible()) await anyway.click();
  await expect(card.getByText("Checked in", { exact: true })).toBeVisible();
}

/**
 * Text that doesn't fit its box: an element whose own text is wider than the element (clipped,
 * like "Availab" in a tile, or spilling over its neighbours), unless it is meant to scroll or ends
 * in an ellipsis; and a page that scrolls sideways. Empty when everything fits.
 */
export async function textOverflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className && typeof el.className === "string" ? `.${el.className.trim().split(/\s+/).slice(0, 3).join(".")}` : ""} "${(el.textContent ?? "").trim().slice(0, 40)}"`;
    for (const el of document.body.querySelectorAll("*")) {
      if (el.closest("svg, select, noscript, template, [hidden]")) continue;
      const style = getComputedStyle(el);
      if (style.display === "inline" || style.display === "none" || style.visibility === "hidden" || style.display === "contents") continue;
      // Visually hidden text for screen readers (sr-only) is 1 px wide on purpose.
      if (style.position === "absolute" && (el as HTMLElement).clientWidth <= 1) continue;
      if (/(auto|scroll)/.test(style.overflowX) || style.textOverflow === "ellipsis") continue;
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? "").trim());
      if (!ownText || el.getClientRects().length === 0) continue;
      if (el.scrollWidth > el.clientWidth + 1) found.push(`${describe(el)}: ${el.scrollWidth}px of text in ${el.clientWidth}px`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth + 1) found.push(`the page scrolls sideways (${document.documentElement.scrollWidth}px in ${window.innerWidth}px)`);
    return found;
  });
}

/** Emails the e2e server's fake mail server received for `to` (newest last). */
export function mailsTo(to: string) {
  const mails = existsSync(E2E_MAIL) ? (JSON.parse(readFileSync(E2E_MAIL, "utf8")) as { to: string[]; text: string }[]) : [];
  return mails.filter((m) => m.to.includes(to));
}

/** The gift card code emailed to `to` (the message job sends it within a few seconds of payment). */
export async function emailedGiftCardCode(to: string, timeoutMs = 15_000) {
  const started = Date.now();
  for (;;) {
    const code = mailsTo(to).map((m) => /Your code: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(m.text)).filter(Boolean).at(-1);
    if (code) return code[1];
    if (Date.now() - started > timeoutMs) throw new Error(`no gift card emailed to ${to}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
