import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { locations, users } from "../../db/schema";
import { e2eDb, expectAccessible, signIn } from "./fixtures";

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
  const card = desk.getByRole("listitem").filter({ hasText: provider.name });
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
  const card = desk.getByRole("listitem").filter({ hasText: provider.name });
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
  const firstCard = desk.getByRole("listitem").filter({ hasText: first.name });
  const secondCard = desk.getByRole("listitem").filter({ hasText: second.name });
  await expect(firstCard).not.toContainText("On break");
  await expect(secondCard).not.toContainText("Documenting");

  const changeStatus = async (email: string, state: string) => {
    const ctx = await browser.newContext({ viewport: TABLET });
    const tablet = await ctx.newPage();
    await signIn(tablet, email);
    await tablet.goto("/provider");
    await tablet.getByRole("button", { name: state }).click();
    await tablet.waitForURL(/\/provider/);
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
