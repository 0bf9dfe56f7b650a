import { readFileSync, writeFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { appointments, auditEvents, deviceMutations, encounterPhotos, encounterPoints, encounters, locations, patientConsents, patients, services, users } from "../../db/schema";
import { addVisit, e2eDb, expectAccessible, signIn, todaySlot } from "./fixtures";
import { arrangeConsentsOnFile } from "../helpers/consents-on-file";

const TABLET = { width: 768, height: 1024 };

async function neurotoxinVisit(daysAgo: number, patientOffset = 3) {
  const { client, db } = e2eDb();
  const [location] = await db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const [provider] = await db.select().from(users).where(eq(users.email, "provider@lumen.example"));
  const [service] = await db.select().from(services).where(and(eq(services.organizationId, location.organizationId), eq(services.name, "Neurotoxin (Botox, Dysport)")));
  const [patient] = await db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1).offset(patientOffset);
  const id = crypto.randomUUID();
  const start = new Date(Math.floor(Date.now() / 86_400_000 - daysAgo) * 86_400_000 + 8 * 3_600_000);
  const end = new Date(start.getTime() + 30 * 60_000);
  await addVisit(db, { id, organizationId: location.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, roomId: null, status: "in_room", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 45_000, createdAt: new Date() });
  client.close();
  return id;
}

async function onServer(appointmentId: string) {
  const { client, db } = e2eDb();
  const [encounter] = await db.select().from(encounters).where(eq(encounters.appointmentId, appointmentId));
  const points = await db.select().from(encounterPoints).where(eq(encounterPoints.encounterId, encounter.id));
  const photos = await db.select().from(encounterPhotos).where(eq(encounterPhotos.encounterId, encounter.id));
  const mutations = await db.select().from(deviceMutations).where(eq(deviceMutations.userId, encounter.providerId));
  client.close();
  return { encounter, points, photos, mutations };
}

async function tapFace(page: Page, x: number, y: number) {
  const svg = page.getByRole("img", { name: /Face chart, front view/ });
  await svg.evaluate((el) => el.scrollIntoView({ block: "start" }));
  const box = (await svg.boundingBox())!;
  await page.mouse.click(box.x + (x / 1000) * box.width, box.y + (y / 1000) * box.height);
}

/** The provider's tablet with the service worker in control, on the visit's chart (opened online). */
async function tabletOnChart(browser: import("@playwright/test").Browser, visit: string, chartUrl?: string) {
  const context = await browser.newContext({ viewport: TABLET, hasTouch: true });
  const page = await context.newPage();
  await signIn(page, "provider@lumen.example");
  await page.goto("/provider");
  // The tablet asked to keep its data, and says whether it may; its service worker is in control.
  await expect(page.locator("[data-storage]")).toBeVisible();
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  if (chartUrl) await page.goto(chartUrl);
  else {
    await page.goto(`/appointments/${visit}`);
    await page.getByRole("button", { name: /Start chart for/ }).click();
    await page.waitForURL(/\/charts\//);
  }
  await expect(page.getByRole("button", { name: "Front" })).toBeVisible();
  // The page's scripts are running (taps place points): the chart has asked its tablet to keep the chart shell (ADR 030).
  await expect.poll(() => page.evaluate(() => caches.has("atrium-chart-shell"))).toBe(true);
  return { context, page };
}

const photo = (shade: number) => sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: shade, g: 120, b: 140 } } }).jpeg().toBuffer();

test("offline, a provider charts 20 points and 2 photos, reloads, and back online exactly those reach the server once", async ({ browser }) => {
  const visit = await neurotoxinVisit(30);
  {
    // Photos are taken with the patient's clinical photography consent on file.
    const { client, db } = e2eDb();
    const [row] = await db.select({ patientId: appointments.patientId }).from(appointments).where(eq(appointments.id, visit));
    await arrangeConsentsOnFile(db, row.patientId);
    client.close();
  }
  const started = Date.now();
  const { context, page } = await tabletOnChart(browser, visit);

  await context.setOffline(true);
  for (let i = 0; i < 20; i++) await tapFace(page, 380 + (i % 5) * 60, 150 + Math.floor(i / 5) * 40);
  await expect(page.getByRole("list", { name: "Points" }).getByText("Point 20:")).toBeVisible();
  await page.getByLabel("Amount (units)").first().fill("2");
  for (let i = 1; i < 20; i++) await page.getByLabel("Amount (units)").nth(i).fill("2");
  await page.getByRole("group", { name: /Consent reviewed/ }).getByLabel("Yes").check();
  await page.getByRole("group", { name: /Pregnant or breastfeeding/ }).getByLabel("No").check();
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByTestId("outbox-status")).toContainText("1 change not synced yet");
  await expect(page.getByTestId("outbox-status")).toContainText("It will be sent when the connection is back");

  for (const [i, shade] of [[1, 40], [2, 200]] as const) {
    await page.getByLabel("Photo", { exact: true }).setInputFiles({ name: `IMG_000${i}.JPG`, mimeType: "image/jpeg", buffer: await photo(shade) });
    await page.getByRole("button", { name: /Add photo/ }).click();
    await expect(page.getByTestId("outbox-status")).toContainText(`${1 + i} changes not synced yet`);
  }
  await expect(page.getByRole("list", { name: "Photos waiting to upload" }).getByRole("listitem")).toHaveCount(2);
  await expectAccessible(page);
  expect((await onServer(visit)).points).toHaveLength(0);

  // Reloaded with no network: the chart opens in the editor from the tablet (the service worker's
  // chart shell, ADR 030), with the 20 points, the 2 photos waiting and the 3 changes not yet sent.
  await page.reload();
  await expect(page.getByText(/the chart as this tablet kept it/)).toBeVisible();
  await expect(page.getByRole("list", { name: "Points" }).getByText("Point 20:")).toBeVisible();
  await expect(page.getByRole("list", { name: "Photos waiting to upload" }).getByRole("listitem")).toHaveCount(2);
  await expect(page.getByTestId("outbox-status")).toContainText("3 changes not synced yet");
  await expectAccessible(page);

  // A cold start elsewhere with no network: the offline page lists the chart; it opens in the editor.
  const chartPath = new URL(page.url()).pathname;
  await page.goto("/provider").catch(() => undefined);
  await expect(page.getByRole("heading", { name: "You're offline" })).toBeVisible();
  await expect(page.getByText(/3 changes will be sent when the connection is back/)).toBeVisible();
  await page.getByRole("link", { name: /draft saved on this tablet/ }).click();
  await page.waitForURL(`**${chartPath}`);
  await expect(page.getByRole("list", { name: "Points" }).getByText("Point 20:")).toBeVisible();

  // The tablet's list of kept charts, opened cold with no network: the chart opens from it too.
  await page.goto("/charts/kept");
  await expect(page.getByRole("heading", { name: "Charts on this tablet" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Draft on this tablet/ }).first()).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: /Draft on this tablet/ }).first().click();
  await page.waitForURL(`**${chartPath}`);
  await expect(page.getByRole("list", { name: "Points" }).getByText("Point 20:")).toBeVisible();

  // Back online: the chart sends the queue in order, once.
  await context.setOffline(false);
  await expect(page.getByTestId("outbox-status")).toContainText("Everything on this tablet is synced", { timeout: 15_000 });
  // …and the chart is the server's again.
  await expect(page.getByText(/the chart as this tablet kept it/)).toHaveCount(0);
  await expect.poll(async () => (await onServer(visit)).photos.length, { timeout: 10_000 }).toBe(2);
  const server = await onServer(visit);
  expect(server.points).toHaveLength(20);
  expect(server.points.every((p) => p.amount === 200)).toBe(true);
  // Three changes from this tablet, each applied once, in order.
  const mine = server.mutations.filter((m) => m.createdAt.getTime() >= started).sort((a, b) => a.seq - b.seq);
  expect(new Set(mine.map((m) => m.deviceId)).size).toBe(1);
  expect(mine.map((m) => m.status)).toEqual([200, 200, 200]);
  expect(mine.map((m) => m.seq - mine[0].seq)).toEqual([0, 1, 2]);
  await page.reload();
  await expect(page.getByRole("list", { name: "Photos taken" }).getByRole("listitem")).toHaveCount(2);
  await expect(page.getByTestId("outbox-status")).toHaveCount(0);
  await context.close();
});

test("the same draft changed on two tablets: the second is offered both versions to choose from, nothing dropped", async ({ browser }) => {
  const visit = await neurotoxinVisit(31);
  const first = await tabletOnChart(browser, visit);
  const second = await tabletOnChart(browser, visit, first.page.url());
  await second.context.setOffline(true);
  await tapFace(second.page, 500, 305);
  await second.page.getByLabel("Amount (units)").first().fill("16");
  await second.page.getByRole("button", { name: "Save draft" }).click();
  await expect(second.page.getByTestId("outbox-status")).toContainText("1 change not synced yet");

  // Meanwhile the first tablet saves its own version online.
  await tapFace(first.page, 500, 305);
  await first.page.getByLabel("Amount (units)").first().fill("12");
  await first.page.getByRole("button", { name: "Save draft" }).click();
  await expect(first.page.getByText("Draft saved.")).toBeVisible();

  // Back online, the second tablet sends its save by itself: the server has another version.
  await second.context.setOffline(false);
  await expect(second.page.getByRole("heading", { name: "Choose what to keep" })).toBeVisible({ timeout: 15_000 });
  await expect(second.page.getByText(/Yours \(1\)/)).toBeVisible();
  await second.page.getByLabel(/Yours \(1\)/).check();
  await second.page.getByRole("button", { name: "Keep these and save" }).click();
  await expect(second.page.getByText("Chart saved with the versions you chose.")).toBeVisible();
  const server = await onServer(visit);
  expect(server.points.map((p) => p.amount)).toEqual([1600]);
  await first.context.close();
  await second.context.close();
});

test("signed offline with the PIN, kept through a sign-out unreadable to the next user, applied once when its provider is back", async ({ browser }) => {
  const visit = await neurotoxinVisit(32);
  {
    // The consents the service needs are on file (consent signing has its own test).
    const { client, db } = e2eDb();
    const [row] = await db.select({ patientId: appointments.patientId }).from(appointments).where(eq(appointments.id, visit));
    await arrangeConsentsOnFile(db, row.patientId);
    client.close();
  }
  const { context, page } = await tabletOnChart(browser, visit);
  const chartUrl = page.url();
  // The provider sets a signing PIN, then opens the chart once online so the tablet can check it.
  await page.goto("/account/signing-pin");
  await expectAccessible(page);
  await page.getByLabel("New PIN (six digits)").fill("482913");
  await page.getByLabel("The same PIN again").fill("482913");
  await page.getByLabel("Your password").fill("atrium-demo-password");
  await page.getByRole("button", { name: "Set signing PIN" }).click();
  await expect(page.getByText("Signing PIN saved.")).toBeVisible();
  await page.goto(chartUrl);
  await expect(page.getByRole("button", { name: "Front" })).toBeVisible();

  // The chart can't reach Atrium (the Wi-Fi is up, the internet isn't): changes stay on the tablet.
  await context.route(/\/charts\/(sync|[^/]+\/sync)$/, (route) => route.abort("internetdisconnected"));
  await context.setOffline(true);
  await tapFace(page, 500, 305);
  await page.getByLabel("Amount (units)").first().fill("18");
  await page.getByRole("group", { name: /Consent reviewed/ }).getByLabel("Yes").check();
  await page.getByRole("group", { name: /Pregnant or breastfeeding/ }).getByLabel("No").check();
  await page.getByLabel("Signing PIN").fill("111112");
  await page.getByRole("button", { name: "Sign chart" }).click();
  await expect(page.getByText("That signing PIN is not right.")).toBeVisible();
  await page.getByLabel("Signing PIN").fill("482913");
  await page.getByRole("button", { name: "Sign chart" }).click();
  await expect(page.getByText(/Signed on this tablet/)).toBeVisible();
  await expect(page.getByTestId("outbox-status")).toContainText("1 change not synced yet");
  await context.setOffline(false);

  // The provider signs out with the change still queued; the next person sees nothing of the patient.
  const { client, db } = e2eDb();
  const [patient] = await db.select({ lastName: patients.lastName }).from(patients).innerJoin(appointments, eq(appointments.patientId, patients.id)).where(eq(appointments.id, visit));
  await page.goto("/provider");
  // The chart shell (ADR 030) was kept for this provider when the chart opened online…
  await expect.poll(() => page.evaluate(() => caches.has("atrium-chart-shell"))).toBe(true);
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await page.waitForURL(/\/login/);
  // …and goes with the sign-out: it names them.
  expect(await page.evaluate(() => caches.has("atrium-chart-shell"))).toBe(false);
  const stored = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open("atrium-offline");
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const text: string[] = [];
    for (const name of ["changes", "charts"]) {
      const all = await new Promise<unknown[]>((resolve) => {
        const req = db.transaction(name).objectStore(name).getAll();
        req.onsuccess = () => resolve(req.result);
      });
      for (const row of all as Record<string, unknown>[]) text.push(JSON.stringify(row), new TextDecoder().decode((row.data as ArrayBuffer) ?? new ArrayBuffer(0)));
    }
    return { text: text.join("\n"), changes: text.length };
  });
  expect(stored.changes).toBeGreaterThan(0);
  for (const secret of [patient.lastName, "482913", "Glabella", "glabella"]) expect(stored.text).not.toContain(secret);
  await signIn(page, "provider3@lumen.example");
  await page.goto("/provider");
  await expect(page.getByText(/kept for them/)).toBeVisible();
  await expect(page.getByText(patient.lastName)).toHaveCount(0);
  expect((await onServer(visit)).encounter.status).toBe("draft");
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await page.waitForURL(/\/login/);

  // Atrium is reachable again and the provider signs back in: the signature is applied, once.
  await context.unroute(/\/charts\/(sync|[^/]+\/sync)$/);
  await signIn(page, "provider@lumen.example");
  await page.goto("/provider");
  await expect(page.getByText(/Back online: 1 change made offline was sent/)).toBeVisible();
  const server = await onServer(visit);
  expect([server.encounter.status, server.encounter.signatureMethod]).toEqual(["signed", "pin"]);
  expect(server.points.map((p) => p.amount)).toEqual([1800]);
  client.close();
  await page.goto(chartUrl);
  await expect(page.getByText(/Signed by/)).toBeVisible();
  await context.close();
});

test("offline, the patient signs both consents on the tablet and the provider signs with the PIN: applied once, in order, when back online", async ({ browser, baseURL }) => {
  // A patient no other test gives consents to.
  const visit = await neurotoxinVisit(35, 13);
  const { context, page } = await tabletOnChart(browser, visit);
  const pin = await page.request.post("/account/signing-pin", { form: { pin: "482913", confirm: "482913", password: "atrium-demo-password" }, headers: { origin: baseURL! }, maxRedirects: 0 });
  expect(pin.status()).toBeLessThan(400);
  // Opened again online: the tablet keeps the chart with the consents' text and the PIN's check value.
  const reloaded = Date.now();
  await page.reload();
  await expect(page.getByRole("link", { name: /Have the patient sign the clinical photography consent/ })).toBeVisible();
  await expect.poll(() => page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve) => Object.assign(indexedDB.open("atrium-offline"), { onsuccess(this: IDBOpenDBRequest) { resolve(this.result); } }));
    const rows = await new Promise<{ savedAt: number }[]>((resolve) => Object.assign(db.transaction("charts").objectStore("charts").getAll(), { onsuccess(this: IDBRequest) { resolve(this.result as { savedAt: number }[]); } }));
    return Math.max(0, ...rows.map((r) => r.savedAt));
  })).toBeGreaterThanOrEqual(reloaded);

  await context.setOffline(true);
  await tapFace(page, 500, 305);
  await page.getByLabel("Amount (units)").first().fill("12");
  await page.getByRole("group", { name: /Consent reviewed/ }).getByLabel("Yes").check();
  await page.getByRole("group", { name: /Pregnant or breastfeeding/ }).getByLabel("No").check();
  for (const form of ["clinical photography consent", "neurotoxin treatment consent"]) {
    await page.getByRole("button", { name: `Have the patient sign the ${form} on this tablet` }).click();
    const panel = page.getByRole("region", { name: new RegExp(form, "i") });
    await expect(panel.getByText(/kept on this tablet/)).toBeVisible();
    const pad = panel.getByLabel(/Signature box/);
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.7);
    await page.mouse.down();
    for (const [fx, fy] of [[0.25, 0.3], [0.4, 0.75], [0.55, 0.35], [0.7, 0.6]]) await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy, { steps: 5 });
    await page.mouse.up();
    await panel.getByLabel(/I have read this consent/).check();
    await panel.getByRole("button", { name: "Sign consent" }).click();
    await expect(page.getByRole("region", { name: "Before signing" }).getByRole("listitem").filter({ hasText: new RegExp(form, "i") })).toContainText("Signed on this tablet");
  }
  await expectAccessible(page);
  await page.getByLabel("Signing PIN").fill("482913");
  await page.getByRole("button", { name: "Sign chart" }).click();
  await expect(page.getByTestId("outbox-status")).toContainText("3 changes not synced yet");
  expect((await onServer(visit)).encounter.status).toBe("draft");

  // Back online: the two consents, then the signature that needs them, each once.
  await context.setOffline(false);
  await expect(page.getByText(/Signed by/)).toBeVisible({ timeout: 15_000 });
  const server = await onServer(visit);
  expect([server.encounter.status, server.encounter.signatureMethod]).toEqual(["signed", "pin"]);
  const { client, db } = e2eDb();
  const consents = await db.select().from(patientConsents).where(eq(patientConsents.appointmentId, visit));
  client.close();
  expect(consents.map((c) => [c.method, /\(signed offline\)/.test(c.device ?? "")])).toEqual([["drawn", true], ["drawn", true]]);
  expect(consents.every((c) => c.signedAt.getTime() < server.encounter.signedAt!.getTime())).toBe(true);
  await context.close();
});

test("a chart never opened on this tablet: My day keeps today's charts, and one is charted with no connection from a cold start", async ({ browser }) => {
  const { client, db } = e2eDb();
  const [location] = await db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
  const [provider] = await db.select().from(users).where(eq(users.email, "provider3@lumen.example"));
  const [service] = await db.select().from(services).where(and(eq(services.organizationId, location.organizationId), eq(services.name, "Neurotoxin (Botox, Dysport)")));
  const [patient] = await db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1).offset(17);
  const visit = crypto.randomUUID();
  const { start, end } = todaySlot(-20, 30);
  await addVisit(db, { id: visit, organizationId: location.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, roomId: null, status: "in_room", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 45_000, createdAt: new Date() });
  client.close();
  const name = `${patient.firstName} ${patient.lastName}`;

  const context = await browser.newContext({ viewport: TABLET, hasTouch: true });
  const page = await context.newPage();
  await signIn(page, "provider3@lumen.example");
  await page.goto("/provider");
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  await page.reload();
  await expect(page.getByRole("listitem").filter({ hasText: name }).getByRole("button", { name: /Start chart for/ })).toBeVisible();
  await page.getByRole("button", { name: "Keep today's charts on this tablet" }).click();
  await expect(page.getByText(/(\d+) of \1 charts kept on this tablet\. They open here with no connection\./)).toBeVisible({ timeout: 20_000 });
  await expectAccessible(page);
  const { encounter } = await onServer(visit);
  expect(encounter.status).toBe("draft");

  // The Wi-Fi drops and the tablet starts cold: the chart opens from the tablet and is charted.
  await context.setOffline(true);
  await page.goto("/charts/kept");
  await page.getByRole("link", { name: new RegExp(name) }).click();
  await page.waitForURL(`**/charts/${encounter.id}`);
  await expect(page.getByText(/the chart as this tablet kept it/)).toBeVisible();
  await tapFace(page, 500, 305);
  await page.getByLabel("Amount (units)").first().fill("14");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByTestId("outbox-status")).toContainText("1 change not synced yet");

  await context.setOffline(false);
  await expect(page.getByTestId("outbox-status")).toContainText("Everything on this tablet is synced", { timeout: 15_000 });
  expect((await onServer(visit)).points.map((p) => p.amount)).toEqual([1400]);
  await context.close();
});

const SYNC = /\/charts\/(sync|[^/]+\/sync)$/;
const savesOf = async (encounterId: string) => {
  const { client, db } = e2eDb();
  const rows = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "encounter.save"), eq(auditEvents.entityId, encounterId)));
  client.close();
  return rows.length;
};

test("the answer to a save is lost on the way back: sent again, it is one record; without Background Sync the queue goes when the page is visible", async ({ browser }) => {
  const visit = await neurotoxinVisit(33);
  const { context, page } = await tabletOnChart(browser, visit);
  // A browser without Background Sync (Safari, Firefox): Chromium's would send the queue itself.
  await page.addInitScript(() => Object.defineProperty(ServiceWorkerRegistration.prototype, "sync", { get: () => undefined }));
  await page.reload();
  await expect(page.getByRole("button", { name: "Front" })).toBeVisible();
  // The save reaches Atrium, but its answer never reaches the tablet.
  let dropped = 0;
  await context.route(SYNC, async (route) => {
    await route.fetch();
    dropped++;
    await route.abort("failed");
  });
  await tapFace(page, 500, 305);
  await page.getByLabel("Amount (units)").first().fill("14");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect.poll(() => dropped).toBe(1);
  await expect(page.getByTestId("outbox-status")).toContainText("It will be sent when the connection is back");
  await expect(page.getByTestId("outbox-status")).toContainText("1 change not synced yet");
  const { encounter } = await onServer(visit);
  expect(await savesOf(encounter.id)).toBe(1);

  // Atrium answers again; no "online" event comes (the browser never went offline), no Background
  // Sync here: the tablet sends the queue when the page becomes visible again (the provider comes back to it).
  await context.unroute(SYNC);
  const hidden = Date.now();
  await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
  await expect(page.getByTestId("outbox-status")).toContainText("Draft saved", { timeout: 5_000 });
  expect(Date.now() - hidden).toBeLessThan(5_000);
  expect(await savesOf(encounter.id)).toBe(1);
  expect((await onServer(visit)).points.map((p) => p.amount)).toEqual([1400]);
  await context.close();
});

test("a new service worker version takes over without losing the queue", async ({ browser }) => {
  const visit = await neurotoxinVisit(34);
  const { context, page } = await tabletOnChart(browser, visit);
  await context.setOffline(true);
  await tapFace(page, 500, 170);
  await page.getByLabel("Amount (units)").first().fill("10");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByTestId("outbox-status")).toContainText("1 change not synced yet");
  // Hold the queue on the tablet while the new version arrives (blocked before the connection returns).
  await context.route(SYNC, (route) => route.abort("internetdisconnected"));
  await context.setOffline(false);
  const keptAt = () => page.evaluate(async () => (await caches.match("/charts/kept", { cacheName: "atrium-chart-shell" }))?.headers.get("x-atrium-kept-at") ?? null);
  const shellBefore = await keptAt();
  expect(shellBefore).not.toBeNull();
  const file = `${process.cwd()}/build/node/client/sw.js`;
  const original = readFileSync(file, "utf8");
  writeFileSync(file, `${original}\n// next version ${Date.now()}\n`);
  try {
    await page.evaluate(async () => void (await (await navigator.serviceWorker.getRegistration())!.update()));
    const prompt = page.getByRole("button", { name: "Reload to update" });
    await expect(prompt).toBeVisible({ timeout: 15_000 });
    // The page reloads into the new version: what follows is read from that page, not the old one.
    const reloaded = page.waitForEvent("load");
    await prompt.click();
    await reloaded;
    await expect(page.getByRole("button", { name: "Save draft" })).toBeVisible();
    await expect(page.getByTestId("outbox-status")).toContainText("1 change not synced yet");
    // The new version dropped the old chart shell (its scripts are gone) and the chart kept a new one.
    // (Read again until it changes: the page may still be reloading into the new version as it is read.)
    await expect.poll(async () => (await keptAt().catch(() => null)) ?? shellBefore).not.toBe(shellBefore);
    await context.unroute(SYNC);
    await page.getByRole("button", { name: "Sync now" }).click();
    await expect(page.getByTestId("outbox-status")).toContainText("Draft saved");
    expect((await onServer(visit)).points.map((p) => p.amount)).toEqual([1000]);
  } finally {
    writeFileSync(file, original);
    // Closing a context whose service worker just took over sometimes never returns in Chromium
    // (puppeteer/puppeteer#11627; seen here twice, after every assertion had passed): the worker is
    // let go first, and the close is not waited on past 10 s.
    await page.evaluate(async () => Promise.all((await navigator.serviceWorker.getRegistrations()).map((r) => r.unregister()))).catch(() => undefined);
    await Promise.race([context.close(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
});
