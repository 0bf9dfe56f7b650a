import { expect, test } from "@playwright/test";
import { startWorker } from "../helpers/worker-runtime";
import { E2E_DB } from "../setup/paths";
import { DEMO_PASSWORD, expectAccessible } from "./fixtures";

// The Cloudflare Worker build, in workerd, driven by Chromium: same app, other runtime.
let worker: Awaited<ReturnType<typeof startWorker>>;
test.beforeAll(async () => {
  worker = await startWorker(E2E_DB);
});
test.afterAll(async () => {
  await worker?.close();
});

test("the Worker build signs in end to end in a browser", async ({ page }) => {
  await page.goto(`${worker.origin}/today`);
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
