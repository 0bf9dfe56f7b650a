import { readFileSync, writeFileSync } from "node:fs";
import { expect, test, type Browser } from "@playwright/test";
import { eq } from "drizzle-orm";
import { appointmentEvents, appointments, locations, patients, rooms, roomStates, services, users } from "../../db/schema";
import { addVisit, e2eDb, todaySlot, expectAccessible, signIn } from "./fixtures";

const TABLET = { width: 768, height: 1024 };

/** The provider's tablet, signed in on My day, with the service worker installed and in control. */
async function installedTablet(browser: Browser) {
  const context = await browser.newContext({ viewport: TABLET });
  const page = await context.newPage();
  await signIn(page, "provider@lumen.example");
  await page.goto("/provider");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  return { context, page };
}


test("the tablet app is installable: manifest with icons, standalone, and a start page", async ({ request, page }) => {
  const manifest = await (await request.get("/manifest.webmanifest")).json();
  expect(manifest).toMatchObject({ name: expect.stringContaining("Atrium"), short_name: "Atrium", display: "standalone", start_url: expect.stringMatching(/^\//), theme_color: expect.any(String), background_color: expect.any(String) });
  const icons = manifest.icons as { src: string; sizes: string; purpose?: string }[];
  expect(icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  expect(icons.some((i) => i.purpose === "maskable")).toBe(true);
  for (const icon of icons.filter((i) => i.src.endsWith(".png"))) {
    const res = await request.get(icon.src);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("image/png");
  }
  // iPadOS launch screens: every one a staff page links is a PNG of exactly the size its media query names.
  await signIn(page, "provider@lumen.example");
  await page.goto("/provider");
  const html = await page.content();
  const splash = [...html.matchAll(/<link rel="apple-touch-startup-image" href="([^"]+)" media="([^"]+)"/g)];
  expect(splash.length).toBeGreaterThanOrEqual(14);
  for (const [, href, media] of splash) {
    const png = await (await request.get(href)).body();
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    const [, w, h] = /device-width: (\d+)px\) and \(device-height: (\d+)px/.exec(media)!;
    expect(media.includes("portrait") ? [width, height] : [height, width]).toEqual([Number(w) * 2, Number(h) * 2]);
  }
  const sw = await request.get("/sw.js");
  expect(sw.status()).toBe(200);
  expect(sw.headers()["cache-control"]).toBe("no-cache");
});

test("the public booking page and the patient portal never install the staff app's service worker", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const fetched: string[] = [];
  page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto("/book/lumen");
  await page.waitForLoadState("load");
  await page.waitForTimeout(500);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
  await signIn(page, "patient@lumen.example");
  await page.goto("/portal");
  await page.waitForLoadState("load");
  await page.waitForTimeout(500);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
  expect(fetched.filter((path) => path === "/sw.js" || path === "/manifest.webmanifest" || path.startsWith("/splash"))).toEqual([]);
  await context.close();
});

test("the service worker takes over, never caches pages, and answers navigations offline with the offline page", async ({ browser }) => {
  const { context, page } = await installedTablet(browser);
  expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
  await expect(page.locator("[data-storage]")).toBeVisible();
  // Only the app shell is cached: no page, no loader data.
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
    return urls;
  });
  expect(cached.length).toBeGreaterThan(10);
  expect(cached.filter((u) => !/^\/(assets\/|icons\/|offline\.(html|js)|manifest\.webmanifest|favicon\.svg)/.test(u))).toEqual([]);

  await context.setOffline(true);
  await page.goto("/provider").catch(() => undefined);
  await expect(page.getByRole("heading", { name: "You're offline" })).toBeVisible();
  await expectAccessible(page);
  await context.setOffline(false);
  await page.getByRole("link", { name: "Try again" }).click();
  await expect(page.getByRole("heading", { name: "My day" })).toBeVisible();
  await context.close();
});

test("a new version waits and offers “Reload to update” instead of reloading a page in use", async ({ browser }) => {
  const { context, page } = await installedTablet(browser);
  // Something typed in the page must survive the update arriving.
  const marker = await page.evaluate(() => ((window as unknown as { inUse: number }).inUse = Math.random()));
  // A deploy: the server now has a different service worker.
  const file = `${process.cwd()}/build/node/client/sw.js`;
  const original = readFileSync(file, "utf8");
  writeFileSync(file, `${original}\n// next version ${Date.now()}\n`);
  try {
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())!.update();
    });
    const prompt = page.getByRole("button", { name: "Reload to update" });
    await expect(prompt).toBeVisible({ timeout: 15_000 });
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { inUse: number }).inUse)).toBe(marker);
    await prompt.click();
    await page.waitForFunction(() => !(window as unknown as { inUse?: number }).inUse);
    await expect(page.getByRole("heading", { name: "My day" })).toBeVisible();
  } finally {
    writeFileSync(file, original);
    await context.close();
  }
});

test("offline on the tablet: the day as last synced, a status change kept, then sent once and seen live on the desk", async ({ browser }) => {
  const { client, db } = e2eDb();
  const [provider] = await db.select().from(users).where(eq(users.email, "provider@lumen.example"));
  const [location] = await db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const [patient] = await db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1);
  const [service] = await db.select().from(services).where(eq(services.organizationId, location.organizationId)).limit(1);
  const [room] = await db.select().from(rooms).where(eq(rooms.locationId, location.id)).limit(1);
  const id = crypto.randomUUID();
  const { start, end } = todaySlot(-5, 30);
  await addVisit(db, { id, organizationId: location.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, roomId: room.id, status: "checked_in", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 100, createdAt: new Date() });
  const name = `${patient.firstName} ${patient.lastName}`;

  const { context: tabletCtx, page: tablet } = await installedTablet(browser);
  const item = tablet.getByRole("listitem").filter({ hasText: name });
  await expect(item).toBeVisible();

  const deskCtx = await browser.newContext();
  const desk = await deskCtx.newPage();
  await signIn(desk, "frontdesk@lumen.example");
  await desk.goto("/board");
  await expect(desk.getByRole("status").filter({ hasText: "Live" })).toBeVisible();

  await tabletCtx.setOffline(true);
  await item.getByRole("button", { name: "To room" }).click();
  await expect(tablet.getByText("is saved on this tablet")).toBeVisible();
  // The app, reopened without a network: the day as last synced, its age, and what waits to be sent.
  await tablet.reload();
  await expect(tablet.getByRole("heading", { name: "You're offline" })).toBeVisible();
  await expect(tablet.getByText(/As last synced (just now|\d+ min ago)/)).toBeVisible();
  await expect(tablet.getByText(name, { exact: false })).toBeVisible();
  await expect(tablet.getByText(/1 change will be sent/)).toBeVisible();

  await tabletCtx.setOffline(false);
  await tablet.goto("/provider");
  await expect(tablet.getByText(/Back online: 1 change made offline was sent/)).toBeVisible();
  // The desk's board shows it without a reload.
  await expect(desk.getByRole("listitem").filter({ has: desk.getByText(room.name, { exact: true }) })).toContainText(name);
  // Applied exactly once, even if the tablet sends it again.
  await tablet.reload();
  const events = await db.select().from(appointmentEvents).where(eq(appointmentEvents.appointmentId, id));
  expect(events.filter((e) => e.toStatus === "in_room")).toHaveLength(1);
  expect((await db.select().from(appointments).where(eq(appointments.id, id)))[0].status).toBe("in_room");
  client.close();
  await tabletCtx.close();
  await deskCtx.close();
});

test("a form submitted while the network is down keeps what was typed, says so, and is sent when it returns", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "patient@lumen.example");
  await page.goto("/portal/waitlist");
  const first = page.getByLabel("First day that suits");
  const value = await first.inputValue();
  await context.setOffline(true);
  await page.getByRole("button", { name: "Join the waitlist" }).click();
  await expect(page.getByText("What you entered is kept")).toBeVisible();
  expect(await first.inputValue()).toBe(value);
  await context.setOffline(false);
  await expect(page.getByText("You're on the waitlist")).toBeVisible();
  await context.close();
});

test("a submission whose answer is lost while the browser still thinks it's online is held, keeps what was typed, and lands once", async ({ browser }) => {
  // The Wi-Fi is up but nothing gets through: the browser never goes "offline".
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  await signIn(page, "frontdesk@lumen.example");
  await page.goto("/patients/new");
  await page.getByLabel("First name").fill("Noor");
  await page.getByLabel("Last name").fill("Heldsworth");
  await page.getByLabel("Date of birth").fill("1988-07-30");

  // The first attempt reaches the server (the patient is created) but its answer never comes back,
  // and for a while Atrium can't be reached at all.
  let reachable = false;
  await page.route("**/healthz", (route) => (reachable ? route.continue() : route.abort("internetdisconnected")));
  let attempts = 0;
  await page.route("**/patients/new.data", async (route) => {
    attempts++;
    if (attempts === 1) {
      await route.fetch();
      return route.abort("connectionreset");
    }
    return route.continue();
  });
  await page.getByRole("button", { name: "Create patient" }).click();
  await expect(page.getByText("Atrium can't be reached right now. What you entered is kept")).toBeVisible();
  await expect(page.getByLabel("Last name")).toHaveValue("Heldsworth");
  await expect(page.getByLabel("First name")).toHaveValue("Noor");
  // It goes out by itself; sending it again by hand would be a second submission.
  await expect(page.getByRole("button", { name: "Create patient" })).toBeDisabled();

  reachable = true;
  await expect(page.getByRole("heading", { name: /Heldsworth/ })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText("Atrium can't be reached right now")).toBeHidden();
  expect(attempts).toBe(2);
  const { client, db } = e2eDb();
  const created = await db.select({ id: patients.id }).from(patients).where(eq(patients.lastName, "Heldsworth"));
  client.close();
  expect(created).toHaveLength(1);
  await context.close();
});

test("a shared tablet: the day and queued changes are sealed for their provider, locked after sign-out, and wait for them", async ({ browser }) => {
  const { client, db } = e2eDb();
  const [provider] = await db.select().from(users).where(eq(users.email, "provider@lumen.example"));
  const [location] = await db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const [patient] = await db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1).offset(3);
  const [service] = await db.select().from(services).where(eq(services.organizationId, location.organizationId)).limit(1);
  const [room] = await db.select().from(rooms).where(eq(rooms.locationId, location.id)).limit(1).offset(1);
  const id = crypto.randomUUID();
  const { start, end } = todaySlot(60, 30);
  await addVisit(db, { id, organizationId: location.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, roomId: room.id, status: "checked_in", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 100, createdAt: new Date() });
  // Arrange: its room is free on the floor (an earlier test may have left a patient in it, and
  // taking a patient into an occupied room is refused, rightly).
  await db.delete(roomStates).where(eq(roomStates.roomId, room.id));
  const name = `${patient.firstName} ${patient.lastName}`;

  const { context, page: tablet } = await installedTablet(browser);
  const item = tablet.getByRole("listitem").filter({ hasText: name });
  await expect(item).toBeVisible();
  await context.setOffline(true);
  await item.getByRole("button", { name: "To room" }).click();
  await expect(tablet.getByText("is saved on this tablet")).toBeVisible();

  // What IndexedDB holds is ciphertext and owners: no name, no appointment id, no field.
  const stored = await tablet.evaluate(async () => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const req = indexedDB.open("atrium-offline");
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const out: string[] = [];
    for (const store of Array.from(db.objectStoreNames)) {
      const all: unknown[] = await new Promise((resolve) => {
        const req = db.transaction(store).objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result);
      });
      for (const row of all as Record<string, unknown>[]) {
        for (const [k, v] of Object.entries(row)) out.push(`${k}=${v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? new TextDecoder().decode(v as ArrayBuffer) : String(v)}`);
      }
    }
    db.close();
    return out.join("\n");
  });
  expect(stored).toContain(`userId=${provider.id}`);
  for (const secret of [patient.lastName, patient.firstName, id, "in_room", "To room"]) expect(stored).not.toContain(secret);

  // The provider's session ends while the tablet is offline; the next person to pick it up sees nothing.
  await context.clearCookies();
  await tablet.reload();
  await expect(tablet.getByText(name, { exact: false })).toBeVisible(); // still within the owner's idle time
  await tablet.evaluate(() => localStorage.removeItem("atrium-offline-key")); // what sign-out or the idle timeout does
  await tablet.reload();
  await expect(tablet.getByText("The day kept on this tablet is locked")).toBeVisible();
  await expect(tablet.getByText(name, { exact: false })).toHaveCount(0);

  // Another provider signs in on the tablet: the first one's change is kept for them, not sent.
  await context.setOffline(false);
  await signIn(tablet, "provider3@lumen.example");
  await tablet.goto("/provider");
  await expect(tablet.getByText("1 change made offline on this tablet by someone else is kept for them")).toBeVisible();
  await tablet.waitForTimeout(500);
  expect((await db.select().from(appointments).where(eq(appointments.id, id)))[0].status).toBe("checked_in");
  await context.setOffline(true);
  await tablet.reload();
  await expect(tablet.getByText(name, { exact: false })).toHaveCount(0);
  await context.setOffline(false);

  // Signing out forgets the key; the owner signs back in and their change goes out, under their name.
  await tablet.goto("/provider");
  await tablet.getByRole("button", { name: "Sign out" }).first().click();
  await tablet.waitForURL(/\/login/);
  expect(await tablet.evaluate(() => localStorage.getItem("atrium-offline-key"))).toBeNull();
  await signIn(tablet, "provider@lumen.example");
  await tablet.goto("/provider");
  await expect(tablet.getByText(/Back online: 1 change made offline was sent/)).toBeVisible();
  const events = await db.select().from(appointmentEvents).where(eq(appointmentEvents.appointmentId, id));
  expect(events.filter((e) => e.toStatus === "in_room").map((e) => e.actorUserId)).toEqual([provider.id]);
  client.close();
  await context.close();
});
