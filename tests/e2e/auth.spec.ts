import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { generateTotp } from "../../app/auth/totp.server";
import { sessions } from "../../db/schema";
import { DEMO_PASSWORD, e2eDb, signIn, userId } from "./fixtures";

const HOMES = [
  ["owner@lumen.example", "/today", "Good to see you"],
  ["manager@lumen.example", "/today", "Good to see you"],
  ["frontdesk@lumen.example", "/today", "Good to see you"],
  ["provider@lumen.example", "/provider", "My day"],
  ["md@lumen.example", "/today", "Good to see you"],
  ["patient@lumen.example", "/portal", "Hello, Jordan"],
] as const;

for (const [email, home, heading] of HOMES) {
  test(`${email} signs in and lands on their home`, async ({ page }) => {
    await signIn(page, email);
    await expect(page).toHaveURL(home);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(heading);
  });
}

test("signing in works with JavaScript disabled", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill("frontdesk@lumen.example");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("That email and password do not match an active account.");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL("/today");
  // A mutation without JavaScript: create a patient.
  await page.goto("/patients/new");
  await page.getByLabel("First name").fill("Nojs");
  await page.getByLabel("Last name").fill("Patient");
  await page.getByLabel("Date of birth").fill("1991-07-04");
  await page.getByRole("button", { name: "Create patient" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nojs Patient");
  await context.close();
});

test("MFA enrolment with a QR code and manual key, then a sign-in with a code", async ({ page }) => {
  await signIn(page, "frontdesk@harbor.example");
  await page.goto("/account/mfa");
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("mfa-secret").textContent())!.trim();
  await page.getByLabel("Enter the 6-digit code it shows").fill(generateTotp(secret, Date.now()));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/login\?reason=signed_out/);

  await page.getByLabel("Email").fill("frontdesk@harbor.example");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL("/login/mfa");
  await page.getByLabel("Code").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert")).toContainText("That code didn't work");
  await page.getByLabel("Code").fill(generateTotp(secret, Date.now() + 30_000));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL("/today");
});

test("an idle session is signed out", async ({ page }) => {
  await signIn(page, "md@lumen.example");
  await expect(page).toHaveURL("/today");
  const { client, db } = e2eDb();
  await db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) }).where(eq(sessions.userId, await userId("md@lumen.example")));
  client.close();
  await page.getByRole("link", { name: "Patients" }).click();
  await expect(page).toHaveURL(/\/login\?.*reason=idle/);
  await expect(page.getByRole("status")).toContainText("signed out after a period of inactivity");
});

test("a disabled user is signed out at once", async ({ browser }) => {
  const providerCtx = await browser.newContext();
  const provider = await providerCtx.newPage();
  await signIn(provider, "provider2@lumen.example");
  await expect(provider).toHaveURL("/provider");

  const managerCtx = await browser.newContext();
  const manager = await managerCtx.newPage();
  await signIn(manager, "manager@lumen.example");
  await manager.goto(`/settings/staff/${await userId("provider2@lumen.example")}`);
  await expect(manager.getByRole("heading", { level: 1 })).toContainText(/, (RN|NP|PA-C)$/);
  await manager.getByRole("button", { name: "Disable account and sign out everywhere" }).click();
  await expect(manager.getByRole("status")).toContainText("Every session of this account has ended");

  await provider.reload();
  await expect(provider).toHaveURL(/\/login\?.*reason=(revoked|disabled)/);
  await providerCtx.close();
  await managerCtx.close();
});

test("a user of organization A cannot open organization B's records", async ({ page, browser }) => {
  const harborCtx = await browser.newContext();
  const harbor = await harborCtx.newPage();
  await signIn(harbor, "owner@harbor.example");
  await harbor.goto("/patients");
  await harbor.getByRole("table").getByRole("link").first().click();
  await harbor.waitForURL(/\/patients\/[\w-]+$/);
  const harborPatientUrl = new URL(harbor.url()).pathname;
  await harbor.goto("/settings/locations");
  await harbor.getByRole("region", { name: "Your locations" }).getByRole("link").first().click();
  await harbor.waitForURL(/\/settings\/locations\/[\w-]+$/);
  const harborLocationUrl = new URL(harbor.url()).pathname;
  await harborCtx.close();

  await signIn(page, "frontdesk@lumen.example");
  const res = await page.goto(harborPatientUrl);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("alert")).toContainText("We couldn't find that");
  // The error renders inside the shell: navigation is still there.
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  const ownerCtx = await browser.newContext();
  const owner = await ownerCtx.newPage();
  await signIn(owner, "owner@lumen.example");
  expect((await owner.goto(harborLocationUrl))?.status()).toBe(404);
  expect((await owner.goto("/provider"))?.status()).toBe(403);
  await ownerCtx.close();
});

test("a cross-origin POST is rejected", async ({ page, request }) => {
  await signIn(page, "frontdesk@lumen.example");
  const cookies = await page.context().cookies();
  const res = await request.post("/patients/new", {
    headers: { origin: "https://evil.example", cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") },
    form: { firstName: "Mallory", lastName: "Attacker", dateOfBirth: "1980-01-01" },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(403);
  await page.goto("/patients");
  await page.getByLabel("Search patients by name, phone, email or date of birth").fill("Mallory");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("No patients match that search")).toBeVisible();
  expect(page.url()).not.toContain("Mallory");
});
