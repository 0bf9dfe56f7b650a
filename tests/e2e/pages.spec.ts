import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./fixtures";

const DESKTOP = { width: 1280, height: 800 };
const TABLET_PORTRAIT = { width: 768, height: 1024 };
const TABLET_LANDSCAPE = { width: 1366, height: 1024 };
const PHONE = { width: 360, height: 740 };

test("public pages are accessible", async ({ page }) => {
  for (const path of ["/login", "/forgot-password", "/reset-password?token=nope", "/invite?token=nope"]) {
    await page.goto(path);
    await expectAccessible(page);
  }
});

test("the owner's desktop pages are accessible and navigable", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await signIn(page, "owner@lumen.example");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const [link, heading] of [
    ["Today", /Good to see you/],
    ["Patients", /Patients/],
    ["Audit log", /Audit log/],
    ["Message outbox", /Message outbox/],
    ["Settings", /Organization/],
    ["My account", /My account/],
  ] as const) {
    await nav.getByRole("link", { name: link }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    await expectAccessible(page);
  }
  await page.goto("/patients");
  await page.getByRole("table").getByRole("link").first().click();
  await page.waitForURL(/\/patients\/[\w-]+$/);
  await expectAccessible(page);
  for (const path of ["/patients/new", "/settings/locations", "/settings/staff", "/account/mfa"]) {
    await page.goto(path);
    await expectAccessible(page);
  }
  await page.goto("/settings/locations");
  await page.getByRole("region", { name: "Your locations" }).getByRole("link").first().click();
  await page.waitForURL(/\/settings\/locations\/[\w-]+$/);
  await expectAccessible(page);
  await page.goto("/settings/staff");
  await page.getByRole("table").getByRole("link").first().click();
  await page.waitForURL(/\/settings\/staff\/[\w-]+$/);
  await expectAccessible(page);
});

test("the location switcher changes the working location", async ({ page }) => {
  await signIn(page, "owner@lumen.example");
  await expect(page.getByRole("heading", { level: 1 }).locator("xpath=..")).toContainText("Lumen Midtown");
  await page.getByLabel("Location", { exact: true }).selectOption({ label: "Lumen Santa Monica" });
  await expect(page.getByText(/Lumen Santa Monica · .*P[SD]T/)).toBeVisible();
});

for (const [name, size] of [["portrait", TABLET_PORTRAIT], ["landscape", TABLET_LANDSCAPE]] as const) {
  test(`the provider's tablet layout works in ${name}`, async ({ page }) => {
    await page.setViewportSize(size);
    await signIn(page, "provider@lumen.example");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("My day");
    const link = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Patients" });
    const box = (await link.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);
  });
}

test("the patient's phone layout has bottom navigation at 360 px", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signIn(page, "patient@lumen.example");
  const nav = page.getByRole("navigation", { name: "Main" });
  const box = (await nav.boundingBox())!;
  expect(box.y + box.height).toBeGreaterThan(PHONE.height - 5);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await expectAccessible(page);
  await nav.getByRole("link", { name: "Profile" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your details");
  await page.getByLabel("Mobile phone").fill("(212) 555-0199");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await expectAccessible(page);
});

test("keyboard users can skip to content and reach the sign-in form", async ({ page }) => {
  await page.goto("/login");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Email")).toBeFocused();
  await signIn(page, "frontdesk@lumen.example");
  await page.goto("/patients");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
});

test("someone in two organizations switches between them from the sidebar", async ({ page }) => {
  await signIn(page, "md@lumen.example");
  await expect(page.getByRole("complementary").getByText("Lumen Aesthetics", { exact: true }).first()).toBeVisible();
  await page.getByLabel("Organization", { exact: true }).selectOption({ label: "Harbor Skin Clinic" });
  await expect(page.getByRole("complementary").getByText("Harbor Skin Clinic", { exact: true }).first()).toBeVisible();
  await expect(page.getByText(/Harbor Seaport · /)).toBeVisible();
  await expectAccessible(page);
});
