import { and, eq, like } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, consentTemplates, goodFaithExams, patientConsents, patients, services } from "../../db/schema";
import { Client, DEMO_PASSWORD, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";
import { ANSWERS, chartingHelpers } from "../helpers/charting";
import { pdfText } from "../helpers/pdf-text";
import { consentTextSha256 } from "../../app/consents/text-hash";
import { SEED_CONSENTS } from "../../app/consents/seed-consents";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

const { visit, providerClient, openChart } = chartingHelpers(() => app);
const NEUROTOXIN = SEED_CONSENTS.find((c) => c.key === "neurotoxin")!;

/** The form on a consent page, as the tablet posts it. */
async function consentForm(client: Client, path: string) {
  const html = await (await client.get(path)).text();
  const value = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? "";
  return { clientId: value("clientId"), versionId: value("versionId") };
}

const SIGNATURE = JSON.stringify([
  [[100, 200], [180, 120], [260, 210], [340, 110]],
  [[420, 150], [560, 160]],
]);

describe("consents before treatment (issue 11)", () => {
  it("a neurotoxin chart can't be signed until the patient signs its consents; each signature keeps its text's hash, and prints", async () => {
    const { id: appointmentId, patient, location } = await visit(1);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    const chartPage = await (await provider.get(`/charts/${encounterId}`)).text();
    expect(chartPage).toMatch(/Neurotoxin treatment consent: not signed/);
    expect(chartPage).toMatch(/Clinical photography consent: not signed/);

    const refused = await provider.post(`/charts/${encounterId}`, { intent: "sign", password: DEMO_PASSWORD, revision: "1", ...ANSWERS });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toMatch(/the patient&#x27;s record needs: Clinical photography consent \(not signed\); Neurotoxin treatment consent \(not signed\)/);

    const template = `consent-neurotoxin-${location.organizationId}`;
    const path = `/charts/${encounterId}/consents/${template}`;
    const page = await (await provider.get(path)).text();
    expect(page).toContain("Neurotoxin treatment consent");
    expect(page).toContain("results show within 3 to 14 days");
    const form = await consentForm(provider, path);
    const base = { ...form, signerName: `${patient.firstName} ${patient.lastName}`, signerRole: "patient", agree: "on" };
    // Hostile or incomplete: no strokes, a tap, strokes outside the box, markup for strokes, no agreement, no name.
    for (const [fields, message] of [
      [{ ...base, method: "drawn", strokes: "" }, "Sign in the box with a finger or stylus."],
      [{ ...base, method: "drawn", strokes: "[[[500,150]]]" }, "Sign in the box with a finger or stylus."],
      [{ ...base, method: "drawn", strokes: "[[[100,100],[5000,100]]]" }, "That signature goes outside the box."],
      [{ ...base, method: "drawn", strokes: "<svg onload=alert(1)>" }, "That signature could not be read."],
      [{ ...base, method: "typed", agree: "" }, "Tick the box to confirm you have read and agree to this consent."],
      [{ ...base, method: "typed", signerName: " " }, "Type the signer&#x27;s full name."],
      [{ ...base, method: "typed", signerRole: "neighbour" }, "Say who is signing."],
    ] as const) {
      const res = await provider.post(path, fields);
      expect(res.status, message).toBe(400);
      expect(await res.text()).toContain(message);
    }
    expect(await app.db.select().from(patientConsents).where(eq(patientConsents.patientId, patient.id))).toEqual([]);

    const signed = await provider.post(path, { ...base, method: "drawn", strokes: SIGNATURE });
    expect(signed.status).toBe(302);
    expect(signed.headers.get("location")).toBe(`/charts/${encounterId}?saved=consent`);
    // Sent again (a double tap, a lost answer): one signature.
    expect((await provider.post(path, { ...base, method: "drawn", strokes: SIGNATURE })).status).toBe(302);
    const [consent, ...more] = await app.db.select().from(patientConsents).where(eq(patientConsents.patientId, patient.id));
    expect(more).toEqual([]);
    expect(consent.textSha256).toBe(await consentTextSha256(NEUROTOXIN.name, NEUROTOXIN.body));
    expect([consent.method, consent.signerRole, consent.appointmentId, consent.witnessId !== null]).toEqual(["drawn", "patient", appointmentId, true]);
    expect(JSON.parse(consent.strokes!)).toEqual(JSON.parse(SIGNATURE));

    // The photography consent, typed (as without JavaScript); then the chart signs.
    const photoPath = `/charts/${encounterId}/consents/consent-photography-${location.organizationId}`;
    expect((await provider.post(photoPath, { ...(await consentForm(provider, photoPath)), signerName: "Pat Guardian", signerRole: "guardian", agree: "on", method: "typed" })).status).toBe(302);
    expect((await provider.post(`/charts/${encounterId}`, { intent: "sign", password: DEMO_PASSWORD, revision: "1", ...ANSWERS })).status).toBe(302);

    // The signed copy: the text, who signed, the hash. Clinical staff only; audited without content.
    const pdf = await provider.get(`/consents/signed/${consent.id}.pdf`);
    expect(pdf.status).toBe(200);
    const text = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    expect(text).toContain("Neurotoxin treatment consent");
    expect(text).toContain(`${patient.firstName} ${patient.lastName}, the patient`);
    expect(text).toContain(consent.textSha256);
    expect(text).toContain("Drawn on the clinic");
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    expect((await desk.get(`/consents/signed/${consent.id}.pdf`)).status).toBe(403);
    // The record's clinical tab lists the chart and both consents; the desk doesn't get it.
    const tab = await (await provider.get(`/patients/${patient.id}/charts`)).text();
    expect(tab).toContain(`/charts/${encounterId}`);
    expect(tab).toMatch(/Version 1 · Pat Guardian · .* · typed/);
    expect(tab).toMatch(new RegExp(`Version 1 · ${patient.firstName} ${patient.lastName} · .* · drawn`));
    expect((await desk.get(`/patients/${patient.id}/charts`)).status).toBe(403);
    const events = await app.db.select().from(auditEvents).where(like(auditEvents.action, "consent.%"));
    expect(events.map((e) => e.action).sort()).toEqual(expect.arrayContaining(["consent.open", "consent.read", "consent.sign"]));
    expect(JSON.stringify(events)).not.toContain(patient.lastName);

    // Signed consents are never changed or removed, and a signature can't claim another text.
    await expect(app.client.execute({ sql: "update patient_consents set signer_name = 'Someone else' where id = ?", args: [consent.id] })).rejects.toThrow(/atrium_consent_final/);
    await expect(app.client.execute({ sql: "delete from patient_consents where id = ?", args: [consent.id] })).rejects.toThrow(/atrium_consent_final/);
    await expect(app.client.execute({ sql: "insert into patient_consents select 'forged', organization_id, patient_id, template_id, version_id, 'deadbeef', signer_name, signer_role, method, strokes, appointment_id, witness_id, device, signed_at, 'forged', photo_use from patient_consents where id = ?", args: [consent.id] })).rejects.toThrow(/atrium_consent_hash/);
  });

  it("a manager's edit is version 2; a consent opened on version 1 and sent after is refused; the first signature keeps version 1", async () => {
    const { id: appointmentId, location } = await visit(2);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    const template = `consent-neurotoxin-${location.organizationId}`;
    const path = `/charts/${encounterId}/consents/${template}`;
    const opened = await consentForm(provider, path);

    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    const [neuro] = await app.db.select().from(services).where(and(eq(services.organizationId, location.organizationId), eq(services.name, "Neurotoxin (Botox, Dysport)")));
    const edit = { version: "1", name: NEUROTOXIN.name, body: `${NEUROTOXIN.body}\n\nI understand the clinic's cancellation policy.`, validMonths: "6", serviceId: neuro.id };
    expect((await manager.post(`/consents/${template}`, { ...edit, body: "Too short." })).status).toBe(400);
    expect((await manager.post(`/consents/${template}`, edit)).headers.get("location")).toBe(`/consents/${template}?saved=version`);
    // The same edit from the old page again: a conflict, not a lost update.
    expect((await manager.post(`/consents/${template}`, edit)).status).toBe(409);
    const [row] = await app.db.select().from(consentTemplates).where(eq(consentTemplates.id, template));
    expect([row.currentVersion, row.validMonths]).toEqual([2, 6]);

    const stale = await provider.post(path, { ...opened, signerName: "A Patient", signerRole: "patient", agree: "on", method: "typed" });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("The clinic updated this consent while it was open.");
    const fresh = await consentForm(provider, path);
    expect(fresh.versionId).toBe(`${template}-v2`);
    expect((await provider.post(path, { ...fresh, signerName: "A Patient", signerRole: "patient", agree: "on", method: "typed" })).status).toBe(302);
    // Version 1's text can't be rewritten either.
    await expect(app.client.execute({ sql: "update consent_template_versions set body = 'x' where id = ?", args: [`${template}-v1`] })).rejects.toThrow(/atrium_consent_version_final/);
  });

  it("with the clinic's rule on, an injectable chart needs a prescriber's good-faith exam; the medical director records it; compliance lists a treatment signed without", async () => {
    const { id: appointmentId, patient } = await visit(3);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    await chartingHelpers(() => app).consentsOnFile(patient.id);
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    expect((await manager.post("/consents", { intent: "exam-rule", required: "on", validMonths: "0" })).status).toBe(400);
    expect((await manager.post("/consents", { intent: "exam-rule", required: "on", validMonths: "12" })).status).toBe(200);

    const refused = await provider.post(`/charts/${encounterId}`, { intent: "sign", password: DEMO_PASSWORD, revision: "1", ...ANSWERS });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("a good-faith exam by a prescriber");
    // Only a prescriber records it.
    expect((await provider.get(`/charts/${encounterId}/exam`)).status).toBe(403);
    const director = new Client(app.url);
    await director.signIn(ROLE_EMAILS.medical_director);
    const examPage = await (await director.get(`/charts/${encounterId}/exam`)).text();
    const clientId = /name="clientId" value="([^"]+)"/.exec(examPage)![1];
    expect((await director.post(`/charts/${encounterId}/exam`, { clientId, findings: "ok" })).status).toBe(400);
    const findings = "History reviewed; no contraindications. Approved: glabella and forehead, up to 40 u.";
    expect((await director.post(`/charts/${encounterId}/exam`, { clientId, findings })).status).toBe(302);
    expect((await director.post(`/charts/${encounterId}/exam`, { clientId, findings })).status).toBe(302);
    expect(await app.db.select().from(goodFaithExams).where(eq(goodFaithExams.patientId, patient.id))).toHaveLength(1);
    expect(await (await provider.get(`/charts/${encounterId}`)).text()).toMatch(/Good-faith exam: /);
    expect((await provider.post(`/charts/${encounterId}`, { intent: "sign", password: DEMO_PASSWORD, revision: "1", ...ANSWERS })).status).toBe(302);

    // A chart signed before the rule and its consents existed (imported history): compliance names what it lacked.
    const [someoneElse] = await app.db.select().from(patients).where(eq(patients.organizationId, patient.organizationId)).limit(1).offset(5);
    const imported = crypto.randomUUID();
    const at = Date.now() - 3_600_000;
    await app.client.batch([
      { sql: "insert into appointments (id, organization_id, location_id, patient_id, provider_id, service_id, status, starts_at, ends_at, block_start, block_end, price_cents, created_at) select ?, organization_id, location_id, ?, provider_id, service_id, 'completed', ?, ?, ?, ?, 0, ? from appointments where id = ?", args: [imported, someoneElse.id, at - 86_400_000, at - 86_400_000 + 1_800_000, at - 86_400_000, at - 86_400_000 + 1_800_000, at, appointmentId] },
      { sql: "insert into encounters (id, organization_id, location_id, appointment_id, patient_id, provider_id, service_id, template_version_id, status, answers, revision, created_at, updated_at, signed_at, signed_by, signature_method) select ?, organization_id, location_id, ?, ?, provider_id, service_id, template_version_id, 'signed', answers, 1, ?, ?, ?, provider_id, 'password' from encounters where id = ?", args: [`imported-${imported}`, imported, someoneElse.id, at, at, at, encounterId] },
    ]);
    const compliance = await (await director.get("/compliance")).text();
    expect(compliance).toMatch(/Treatments signed without a required consent or good-faith exam this month \(1\)/);
    expect(compliance).toMatch(/Missing: Clinical photography consent, Neurotoxin treatment consent; good-faith exam|Missing: Neurotoxin treatment consent, Clinical photography consent; good-faith exam/);
    expect(compliance).toContain(`${someoneElse.firstName} ${someoneElse.lastName}`);
  });
});
