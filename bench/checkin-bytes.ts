import { chromium, type Page } from "@playwright/test";
import { LARGE_APPOINTMENT_RANGE } from "../db/seed/generate";
import { addDays } from "../app/scheduling/local-time";
import { DEMO_PASSWORD } from "../db/seed/generate";
import { benchServer } from "./http";

/** Bytes the browser received (headers and bodies, as sent) from the moment `act` starts until `done` holds. */
async function bytesDuring(page: Page, act: () => Promise<void>, done: () => Promise<void>) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  // Bytes per request as they arrive off the wire (headers and body), whatever becomes of the request.
  const received = new Map<string, number>();
  const urls: string[] = [];
  cdp.on("Network.responseReceived", (e) => received.set(e.requestId, Math.max(received.get(e.requestId) ?? 0, e.response.encodedDataLength)));
  cdp.on("Network.dataReceived", (e) => received.set(e.requestId, (received.get(e.requestId) ?? 0) + e.encodedDataLength));
  cdp.on("Network.loadingFinished", (e) => received.set(e.requestId, Math.max(received.get(e.requestId) ?? 0, e.encodedDataLength)));
  cdp.on("Network.requestWillBeSent", (e) => urls.push(`${e.request.method} ${new URL(e.request.url).pathname}${new URL(e.request.url).search}`));
  const started = performance.now();
  await act();
  await done();
  const ms = performance.now() - started;
  // Let anything the change set off (a reload of the page's data, if one were made) arrive and be counted.
  await page.waitForTimeout(1_000);
  await cdp.detach();
  const bytes = [...received.values()].reduce((a, b) => a + b, 0);
  return { kb: Number((bytes / 1024).toFixed(1)), ms: Number(ms.toFixed(1)), requests: urls };
}

/**
 * A check-in at the desk on a 1,000-visit day (the xl flagship: 100 providers, 10 visits each),
 * with JavaScript, in Chromium: the KB sent to the desk from the click until the new status shows
 * (`value`, the day view), the same on Today, and what reloading the day view's data (what a
 * check-in used to cost) weighs, measured in the same run.
 */
export async function benchCheckinBytes(xlDb: string) {
  const server = await benchServer(xlDb);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.app.url}/login`);
    await page.getByLabel("Email").fill("frontdesk@lumen.example");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname !== "/login");

    // The day view of a 1,000-visit day: confirmed visits show "Check in".
    const date = addDays(LARGE_APPOINTMENT_RANGE.fromDate, 1);
    await page.goto(`${server.app.url}/schedule?date=${date}&view=provider`);
    // Hydrated and settled (the service worker registered), as a desk that has had the page open.
    await page.waitForLoadState("networkidle");
    const visits = await page.locator("#schedule-grid [data-appointment]").count();
    if (visits < 900) throw new Error(`expected a 1,000-visit day, found ${visits} visits`);
    const card = page.locator("#schedule-grid [data-appointment]").filter({ has: page.getByRole("button", { name: "Check in" }) }).first();
    const id = await card.getAttribute("data-appointment");
    const dayView = await bytesDuring(
      page,
      () => card.getByRole("button", { name: "Check in" }).click(),
      async () => {
        // The data set's days are ahead of the clock, so the desk is asked whether this early is meant.
        const checkedIn = page.locator(`#schedule-grid [data-appointment="${id}"]`).getByText("Checked in");
        const anyway = page.getByRole("button", { name: "Check in anyway" });
        await checkedIn.or(anyway).waitFor();
        if (await anyway.isVisible()) await anyway.click();
        await checkedIn.waitFor();
      },
    );
    // What the whole day's data weighs (what a check-in reloaded before, issue 14).
    const reload = await bytesDuring(
      page,
      async () => void (await page.evaluate(async (url) => (await fetch(url)).text(), `/schedule.data?date=${date}&view=provider`)),
      async () => {},
    );

    // Today, on the server's real day: the same when it falls in the data set's fortnight.
    await page.goto(`${server.app.url}/today`);
    await page.waitForLoadState("networkidle");
    const rows = await page.getByRole("button", { name: "Check in" }).count();
    // The row of the first visit to check in, found by its link (the button leaves once it's used).
    const href = rows ? await page.getByRole("button", { name: "Check in" }).first().locator("xpath=ancestor::li[1]//a").first().getAttribute("href") : null;
    // Found with the browser's own selector engine: on a 1,000-row page a filtered locator takes
    // Playwright longer to evaluate than the check-in itself.
    const row = page.locator(`main li:has(a[href="${href}"])`);
    const today = rows
      ? await bytesDuring(
          page,
          () => row.getByRole("button", { name: "Check in" }).click(),
          () => page.waitForFunction((h) => document.querySelector(`main a[href="${h}"]`)?.closest("li")?.textContent?.includes("Checked in"), href, { polling: "raf" }).then(() => undefined),
        )
      : null;
    return {
      name: "checkin-bytes",
      unit: "KB",
      value: dayView.kb,
      dayViewMs: dayView.ms,
      dayViewRequests: dayView.requests,
      todayKB: today?.kb ?? null,
      todayMs: today?.ms ?? null,
      todayRequests: today?.requests ?? null,
      todayVisitsWithCheckIn: rows,
      wholeDayDataKB: reload.kb,
      visitsOnDay: visits,
      target: { value: 20 },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
