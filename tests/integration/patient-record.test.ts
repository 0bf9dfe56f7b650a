import { and, eq, inArray, like } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appointments, auditEvents, locations, messages, organizations, patientNotes, patients, services, users } from "../../db/schema";
import { Client, ORG_B, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

async function lumen() {
  const [org] = await app.db.select().from(organizations).where(eq(organizations.slug, "lumen"));
  return org;
}

async function newPatient(fields: Partial<typeof patients.$inferInsert> = {}) {
  const org = await lumen();
  const id = crypto.randomUUID();
  await app.db.insert(patients).values({ id, organizationId: org.id, firstName: "Marisol", lastName: "Quintero", dateOfBirth: "1986-04-12", phone: "(212) 555-0199", email: `marisol.${id.slice(0, 6)}@example.com`, smsConsent: true, emailConsent: false, createdAt: new Date(), ...fields });
  return id;
}

const details = (overrides: Record<string, string> = {}) => ({ intent: "details", firstName: "Marisol", lastName: "Quintero", dateOfBirth: "1986-04-12", phone: "(212) 555-0199", smsConsent: "on", preferredName: "Mari", pronouns: "she/her", city: "Brooklyn", emergencyName: "Luis Quintero", emergencyRelationship: "Brother", emergencyPhone: "212 555 0100", ...overrides });

describe("the patient record (issue 10)", () => {
  it("shows age, preferred name, pronouns and alerts in the header; the desk edits details and lists; bad input changes nothing", async () => {
    const id = await newPatient();
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    expect((await desk.post(`/patients/${id}/details`, details())).status).toBe(200);
    expect((await desk.post(`/patients/${id}/details`, { intent: "add-item", kind: "allergy", name: "Lidocaine", detail: "Hives", severity: "severe" })).status).toBe(200);
    expect((await desk.post(`/patients/${id}/details`, { intent: "add-item", kind: "condition", name: "Pregnant", alert: "on" })).status).toBe(200);
    expect((await desk.post(`/patients/${id}/details`, { intent: "add-item", kind: "medication", name: "Isotretinoin", detail: "20 mg daily" })).status).toBe(200);
    expect((await desk.post(`/patients/${id}/notes`, { intent: "add", body: "Numbing cream 30 min before.", pinned: "on" })).status).toBe(200);
    const html = await (await desk.get(`/patients/${id}`)).text();
    const age = new Date().getUTCFullYear() - 1986 - (new Date().toISOString().slice(5, 10) < "04-12" ? 1 : 0);
    expect(html).toContain("Marisol Quintero");
    expect(html).toContain("“Mari”");
    expect(html).toMatch(new RegExp(`${age} years · born Apr 12, 1986 · she/her`));
    expect(html).toContain("Allergy: Lidocaine (severe) — Hives");
    expect(html).toContain("Pregnant");
    expect(html).toContain("Numbing cream 30 min before.");
    // A medication not flagged stays in its list, out of the header.
    expect(html).not.toContain("Isotretinoin");
    expect(await (await desk.get(`/patients/${id}/details`)).text()).toContain("Isotretinoin");
    const [saved] = await app.db.select().from(patients).where(eq(patients.id, id));
    expect(saved).toMatchObject({ preferredName: "Mari", pronouns: "she/her", city: "Brooklyn", emergencyName: "Luis Quintero", emailConsent: false, smsConsent: true });

    // An impossible date, a hostile name, an unknown option: 400 with plain words, nothing written.
    const bad = await desk.post(`/patients/${id}/details`, details({ dateOfBirth: "2026-02-30", firstName: "<script>", sexAtBirth: "robot" }));
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain("Enter a real date of birth in the past.");
    expect(badHtml).toContain("Use letters, spaces, apostrophes and hyphens for the first name.");
    expect(badHtml).toContain("Choose one of the listed options.");
    expect((await app.db.select().from(patients).where(eq(patients.id, id)))[0].firstName).toBe("Marisol");

    // Reads and writes are audited, never with their content.
    const events = await app.db.select().from(auditEvents).where(eq(auditEvents.entityId, id));
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["patient.update", "patient.health_item_add", "patient.note_add", "patient.read"]));
    expect(JSON.stringify(events)).not.toContain("Lidocaine");

    // The medical director reads the record but cannot change it; another clinic never sees it.
    const md = new Client(app.url);
    await md.signIn(ROLE_EMAILS.medical_director);
    expect((await md.get(`/patients/${id}/details`)).status).toBe(200);
    expect((await md.post(`/patients/${id}/details`, details({ city: "Queens" }))).status).toBe(403);
    const other = new Client(app.url);
    await other.signIn(`owner@${ORG_B}`);
    expect((await other.get(`/patients/${id}`)).status).toBe(404);
    expect((await other.post(`/patients/${id}/details`, details({ city: "Queens" }))).status).toBe(404);
    expect((await app.db.select().from(patients).where(eq(patients.id, id)))[0].city).toBe("Brooklyn");
  });

  it("keeps staff notes with their authors, pinned first", async () => {
    const id = await newPatient();
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    await desk.post(`/patients/${id}/notes`, { intent: "add", body: "First note" });
    await desk.post(`/patients/${id}/notes`, { intent: "add", body: "Second note" });
    const [first] = await app.db.select().from(patientNotes).where(and(eq(patientNotes.patientId, id), eq(patientNotes.body, "First note")));
    expect((await desk.post(`/patients/${id}/notes`, { intent: "pin", noteId: first.id })).status).toBe(200);
    const html = await (await desk.get(`/patients/${id}/notes`)).text();
    const [deskUser] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.front_desk));
    expect(html).toContain(deskUser.name);
    expect(html.indexOf("First note")).toBeLessThan(html.indexOf("Second note"));
    expect((await desk.post(`/patients/${id}/notes`, { intent: "add", body: "   " })).status).toBe(400);
    expect((await desk.post(`/patients/${id}/notes`, { intent: "pin", noteId: "nope" })).status).toBe(404);
  });

  it("writes to the patient through the outbox on a channel they agreed to, and lists what was sent without its links", async () => {
    const id = await newPatient();
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    expect((await desk.post(`/patients/${id}/messages`, { channel: "sms", body: "Your product has arrived." })).status).toBe(200);
    const email = await desk.post(`/patients/${id}/messages`, { channel: "email", body: "Hello" });
    expect(email.status).toBe(422);
    expect(await email.text()).toContain("hasn’t agreed to email".replace("’", "'"));
    const sent = await app.db.select().from(messages).where(eq(messages.patientId, id));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: "sms", toAddress: "(212) 555-0199", kind: "staff_message" });
    // An automatic message about a visit carries a link: the tab names it, never shows its body.
    const org = await lumen();
    await app.db.insert(messages).values({ id: crypto.randomUUID(), organizationId: org.id, patientId: id, kind: "confirmation", channel: "sms", toAddress: "(212) 555-0199", subject: "Your visit is booked", body: "Booked. Manage: https://example.test/secret-link", nextAttemptAt: new Date(), createdAt: new Date() });
    const html = await (await desk.get(`/patients/${id}/messages`)).text();
    expect(html).toContain("Your product has arrived.");
    expect(html).toContain("Booking confirmation");
    expect(html).not.toContain("secret-link");
  });

  it("finds patients as you type by phone and date of birth, and remembers the ones opened lately", async () => {
    const a = await newPatient({ firstName: "Odalys", lastName: "Verhoeven", phone: "(917) 555-3141", dateOfBirth: "1979-11-03" });
    const b = await newPatient({ firstName: "Ptolemy", lastName: "Wrenfield", phone: null, dateOfBirth: "1990-01-20" });
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const byPhone = (await (await desk.post("/resources/patient-search", { q: "5553141" })).text());
    expect(byPhone).toContain("Verhoeven");
    const byBirthday = await (await desk.post("/resources/patient-search", { q: "1/20/1990" })).text();
    expect(byBirthday).toContain("Wrenfield");
    await desk.get(`/patients/${a}`);
    await new Promise((r) => setTimeout(r, 30));
    await desk.get(`/patients/${b}`);
    await new Promise((r) => setTimeout(r, 100));
    const recent = await (await desk.post("/resources/patient-search", { q: "" })).text();
    expect(recent.indexOf("Wrenfield")).toBeGreaterThan(-1);
    expect(recent.indexOf("Wrenfield")).toBeLessThan(recent.indexOf("Verhoeven"));
    expect(await (await desk.get("/patients")).text()).toContain("Recently viewed");
    // Someone else's recent list is their own.
    const md = new Client(app.url);
    await md.signIn(ROLE_EMAILS.medical_director);
    expect(await (await md.post("/resources/patient-search", { q: "" })).text()).not.toContain("Wrenfield");
  });

  it("merges a duplicate: visits, notes and messages move over, both ids are audited, the old record leads to the kept one", async () => {
    const keep = await newPatient({ email: null, lateCancellations: 1 });
    const dup = await newPatient({ firstName: "Marisol", lastName: "Quintero-Diaz", email: "mq@example.com", noShows: 2 });
    const org = await lumen();
    const [location] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
    const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const [service] = await app.db.select().from(services).where(eq(services.organizationId, org.id)).limit(1);
    const start = new Date(Date.UTC(2031, 0, 7, 15));
    const visit = crypto.randomUUID();
    await app.db.insert(appointments).values({ id: visit, organizationId: org.id, locationId: location.id, patientId: dup, providerId: provider.id, serviceId: service.id, status: "confirmed", startsAt: start, endsAt: new Date(start.getTime() + 1_800_000), blockStart: start, blockEnd: new Date(start.getTime() + 1_800_000), priceCents: 100, createdAt: new Date() });
    // The duplicate's clinical record: a signed chart with a photo, a consent and a good-faith exam.
    const chart = crypto.randomUUID();
    const consentVersion = `consent-photography-${org.id}-v1`;
    await app.client.batch([
      { sql: "insert into encounters (id, organization_id, location_id, appointment_id, patient_id, provider_id, service_id, template_version_id, status, answers, revision, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'draft', '{}', 1, ?, ?)", args: [chart, org.id, location.id, visit, dup, provider.id, service.id, `seed-soap-${org.id}-v1`, Date.now(), Date.now()] },
      { sql: "insert into encounter_photos (id, organization_id, encounter_id, patient_id, client_id, stage, angle, file_key, thumb_key, content_type, width, height, byte_size, taken_by, created_at) values ('merge-photo', ?, ?, ?, 'merge-photo', 'before', 'front', 'k', 'k', 'image/jpeg', 1, 1, 1, ?, ?)", args: [org.id, chart, dup, provider.id, Date.now()] },
      { sql: "insert into patient_consents (id, organization_id, patient_id, template_id, version_id, text_sha256, signer_name, signer_role, method, device, signed_at, client_id) select 'merge-consent', ?, ?, template_id, id, text_sha256, 'Marisol Quintero', 'patient', 'typed', 'test', ?, 'merge-consent' from consent_template_versions where id = ?", args: [org.id, dup, Date.now(), consentVersion] },
      { sql: "insert into good_faith_exams (id, organization_id, patient_id, examiner_id, examined_at, findings, created_at) values ('merge-exam', ?, ?, ?, ?, 'Approved', ?)", args: [org.id, dup, provider.id, Date.now(), Date.now()] },
      { sql: "update encounters set status = 'signed', signed_at = ?, signed_by = provider_id, signature_method = 'password' where id = ?", args: [Date.now(), chart] },
    ]);
    // Only a merge moves it: straight to another record, the database refuses.
    await expect(app.client.execute({ sql: "update encounters set patient_id = ? where id = ?", args: [keep, chart] })).rejects.toThrow(/atrium_patient_not_merged/);
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    await desk.post(`/patients/${dup}/notes`, { intent: "add", body: "Note on the duplicate" });
    await desk.post(`/patients/${dup}/messages`, { channel: "sms", body: "Sent to the duplicate" });
    // The desk cannot merge; a manager can.
    expect((await desk.post(`/patients/${keep}/merge`, { intent: "merge", duplicateId: dup, confirm: "on" })).status).toBe(403);
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    expect((await manager.post(`/patients/${keep}/merge`, { intent: "merge", duplicateId: dup })).status).toBe(400);
    expect((await manager.post(`/patients/${keep}/merge`, { intent: "merge", duplicateId: keep, confirm: "on" })).status).toBe(400);
    const merged = await manager.post(`/patients/${keep}/merge`, { intent: "merge", duplicateId: dup, confirm: "on" });
    expect(merged.status).toBe(303);
    expect(merged.headers.get("location")).toBe(`/patients/${keep}?merged=1`);

    expect((await app.db.select().from(appointments).where(eq(appointments.id, visit)))[0].patientId).toBe(keep);
    for (const [table, id] of [["encounters", chart], ["encounter_photos", "merge-photo"], ["patient_consents", "merge-consent"], ["good_faith_exams", "merge-exam"]]) {
      expect((await app.client.execute({ sql: `select patient_id from ${table} where id = ?`, args: [id] })).rows[0].patient_id, table).toBe(keep);
    }
    // Still signed, still unchangeable in every other way.
    await expect(app.client.execute({ sql: "update encounters set answers = '{\"x\":1}' where id = ?", args: [chart] })).rejects.toThrow(/atrium_encounter_signed/);
    expect((await app.db.select().from(patientNotes).where(eq(patientNotes.body, "Note on the duplicate")))[0].patientId).toBe(keep);
    expect((await app.db.select().from(messages).where(like(messages.body, "Sent to the duplicate%")))[0].patientId).toBe(keep);
    const [kept] = await app.db.select().from(patients).where(eq(patients.id, keep));
    expect(kept).toMatchObject({ email: "mq@example.com", lateCancellations: 1, noShows: 2, mergedIntoId: null });
    expect((await app.db.select().from(patients).where(eq(patients.id, dup)))[0].mergedIntoId).toBe(keep);
    const audits = await app.db.select().from(auditEvents).where(eq(auditEvents.action, "patient.merge"));
    expect(audits).toEqual([expect.objectContaining({ entityId: keep, reason: `merged_from:${dup}`, outcome: "allowed" })]);
    expect(await app.db.select().from(auditEvents).where(eq(auditEvents.action, "patient.merged_into"))).toEqual([expect.objectContaining({ entityId: dup, reason: `merged_into:${keep}` })]);

    // The old record's links lead to the kept one; search no longer finds it; it takes no new notes.
    const old = await manager.get(`/patients/${dup}/notes`);
    expect(old.status).toBe(302);
    expect(old.headers.get("location")).toBe(`/patients/${keep}/notes`);
    expect(await (await manager.post("/resources/patient-search", { q: "Quintero-Diaz" })).text()).not.toContain(dup);
    expect((await manager.post(`/patients/${dup}/notes`, { intent: "add", body: "late" })).headers.get("location")).toBe(`/patients/${keep}/notes`);
    expect(await app.db.select().from(patientNotes).where(eq(patientNotes.body, "late"))).toEqual([]);
    // Merging it again, or the kept record into it, is refused with nothing changed.
    expect((await manager.post(`/patients/${keep}/merge`, { intent: "merge", duplicateId: dup, confirm: "on" })).status).toBe(409);
    // (posted to the old record's address, the answer leads to the kept record)
    expect((await manager.post(`/patients/${dup}/merge`, { intent: "merge", duplicateId: keep, confirm: "on" })).headers.get("location")).toBe(`/patients/${keep}/merge`);
    expect((await app.db.select().from(patients).where(eq(patients.id, keep)))[0].noShows).toBe(2);
  });

  it("two managers merging a pair into each other at once get one merge, never a cycle", async () => {
    const a = await newPatient();
    const b = await newPatient({ lastName: "Quintera" });
    const one = new Client(app.url);
    await one.signIn(ROLE_EMAILS.manager);
    const two = new Client(app.url);
    await two.signIn(ROLE_EMAILS.owner);
    const answers = await Promise.all([one.post(`/patients/${a}/merge`, { intent: "merge", duplicateId: b, confirm: "on" }), two.post(`/patients/${b}/merge`, { intent: "merge", duplicateId: a, confirm: "on" })]);
    expect(answers.filter((r) => r.status === 303)).toHaveLength(1);
    const rows = await app.db.select({ id: patients.id, mergedIntoId: patients.mergedIntoId }).from(patients).where(inArray(patients.id, [a, b]));
    expect(rows.filter((r) => r.mergedIntoId !== null)).toHaveLength(1);
  });

  it("keeps a portrait without its location data, shows it only to the clinic's staff, and refuses what isn't a photo", async () => {
    const id = await newPatient();
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const seg = (marker: number, payload: number[]) => [0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload];
    const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
    const jpeg = new Uint8Array([0xff, 0xd8, ...seg(0xe0, ascii("JFIF\0")), ...seg(0xe1, [...ascii("Exif\0\0II*\0"), 8, 0, 0, 0, 0, 0, ...ascii("GPS 40.7128N")]), ...seg(0xda, [1, 2, 3]), 0x11, 0xff, 0xd9]);
    const upload = (bytes: Uint8Array, name: string, type: string) => {
      const body = new FormData();
      body.set("intent", "photo-upload");
      body.set("photo", new Blob([bytes as BlobPart], { type }), name);
      return desk.request(`/patients/${id}/details`, { method: "POST", body });
    };
    expect((await upload(jpeg, "me.jpg", "image/jpeg")).status).toBe(200);
    const served = await desk.get(`/patients/${id}/photo`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(served.headers.get("cache-control")).toContain("no-store");
    const bytes = new Uint8Array(await served.arrayBuffer());
    expect(String.fromCharCode(...bytes)).not.toContain("GPS");
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(await (await desk.get(`/patients/${id}`)).text()).toContain(`src="/patients/${id}/photo"`);
    // A page pretending to be a photo, by name and by type: refused with a plain message, nothing changed.
    const fake = await upload(new TextEncoder().encode("<html><script>alert(1)</script>"), "x.jpg", "image/jpeg");
    expect(fake.status).toBe(415);
    expect(await fake.text()).toContain("Use a JPEG or PNG photo.");
    expect((await desk.get(`/patients/${id}/photo`)).status).toBe(200);
    const other = new Client(app.url);
    await other.signIn(`owner@${ORG_B}`);
    expect((await other.get(`/patients/${id}/photo`)).status).toBe(404);
    expect(await app.db.select().from(auditEvents).where(and(eq(auditEvents.entityId, id), eq(auditEvents.action, "patient.photo_read")))).not.toHaveLength(0);
    expect((await desk.post(`/patients/${id}/details`, { intent: "photo-remove" })).status).toBe(200);
    expect((await desk.get(`/patients/${id}/photo`)).status).toBe(404);
  });
});
