import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

const installsStaffApp = (html: string) => ["atrium-service-worker", "manifest.webmanifest", "apple-touch-startup-image"].filter((marker) => html.includes(marker));

describe("the staff app's service worker (issue 14)", () => {
  it("is not on the public booking page nor in the patient portal, only on staff pages", async () => {
    const visitor = new Client(app.url);
    const booking = await visitor.get("/book/lumen");
    expect(booking.status).toBe(200);
    expect(installsStaffApp(await booking.text())).toEqual([]);
    expect(installsStaffApp(await (await visitor.get("/login")).text())).toEqual([]);

    const patient = new Client(app.url);
    await patient.signIn(ROLE_EMAILS.patient);
    const portal = await patient.get("/portal");
    expect(portal.status).toBe(200);
    expect(installsStaffApp(await portal.text())).toEqual([]);

    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const today = await desk.get("/today");
    expect(today.status).toBe(200);
    const html = await today.text();
    expect(installsStaffApp(html)).toEqual(["atrium-service-worker", "manifest.webmanifest", "apple-touch-startup-image"]);
    // Navigation icons are SVG (a font glyph for Waitlist showed as an empty box).
    expect(html).toContain("lucide-hourglass");
    expect(html).not.toContain("⧗");
  });
});
