import { eq, like } from "drizzle-orm";
import exifr from "exifr";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, encounterPhotos, encounters } from "../../db/schema";
import { Client, DEMO_PASSWORD, ORG_B, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";
import { ANSWERS, chartingHelpers } from "../helpers/charting";
import { cameraJpeg, photoForm } from "../helpers/camera-photo";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

const { visit, providerClient, openChart, consentsOnFile } = chartingHelpers(() => app);

/** The chart's photo form, as the browser posts it (multipart). */
function upload(client: Client, encounterId: string, photo: { bytes: Uint8Array; name: string; type: string } | null, fields: Record<string, string> = {}) {
  return client.request(`/charts/${encounterId}/photos`, { method: "POST", body: photoForm(photo, fields) });
}

const photosOf = (encounterId: string) => app.db.select().from(encounterPhotos).where(eq(encounterPhotos.encounterId, encounterId));

describe("clinical photos on a chart (issue 11)", () => {
  it("a camera photo with GPS EXIF is stored without it, with a small preview; a replay adds nothing; every read is audited without content", async () => {
    const { id: appointmentId, patient } = await visit(1);
    await consentsOnFile(patient.id);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    const original = await cameraJpeg();
    expect((await exifr.gps(Buffer.from(original)))?.latitude).toBeCloseTo(40.7536, 3);

    const clientId = crypto.randomUUID();
    const added = await upload(provider, encounterId, { bytes: original, name: "IMG_0412.JPG", type: "image/jpeg" }, { clientId, caption: "Relaxed, brows neutral" });
    expect(added.status).toBe(302);
    expect(added.headers.get("location")).toBe(`/charts/${encounterId}?saved=photo#photos`);
    // The same photo sent again (a lost answer, the tablet's outbox): still one.
    expect((await upload(provider, encounterId, { bytes: original, name: "IMG_0412.JPG", type: "image/jpeg" }, { clientId })).status).toBe(302);
    const rows = await photosOf(encounterId);
    expect(rows.map((r) => [r.stage, r.angle, r.caption, r.width, r.height, r.contentType])).toEqual([["before", "front", "Relaxed, brows neutral", 4000, 3000, "image/jpeg"]]);

    // Read back: no EXIF at all (no position, no device), the same picture, and a preview of 480 px.
    const full = await provider.get(`/charts/${encounterId}/photos/${rows[0].id}`);
    expect(full.status).toBe(200);
    expect(full.headers.get("cache-control")).toMatch(/no-store/);
    const stored = Buffer.from(await full.arrayBuffer());
    expect(await exifr.parse(stored, { gps: true, tiff: true, xmp: true, iptc: true })).toBeUndefined();
    // The device's whole name, not a fragment: four bytes like "iPad" turn up by chance in a few MB of
    // compressed noise (CI found it once), a 20-byte name never does.
    expect(stored.includes(Buffer.from("iPad Pro (12.9-inch)"))).toBe(false);
    expect(await sharp(stored).metadata()).toMatchObject({ format: "jpeg", width: 4000, height: 3000 });
    const thumb = await provider.get(`/charts/${encounterId}/photos/${rows[0].id}?size=thumb`);
    const preview = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect([preview.format, preview.width, preview.height, preview.exif]).toEqual(["jpeg", 480, 360, undefined]);

    // The chart shows it; the front desk never sees it; another organization doesn't know it exists.
    expect(await (await provider.get(`/charts/${encounterId}`)).text()).toMatch(/Before · Front/);
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    expect((await desk.get(`/charts/${encounterId}/photos/${rows[0].id}`)).status).toBe(403);
    const other = new Client(app.url);
    await other.signIn(`owner@${ORG_B}`);
    expect((await other.get(`/charts/${encounterId}/photos/${rows[0].id}`)).status).toBe(404);

    const events = await app.db.select().from(auditEvents).where(like(auditEvents.action, "encounter.photo%"));
    expect(events.map((e) => [e.action, e.entityId, e.outcome]).sort()).toEqual(
      [
        ["encounter.photo_add", rows[0].id, "allowed"],
        ["encounter.photo_preview_read", rows[0].id, "allowed"],
        ["encounter.photo_read", rows[0].id, "allowed"],
        ["encounter.photo_read", rows[0].id, "denied"],
      ].sort(),
    );
    const text = JSON.stringify(events);
    for (const secret of ["Relaxed", "iPad", "40.75", patient.lastName]) expect(text).not.toContain(secret);
  });

  it("refuses what isn't a photo, or is damaged, too large or mislabelled, with a message by its field; nothing is stored", async () => {
    const { id: appointmentId, patient } = await visit(2);
    await consentsOnFile(patient.id);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    const php = new TextEncoder().encode("<?php system($_GET['c']); ?>");
    const renamed = await upload(provider, encounterId, { bytes: php, name: "face.jpg", type: "image/jpeg" });
    expect(renamed.status).toBe(415);
    expect(await renamed.text()).toContain("That file is not a photo. Use a JPEG, PNG or WebP image.");
    const heic = new Uint8Array([0, 0, 0, 24, ...new TextEncoder().encode("ftypheic"), 0, 0, 0, 0, ...new TextEncoder().encode("mif1heic")]);
    const heicReply = await upload(provider, encounterId, { bytes: heic, name: "IMG_0001.HEIC", type: "image/heic" });
    expect(heicReply.status).toBe(415);
    expect(await heicReply.text()).toMatch(/HEIC photo/);
    const small = await cameraJpeg(640, 480);
    const truncated = await upload(provider, encounterId, { bytes: small.subarray(0, small.length / 2), name: "cut.jpg", type: "image/jpeg" });
    expect(truncated.status).toBe(400);
    expect(await truncated.text()).toContain("That photo is damaged or incomplete.");
    const badStage = await upload(provider, encounterId, { bytes: small, name: "a.jpg", type: "image/jpeg" }, { stage: "sideways" });
    expect(badStage.status).toBe(400);
    expect(await badStage.text()).toContain("Choose before, during or after.");
    const forgedId = await upload(provider, encounterId, { bytes: small, name: "a.jpg", type: "image/jpeg" }, { clientId: "../../etc/passwd" });
    expect(forgedId.status).toBe(400);
    const none = await upload(provider, encounterId, null);
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Choose or take a photo.");
    // Over 25 MB: refused before the body is read.
    const huge = await upload(provider, encounterId, { bytes: new Uint8Array(26 * 1024 * 1024), name: "big.jpg", type: "image/jpeg" });
    expect(huge.status).toBe(413);
    expect(await photosOf(encounterId)).toEqual([]);
    // WebP is a photo too.
    const webp = new Uint8Array(await sharp(Buffer.from(small)).webp().toBuffer());
    expect((await upload(provider, encounterId, { bytes: webp, name: "a.webp", type: "image/webp" })).status).toBe(302);
    expect((await photosOf(encounterId)).map((p) => p.contentType)).toEqual(["image/webp"]);
  });

  it("a signed chart keeps its photos: none added or removed, by the app or straight in the database", async () => {
    const { id: appointmentId, patient } = await visit(3);
    await consentsOnFile(patient.id);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    const small = await cameraJpeg(640, 480);
    expect((await upload(provider, encounterId, { bytes: small, name: "a.jpg", type: "image/jpeg" })).status).toBe(302);
    const [photo] = await photosOf(encounterId);
    expect((await provider.post(`/charts/${encounterId}`, { intent: "sign", password: DEMO_PASSWORD, revision: "1", ...ANSWERS })).status).toBe(302);
    expect((await app.db.select().from(encounters).where(eq(encounters.id, encounterId)))[0].status).toBe("signed");

    const late = await upload(provider, encounterId, { bytes: small, name: "b.jpg", type: "image/jpeg" }, { stage: "after" });
    expect(late.status).toBe(409);
    const removal = await provider.post(`/charts/${encounterId}/photos`, { intent: "remove", photoId: photo.id });
    expect(removal.status).toBe(409);
    await expect(app.client.execute({ sql: "delete from encounter_photos where id = ?", args: [photo.id] })).rejects.toThrow(/atrium_encounter_signed/);
    await expect(app.client.execute({ sql: "update encounter_photos set caption = 'x' where id = ?", args: [photo.id] })).rejects.toThrow(/atrium_encounter_signed/);
    await expect(app.client.execute({ sql: "insert into encounter_photos select 'copy', organization_id, encounter_id, patient_id, 'copy', stage, angle, caption, file_key, thumb_key, content_type, width, height, byte_size, taken_by, created_at from encounter_photos where id = ?", args: [photo.id] })).rejects.toThrow(/atrium_encounter_signed/);
    expect(await photosOf(encounterId)).toHaveLength(1);
  });

  it("photos are taken only with the patient's current clinical photography consent, which records how they may be used", async () => {
    const { id: appointmentId, patient } = await visit(4);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    const small = await cameraJpeg(640, 480);
    // No consent on file: refused by its field, nothing stored; the chart offers no camera.
    const refused = await upload(provider, encounterId, { bytes: small, name: "a.jpg", type: "image/jpeg" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toMatch(/clinical photography consent/);
    expect(await photosOf(encounterId)).toHaveLength(0);
    let page = await (await provider.get(`/charts/${encounterId}`)).text();
    expect(page).toContain("Photos need the patient&#x27;s clinical photography consent");
    expect(page).not.toContain('name="photo"');
    // One on file from 25 months ago (the form lasts 24): still refused.
    const { patientConsents } = await import("../../db/schema");
    const org = patient.organizationId;
    const old = new Date();
    old.setUTCMonth(old.getUTCMonth() - 25);
    await app.db.insert(patientConsents).values({ id: crypto.randomUUID(), organizationId: org, patientId: patient.id, templateId: `consent-photography-${org}`, versionId: `consent-photography-${org}-v1`, textSha256: "x".repeat(64), signerName: "Old Signature", signerRole: "patient", method: "typed", device: "test", signedAt: old, clientId: crypto.randomUUID(), photoUse: "clinical" }).catch(async () => {
      // The database checks a signature's hash against its version: take the real one.
      const { consentTemplateVersions } = await import("../../db/schema");
      const [v] = await app.db.select().from(consentTemplateVersions).where(eq(consentTemplateVersions.id, `consent-photography-${org}-v1`));
      await app.db.insert(patientConsents).values({ id: crypto.randomUUID(), organizationId: org, patientId: patient.id, templateId: v.templateId, versionId: v.id, textSha256: v.textSha256, signerName: "Old Signature", signerRole: "patient", method: "typed", device: "test", signedAt: old, clientId: crypto.randomUUID(), photoUse: "clinical" });
    });
    expect((await upload(provider, encounterId, { bytes: small, name: "a.jpg", type: "image/jpeg" })).status).toBe(409);
    // The patient signs it on the tablet, agreeing to teaching and marketing use too: photos can be taken, and the chart says so.
    const signed = await provider.post(`/charts/${encounterId}/consents/consent-photography-${org}`, { clientId: crypto.randomUUID(), versionId: `consent-photography-${org}-v1`, signerName: `${patient.firstName} ${patient.lastName}`, signerRole: "patient", method: "typed", agree: "on", photoUse: "marketing" });
    expect(signed.status).toBe(302);
    const [latest] = (await app.db.select().from(patientConsents).where(eq(patientConsents.patientId, patient.id))).sort((a, b) => b.signedAt.getTime() - a.signedAt.getTime());
    expect(latest.photoUse).toBe("marketing");
    expect((await upload(provider, encounterId, { bytes: small, name: "a.jpg", type: "image/jpeg" })).status).toBe(302);
    page = await (await provider.get(`/charts/${encounterId}`)).text();
    expect(page).toContain("Clinical record, teaching and marketing");
    // A choice that isn't one of the two: refused by its field.
    const bad = await provider.post(`/charts/${encounterId}/consents/consent-photography-${org}`, { clientId: crypto.randomUUID(), versionId: `consent-photography-${org}-v1`, signerName: "Pat Quinn", signerRole: "patient", method: "typed", agree: "on", photoUse: "billboards" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choose how the photographs may be used.");
  });
});
