import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { and } from "drizzle-orm";
import { locations, patients, rooms, roomStates, services, users } from "../../db/schema";
import { addVisit, e2eDb, todaySlot, expectAccessible, signIn } from "./fixtures";
import { arrangeConsentsOnFile } from "../helpers/consents-on-file";

const TABLET = { width: 768, height: 1024 };

test("two screens see each other's changes live, and a room token only opens its own location", async ({ browser }) => {
  const deskCtx = await browser.newContext();
  const desk = await deskCtx.newPage();
  await signIn(desk, "frontdesk@lumen.example");
  await desk.goto("/board");
  await expect(desk.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  await expectAccessible(desk);

  const { client, db } = e2eDb();
  const [provider] = await db.select().from(users).where(eq(users.email, "provider@lumen.example"));
  const [other] = await db.select().from(locations).where(eq(locations.name, "Lumen Santa Monica"));
  client.close();
  const card = desk.getByRole("list", { name: "Providers today" }).getByRole("listitem").filter({ hasText: provider.name });
  await expect(card).not.toContainText("On break");

  const tabletCtx = await browser.newContext({ viewport: TABLET });
  const tablet = await tabletCtx.newPage();
  await signIn(tablet, "provider@lumen.example");
  await tablet.goto("/provider");
  await tablet.getByRole("button", { name: "On break" }).click();
  await tablet.waitForURL(/\/provider/);

  // The desk's board changes without a reload.
  const marker = await desk.evaluate(() => ((window as unknown as { boardMarker: number }).boardMarker = Math.random()));
  await expect(card).toContainText("On break");
  expect(await desk.evaluate(() => (window as unknown as { boardMarker: number }).boardMarker)).toBe(marker);

  // A token issued for this location is refused by another location's room.
  const outcome = await desk.evaluate(async (otherLocation) => {
    const { token } = (await (await fetch("/board/token")).json()) as { token: string };
    const meta = document.querySelector<HTMLElement>("[data-party-url]")!.dataset.partyUrl!.replace(/^http/, "ws");
    return new Promise<string>((resolve) => {
      const ws = new WebSocket(`${meta}/parties/main/${otherLocation}?token=${token}`);
      ws.onopen = () => resolve("opened");
      ws.onerror = () => resolve("refused");
      ws.onclose = () => resolve("refused");
      setTimeout(() => resolve("timeout"), 5000);
    });
  }, other.id);
  expect(outcome).toBe("refused");
  await tabletCtx.close();
  await deskCtx.close();
});

test("a board that loses its connection says so, and catches up on what it missed when it is back", async ({ browser }) => {
  const deskCtx = await browser.newContext();
  const desk = await deskCtx.newPage();
  await signIn(desk, "frontdesk@lumen.example");
  await desk.goto("/board");
  await expect(desk.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  const { client, db } = e2eDb();
  const [provider] = await db.select().from(users).where(eq(users.email, "provider@lumen.example"));
  client.close();
  const card = desk.getByRole("list", { name: "Providers today" }).getByRole("listitem").filter({ hasText: provider.name });
  await expect(card).not.toContainText("Documenting");

  await deskCtx.setOffline(true);
  await expect(desk.getByRole("status").filter({ hasText: "Reconnecting" })).toBeVisible({ timeout: 15_000 });
  // Meanwhile, on the tablet, the provider goes on break.
  const tabletCtx = await browser.newContext();
  const tablet = await tabletCtx.newPage();
  await signIn(tablet, "provider@lumen.example");
  await tablet.goto("/provider");
  await tablet.getByRole("button", { name: "Documenting" }).click();
  await tablet.waitForURL(/\/provider/);
  await expect(card).not.toContainText("Documenting");

  await deskCtx.setOffline(false);
  await expect(desk.getByRole("status").filter({ hasText: "Live" })).toBeVisible({ timeout: 20_000 });
  await expect(card).toContainText("Documenting");
  await tabletCtx.close();
  await deskCtx.close();
});

test("a board that misses a change while connected notices the gap and asks for the whole floor", async ({ browser }) => {
  const deskCtx = await browser.newContext();
  const desk = await deskCtx.newPage();
  // Between the desk's browser and the room: pass everything through, except one patch we lose on purpose.
  const seen: string[] = [];
  let loseNextPatch = false;
  await desk.routeWebSocket(/\/parties\/main\//, (page) => {
    const room = page.connectToServer();
    room.onMessage((message) => {
      const type = (JSON.parse(String(message)) as { type: string }).type;
      if (loseNextPatch && type === "patch") {
        loseNextPatch = false;
        seen.push("lost patch");
        return;
      }
      seen.push(type);
      page.send(message);
    });
    page.onMessage((message) => {
      seen.push(`asked: ${String(message)}`);
      room.send(message);
    });
  });
  await signIn(desk, "frontdesk@lumen.example");
  await desk.goto("/board");
  await expect(desk.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  const { client, db } = e2eDb();
  const [first] = await db.select().from(users).where(eq(users.email, "provider@lumen.example"));
  const [second] = await db.select().from(users).where(eq(users.email, "provider3@lumen.example"));
  client.close();
  const firstCard = desk.getByRole("list", { name: "Providers today" }).getByRole("listitem").filter({ hasText: first.name });
  const secondCard = desk.getByRole("list", { name: "Providers today" }).getByRole("listitem").filter({ hasText: second.name });
  await expect(firstCard).not.toContainText("On break");
  await expect(secondCard).not.toContainText("Documenting");

  const changeStatus = async (email: string, state: string) => {
    const ctx = await browser.newContext({ viewport: TABLET });
    const tablet = await ctx.newPage();
    await signIn(tablet, email);
    await tablet.goto("/provider");
    await tablet.getByRole("button", { name: state }).click();
    await tablet.waitForURL(/\/provider/);
    // The change has landed once the page shows it (closing the tablet before could drop it).
    await expect(tablet.getByRole("button", { name: state, pressed: true })).toBeVisible();
    await ctx.close();
  };
  loseNextPatch = true;
  await changeStatus("provider@lumen.example", "On break");
  await expect.poll(() => seen.includes("lost patch")).toBe(true);
  await expect(firstCard).not.toContainText("On break");

  // The next patch doesn't follow the version the desk holds: it asks for the snapshot, which has both changes.
  await changeStatus("provider3@lumen.example", "Documenting");
  await expect(secondCard).toContainText("Documenting");
  await expect(firstCard).toContainText("On break");
  expect(seen.slice(seen.indexOf("lost patch"))).toEqual(expect.arrayContaining(["patch", "asked: sync", "snapshot"]));
  await deskCtx.close();
});

test("the provider's tablet follows the floor live: a patient checked in at the desk, a room made ready", async ({ browser, baseURL }) => {
  const { client, db } = e2eDb();
  const [provider] = await db.select().from(users).where(eq(users.email, "provider@lumen.example"));
  const [location] = await db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const busy = new Set((await db.select({ roomId: roomStates.roomId }).from(roomStates)).map((r) => r.roomId));
  const room = (await db.select().from(rooms).where(eq(rooms.locationId, location.id))).find((r) => !busy.has(r.id))!;
  const [patient] = await db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1).offset(7);
  const [service] = await db.select().from(services).where(eq(services.organizationId, location.organizationId)).limit(1);
  const id = crypto.randomUUID();
  const { start, end } = todaySlot(-1, 30);
  await addVisit(db, { id, organizationId: location.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, roomId: room.id, status: "confirmed", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 100, createdAt: new Date() });
  client.close();
  const name = `${patient.firstName} ${patient.lastName}`;

  const tabletCtx = await browser.newContext({ viewport: TABLET });
  const tablet = await tabletCtx.newPage();
  await signIn(tablet, "provider@lumen.example");
  await tablet.goto("/provider");
  await expect(tablet.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  await expectAccessible(tablet);
  const marker = await tablet.evaluate(() => ((window as unknown as { tabletMarker: number }).tabletMarker = Math.random()));
  const item = tablet.getByRole("listitem").filter({ hasText: name });
  await expect(item).toContainText("Confirmed");

  // The desk checks the patient in: the tablet's queue shows it without a reload.
  const deskCtx = await browser.newContext();
  const desk = await deskCtx.newPage();
  await signIn(desk, "frontdesk@lumen.example");
  const checkIn = await desk.request.post(`/appointments/${id}`, { form: { intent: "status", to: "checked_in", confirmEarly: "1" }, headers: { origin: baseURL! }, maxRedirects: 0 });
  expect(checkIn.status()).toBe(302);
  await expect(item).toContainText("Checked in");
  expect(await tablet.evaluate(() => (window as unknown as { tabletMarker: number }).tabletMarker)).toBe(marker);

  // The provider rooms the patient and completes the visit: the room is theirs, to be made ready.
  await item.getByRole("button", { name: "To room" }).click();
  await expect(tablet.getByRole("button", { name: "Complete" })).toBeVisible();
  await expect(tablet.locator("p", { hasText: "Now:" })).toContainText(`With a patient · 0 min · ${name} in ${room.name}`);
  await tablet.getByRole("listitem").filter({ hasText: name }).getByRole("button", { name: "Complete" }).click();
  const ready = tablet.getByRole("button", { name: `Mark ${room.name} ready` });
  await expect(ready).toBeVisible();
  await expect(tablet.getByRole("button", { name: "Documenting" })).toHaveAttribute("aria-pressed", "true");

  // The desk makes the room ready on its board: the tablet's rooms follow, still without a reload.
  await desk.goto("/board");
  await desk.getByRole("button", { name: `Mark ${room.name} ready` }).click();
  const marker2 = await tablet.evaluate(() => ((window as unknown as { tabletMarker2: number }).tabletMarker2 = Math.random()));
  await expect(ready).toBeHidden();
  expect(await tablet.evaluate(() => (window as unknown as { tabletMarker2: number }).tabletMarker2)).toBe(marker2);
  await tabletCtx.close();
  await deskCtx.close();
});

test("a board whose session ends stops at once: the room drops its socket and it says so", async ({ browser }) => {
  const deskCtx = await browser.newContext();
  const desk = await deskCtx.newPage();
  await signIn(desk, "frontdesk@lumen.example");
  await desk.goto("/board");
  await expect(desk.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  // The same person signs out everywhere from another computer.
  const otherCtx = await browser.newContext();
  const other = await otherCtx.newPage();
  await signIn(other, "frontdesk@lumen.example");
  await other.goto("/account");
  await other.getByRole("button", { name: /Sign out everywhere/ }).click();
  await expect(desk.getByRole("status").filter({ hasText: "Signed out" })).toBeVisible({ timeout: 10_000 });
  // It stays stopped: no new token for an ended session, and no further updates.
  const { client, db } = e2eDb();
  const [provider] = await db.select().from(users).where(eq(users.email, "provider@lumen.example"));
  client.close();
  const tabletCtx = await browser.newContext({ viewport: TABLET });
  const tablet = await tabletCtx.newPage();
  await signIn(tablet, "provider@lumen.example");
  await tablet.goto("/provider");
  const card = desk.getByRole("list", { name: "Providers today" }).getByRole("listitem").filter({ hasText: provider.name });
  const before = await card.textContent();
  await tablet.getByRole("button", { name: before?.includes("Documenting") ? "Available" : "Documenting" }).click();
  await tablet.waitForURL(/\/provider/);
  await desk.waitForTimeout(1000);
  expect(await card.textContent()).toBe(before);
  await expect(desk.getByRole("status").filter({ hasText: "Signed out" })).toBeVisible();
  await tabletCtx.close();
  await otherCtx.close();
  await deskCtx.close();
});

test("the desk sees a finished visit's chart signed on the board live (issue 11)", async ({ browser }) => {
  const { client, db } = e2eDb();
  const [provider] = await db.select().from(users).where(eq(users.email, "provider@lumen.example"));
  const [location] = await db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const [service] = await db.select().from(services).where(and(eq(services.organizationId, location.organizationId), eq(services.name, "Neurotoxin (Botox, Dysport)")));
  const [patient] = await db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1).offset(11);
  await arrangeConsentsOnFile(db, patient.id);
  const id = crypto.randomUUID();
  const { start, end } = todaySlot(-50, 30);
  await addVisit(db, { id, organizationId: location.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, roomId: null, status: "completed", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 45_000, createdAt: new Date() });
  client.close();
  const name = `${patient.firstName} ${patient.lastName}`;

  const deskCtx = await browser.newContext();
  const desk = await deskCtx.newPage();
  await signIn(desk, "frontdesk@lumen.example");
  await desk.goto("/board");
  await expect(desk.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  const row = desk.getByRole("region", { name: /Finished today/ }).getByRole("listitem").filter({ hasText: name });
  await expect(row).toContainText("No chart");
  await expectAccessible(desk);
  const marker = await desk.evaluate(() => ((window as unknown as { boardMarker: number }).boardMarker = Math.random()));

  // The provider charts the visit on the tablet and signs it.
  const tabletCtx = await browser.newContext({ viewport: TABLET, hasTouch: true });
  const tablet = await tabletCtx.newPage();
  await signIn(tablet, "provider@lumen.example");
  await tablet.goto(`/appointments/${id}`);
  await tablet.getByRole("button", { name: /Start chart for/ }).click();
  await tablet.waitForURL(/\/charts\//);
  await tablet.getByRole("group", { name: /Consent reviewed/ }).getByLabel("Yes").check();
  await tablet.getByRole("group", { name: /Pregnant or breastfeeding/ }).getByLabel("No").check();
  await tablet.getByLabel("Your password").fill("atrium-demo-password");
  await tablet.getByRole("button", { name: "Sign chart" }).click();
  await expect(tablet.getByText("Chart signed.")).toBeVisible();

  // The desk's board says so without a reload.
  await expect(row).toContainText(/Chart signed \d/);
  expect(await desk.evaluate(() => (window as unknown as { boardMarker: number }).boardMarker)).toBe(marker);
  await tabletCtx.close();
  await deskCtx.close();
});
