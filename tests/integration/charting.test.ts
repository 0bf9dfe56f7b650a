import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { providerStates, appointments, patients, auditEvents, encounterAddenda, encounterPoints, encounters, locations, productLots, services, stockMovements, users } from "../../db/schema";
import { Client, DEMO_PASSWORD, ORG_B, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";
import { ANSWERS, chartingHelpers, lotId, point } from "../helpers/charting";
import { pdfText } from "../helpers/pdf-text";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
  // The visits here are the demo's first patient's: their consents are on file (consents.test.ts is about those).
  const [first] = await app.db.select({ id: patients.id }).from(patients).innerJoin(locations, eq(locations.organizationId, patients.organizationId)).where(eq(locations.name, "Lumen Midtown")).limit(1);
  await consentsOnFile(first.id);
});
afterEach(async () => {
  await app.close();
});

const { visit, providerClient, openChart, consentsOnFile } = chartingHelpers(() => app);
const revisionOf = async (id: string) => (await app.db.select().from(encounters).where(eq(encounters.id, id)))[0].revision;

describe("charting an encounter (issue 11)", () => {
  it("opens one chart per visit, saves points and answers, and audits reads without their content", async () => {
    const { id: appointmentId, location } = await visit(1);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    expect(await openChart(provider, appointmentId)).toBe(encounterId);
    const page = await provider.get(`/charts/${encounterId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Face chart");
    expect(html).toContain("Botox · lot C3912");
    // The expired lot is never offered.
    expect(html).not.toContain("lot B8871");
    const saved = await provider.post(`/charts/${encounterId}`, {
      intent: "save",
      revision: "1",
      ...ANSWERS,
      "answer.dynamic_lines": ["Forehead", "Glabella"],
      ...point(0, { zone: "glabella", lotId: lotId(location.id, "C3912"), amount: "20", view: "front", x: "500", y: "305" }),
      ...point(1, { zone: "forehead", lotId: lotId(location.id, "C3912"), amount: "2.5", depth: "intramuscular", technique: "needle", gauge: "32" }),
    });
    expect(saved.status).toBe(302);
    const points = await app.db.select().from(encounterPoints).where(eq(encounterPoints.encounterId, encounterId));
    expect(points.map((p) => [p.zone, p.amount, p.x, p.y]).sort()).toEqual([
      ["forehead", 250, 500, 190],
      ["glabella", 2000, 500, 305],
    ]);
    const [row] = await app.db.select().from(encounters).where(eq(encounters.id, encounterId));
    expect(JSON.parse(row.answers)).toEqual({ consent_reviewed: true, pregnant_or_nursing: false, dynamic_lines: ["Forehead", "Glabella"] });
    expect(row.revision).toBe(2);
    await provider.get(`/charts/${encounterId}`);
    await new Promise((r) => setTimeout(r, 50));
    const audits = await app.db.select().from(auditEvents).where(eq(auditEvents.entityId, encounterId));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(["encounter.read", "encounter.save"]));
    for (const a of audits) expect(JSON.stringify(a)).not.toMatch(/glabella|Forehead|C3912/i);
  });

  it("refuses bad input with a message by each field and writes nothing", async () => {
    const { id: appointmentId, location } = await visit(2);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    const [uptown] = await app.db.select().from(locations).where(and(eq(locations.organizationId, location.organizationId), eq(locations.name, "Lumen Santa Monica")));
    const good = lotId(location.id, "C3912");
    const cases: [Record<string, string>, RegExp][] = [
      [point(0, { zone: "glabella", lotId: good, amount: "-2" }), /Enter the amount as a number/],
      [point(0, { zone: "glabella", lotId: good, amount: "0" }), /more than zero/],
      [point(0, { zone: "glabella", lotId: good, amount: "401" }), /at most 400 u/],
      [point(0, { zone: "glabella", lotId: good, amount: "lots" }), /Enter the amount as a number/],
      [point(0, { zone: "glabella", lotId: good, amount: "2", x: "2000", y: "10" }), /outside the diagram/],
      [point(0, { zone: "nose_tip", lotId: good, amount: "2" }), /Choose a zone from the list/],
      [point(0, { zone: "glabella", lotId: "nope", amount: "2" }), /Choose a lot from this location/],
      [point(0, { zone: "glabella", lotId: lotId(location.id, "B8871"), amount: "2" }), /expired on 2026-06-30/],
      [point(0, { zone: "glabella", lotId: lotId(uptown.id, "C3912"), amount: "2" }), /Choose a lot from this location.s stock/],
      [{ "answer.pregnant_or_nursing": "perhaps" }, /Answer yes or no/],
      [point(0, { zone: "custom", lotId: good, amount: "2" }), /Name the custom point/],
    ];
    for (const [fields, message] of cases) {
      const res = await provider.post(`/charts/${encounterId}`, { intent: "save", revision: "1", ...fields });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await res.text()).toMatch(message);
    }
    expect(await app.db.select().from(encounterPoints).where(eq(encounterPoints.encounterId, encounterId))).toEqual([]);
    expect(await revisionOf(encounterId)).toBe(1);
  });

  it("signs with a fresh password, takes the amounts out of stock, and then the database refuses any change", async () => {
    const { id: appointmentId, location } = await visit(3);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    const lot = lotId(location.id, "C4120");
    const [before] = await app.db.select().from(productLots).where(eq(productLots.id, lot));
    const chart = { revision: "1", ...point(0, { zone: "glabella", lotId: lot, amount: "20" }), ...point(1, { zone: "forehead", lotId: lot, amount: "10" }) };
    // Required answers missing: refused, nothing signed.
    const missing = await provider.post(`/charts/${encounterId}`, { intent: "sign", password: DEMO_PASSWORD, ...chart });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("Required before the chart is signed.");
    const wrong = await provider.post(`/charts/${encounterId}`, { intent: "sign", password: "not-my-password", ...ANSWERS, ...chart });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("That password is not right");
    expect((await app.db.select().from(encounters).where(eq(encounters.id, encounterId)))[0].status).toBe("draft");
    const signed = await provider.post(`/charts/${encounterId}`, { intent: "sign", password: DEMO_PASSWORD, ...ANSWERS, ...chart });
    expect(signed.status).toBe(302);
    const [row] = await app.db.select().from(encounters).where(eq(encounters.id, encounterId));
    expect(row.status).toBe("signed");
    expect(row.signatureMethod).toBe("password");
    const [after] = await app.db.select().from(productLots).where(eq(productLots.id, lot));
    expect(before.remaining - after.remaining).toBe(3000);
    const moves = await app.db.select().from(stockMovements).where(eq(stockMovements.encounterId, encounterId));
    expect(moves.map((m) => [m.kind, m.quantity])).toEqual([["use", -3000]]);
    // Immutable in the database itself, whatever sends the statement.
    await expect(app.client.execute({ sql: "update encounters set answers = '{}' where id = ?", args: [encounterId] })).rejects.toThrow(/atrium_encounter_signed/);
    await expect(app.client.execute({ sql: "delete from encounters where id = ?", args: [encounterId] })).rejects.toThrow(/atrium_encounter_signed/);
    await expect(app.client.execute({ sql: "update encounter_points set amount = 1 where encounter_id = ?", args: [encounterId] })).rejects.toThrow(/atrium_encounter_signed/);
    await expect(app.client.execute({ sql: "delete from encounter_points where encounter_id = ?", args: [encounterId] })).rejects.toThrow(/atrium_encounter_signed/);
    // And through the app: a save is refused; the page shows the signed chart.
    const late = await provider.post(`/charts/${encounterId}`, { intent: "save", revision: String(row.revision), ...ANSWERS });
    expect(late.status).toBe(409);
    const page = await (await provider.get(`/charts/${encounterId}`)).text();
    expect(page).toContain("Signed by");
    expect(page).toContain("C4120");
  });

  it("appends signed addenda in order, and never changes them", async () => {
    const { id: appointmentId, location } = await visit(4);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    expect((await provider.post(`/charts/${encounterId}`, { intent: "addendum", body: "Too early", password: DEMO_PASSWORD })).status).toBe(409);
    await provider.post(`/charts/${encounterId}`, { intent: "sign", password: DEMO_PASSWORD, revision: "1", ...ANSWERS, ...point(0, { zone: "chin", lotId: lotId(location.id, "C3912"), amount: "4" }) });
    expect((await provider.post(`/charts/${encounterId}`, { intent: "addendum", body: "x", password: DEMO_PASSWORD })).status).toBe(400);
    expect((await provider.post(`/charts/${encounterId}`, { intent: "addendum", body: "Patient called: mild bruising.", password: "wrong" })).status).toBe(400);
    expect((await provider.post(`/charts/${encounterId}`, { intent: "addendum", body: "Patient called: mild bruising at the chin.", password: DEMO_PASSWORD })).status).toBe(302);
    expect((await provider.post(`/charts/${encounterId}`, { intent: "addendum", body: "Reviewed at 2 weeks: resolved.", password: DEMO_PASSWORD })).status).toBe(302);
    const html = await (await provider.get(`/charts/${encounterId}`)).text();
    expect(html.indexOf("mild bruising")).toBeLessThan(html.indexOf("resolved."));
    expect(html).toMatch(/Addendum (<!-- -->)?2/);
    const [first] = await app.db.select().from(encounterAddenda).where(eq(encounterAddenda.encounterId, encounterId));
    await expect(app.client.execute({ sql: "update encounter_addenda set body = 'changed' where id = ?", args: [first.id] })).rejects.toThrow(/atrium_addendum_final/);
    await expect(app.client.execute({ sql: "delete from encounter_addenda where id = ?", args: [first.id] })).rejects.toThrow(/atrium_addendum_final/);
  });

  it("of two charts signing a lot's last units at once, one is signed and the other keeps its draft with a 409 naming the shortfall", async () => {
    const a = await visit(5);
    const b = await visit(6);
    const provider = await providerClient();
    const lot = lotId(a.location.id, "D7781");
    await app.db.update(productLots).set({ remaining: 2000 }).where(eq(productLots.id, lot));
    const [ea, eb] = [await openChart(provider, a.id), await openChart(provider, b.id)];
    const sign = (id: string) => provider.post(`/charts/${id}`, { intent: "sign", password: DEMO_PASSWORD, revision: "1", ...ANSWERS, ...point(0, { zone: "glabella", lotId: lot, amount: "20" }) });
    const answers = await Promise.all([sign(ea), sign(eb)]);
    expect(answers.map((r) => r.status).sort()).toEqual([302, 409]);
    const refused = answers.find((r) => r.status === 409)!;
    expect(await refused.text()).toMatch(/Lot D7781 \(Dysport\) has 0 u left; this chart uses 20 u/);
    const [after] = await app.db.select().from(productLots).where(eq(productLots.id, lot));
    expect(after.remaining).toBe(0);
    const statuses = (await app.db.select().from(encounters).where(eq(encounters.patientId, a.patient.id))).filter((e) => [ea, eb].includes(e.id)).map((e) => e.status).sort();
    expect(statuses).toEqual(["draft", "signed"]);
  });

  it("answers a save made from an older copy with both versions to choose from, and saves the choice", async () => {
    const { id: appointmentId, location } = await visit(7);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    const lot = lotId(location.id, "C3912");
    expect((await provider.post(`/charts/${encounterId}`, { intent: "save", revision: "1", "answer.concerns": "Frown lines (tablet A)", ...point(0, { zone: "glabella", lotId: lot, amount: "20" }) })).status).toBe(302);
    const stale = await provider.post(`/charts/${encounterId}`, { intent: "save", revision: "1", "answer.concerns": "Forehead lines (tablet B)", ...point(0, { zone: "forehead", lotId: lot, amount: "8" }) });
    expect(stale.status).toBe(409);
    const html = await stale.text();
    expect(html).toContain("Choose what to keep");
    expect(html).toContain("Frown lines (tablet A)");
    expect(html).toContain("Forehead lines (tablet B)");
    // Nothing was overwritten by the stale save.
    expect((await app.db.select().from(encounterPoints).where(eq(encounterPoints.encounterId, encounterId))).map((p) => p.zone)).toEqual(["glabella"]);
    const resolved = await provider.post(`/charts/${encounterId}`, {
      intent: "resolve",
      revision: "2",
      "mine.answer.concerns": "Forehead lines (tablet B)",
      ...Object.fromEntries(Object.entries(point(0, { zone: "forehead", lotId: lot, amount: "8" })).map(([k, v]) => [`mine.${k}`, v])),
      "pick.concerns": "mine",
      "pick.points": "theirs",
    });
    expect(resolved.status).toBe(302);
    const [row] = await app.db.select().from(encounters).where(eq(encounters.id, encounterId));
    expect(JSON.parse(row.answers).concerns).toBe("Forehead lines (tablet B)");
    expect((await app.db.select().from(encounterPoints).where(eq(encounterPoints.encounterId, encounterId))).map((p) => p.zone)).toEqual(["glabella"]);
  });

  it("shows charts only to clinical staff of the organization; only the visit's provider writes", async () => {
    const { id: appointmentId } = await visit(8);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    const as = async (email: string) => {
      const c = new Client(app.url);
      await c.signIn(email);
      return c;
    };
    expect((await (await as(ROLE_EMAILS.front_desk)).get(`/charts/${encounterId}`)).status).toBe(403);
    expect((await (await as(ROLE_EMAILS.manager)).get(`/charts/${encounterId}`)).status).toBe(403);
    expect((await (await as(ROLE_EMAILS.patient)).get(`/charts/${encounterId}`)).status).toBe(403);
    const md = await as(ROLE_EMAILS.medical_director);
    expect((await md.get(`/charts/${encounterId}`)).status).toBe(200);
    expect((await md.post(`/charts/${encounterId}`, { intent: "save", revision: "1" })).status).toBe(403);
    expect((await (await as(`owner@${ORG_B}`)).get(`/charts/${encounterId}`)).status).toBe(404);
    // The desk opening a visit's chart: refused; the desk's visit page shows no chart link.
    const desk = await as(ROLE_EMAILS.front_desk);
    expect((await desk.post(`/appointments/${appointmentId}/chart`, {})).status).toBe(403);
  });
});

describe("the chart PDF (issue 11)", () => {
  it("holds the patient, the answers and each point's zone, product and lot; reading it is audited", async () => {
    const { pdfText } = await import("../helpers/pdf-text");
    const { id: appointmentId, location, patient } = await visit(9);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    await provider.post(`/charts/${encounterId}`, {
      intent: "sign",
      password: DEMO_PASSWORD,
      revision: "1",
      ...ANSWERS,
      "answer.internal_note": "Staff-only remark",
      ...point(0, { zone: "glabella", lotId: lotId(location.id, "C3912"), amount: "20", depth: "intramuscular" }),
      ...point(1, { zone: "crows_feet_left", lotId: lotId(location.id, "D7781"), amount: "12.5", view: "left", x: "560", y: "370" }),
    });
    const res = await provider.get(`/charts/${encounterId}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("cache-control")).toContain("no-store");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe("%PDF-");
    const text = pdfText(bytes);
    expect(text).toContain(`${patient.firstName} ${patient.lastName}`);
    for (const expected of ["Glabella", "Botox", "C3912", "20 u", "intramuscular", "Crow's feet (left)", "Dysport", "D7781", "12.5 u", "Signed by", "Staff-only remark", "Consents", "Neurotoxin treatment consent", "Version 1, signed by"]) expect(text).toContain(expected);
    await new Promise((r) => setTimeout(r, 50));
    const audits = await app.db.select().from(auditEvents).where(and(eq(auditEvents.entityId, encounterId), eq(auditEvents.action, "encounter.pdf")));
    expect(audits).toHaveLength(1);
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    expect((await desk.get(`/charts/${encounterId}/pdf`)).status).toBe(403);
  });

  it("lets a patient download the copy of their own signed chart from the portal: patient fields only, never another's", async () => {
    const [portalUser] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.patient));
    const [me] = await app.db.select().from(patients).where(eq(patients.userId, portalUser.id));
    const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const location = (await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown")))[0];
    const [service] = await app.db.select().from(services).where(and(eq(services.organizationId, location.organizationId), eq(services.name, "Neurotoxin (Botox, Dysport)")));
    const appointmentId = crypto.randomUUID();
    const start = new Date(Date.now() - 5 * 3_600_000);
    await app.db.insert(appointments).values({ id: appointmentId, organizationId: location.organizationId, locationId: location.id, patientId: me.id, providerId: provider.id, serviceId: service.id, status: "in_room", startsAt: start, endsAt: new Date(start.getTime() + 1_800_000), blockStart: start, blockEnd: new Date(start.getTime() + 1_800_000), priceCents: 100, createdAt: new Date() });
    await consentsOnFile(me.id);
    const provider_ = await providerClient();
    const encounterId = await openChart(provider_, appointmentId);
    const patient = new Client(app.url);
    await patient.signIn(ROLE_EMAILS.patient);
    // A draft is not shared.
    expect((await patient.get(`/portal/visits/${appointmentId}/chart.pdf`)).status).toBe(404);
    expect((await provider_.post(`/charts/${encounterId}`, { intent: "sign", password: DEMO_PASSWORD, revision: "1", ...ANSWERS, "answer.internal_note": "Staff-only remark about the patient", "answer.aftercare_given": "Stay upright for 4 hours", ...point(0, { zone: "glabella", lotId: lotId(location.id, "C3912"), amount: "20" }) })).status).toBe(302);
    expect(await (await patient.get(`/portal/visits/${appointmentId}`)).text()).toContain("Treatment record (PDF)");
    const copy = await patient.get(`/portal/visits/${appointmentId}/chart.pdf`);
    expect(copy.status).toBe(200);
    const text = pdfText(new Uint8Array(await copy.arrayBuffer()));
    expect(text).toContain("Stay upright for 4 hours");
    expect(text).toContain("C3912");
    expect(text).toContain("Patient copy");
    expect(text).not.toContain("Staff-only remark");
    // Someone else's visit, signed or not: not found.
    const other = await visit(30);
    expect((await patient.get(`/portal/visits/${other.id}/chart.pdf`)).status).toBe(404);
  });

  it("gives a patient's copy only the fields marked for patients", async () => {
    const { chartPdf } = await import("../../app/charting/chart-pdf.server");
    const { pdfText } = await import("../helpers/pdf-text");
    const { SEED_TEMPLATES } = await import("../../app/charting/seed-templates");
    const tox = SEED_TEMPLATES.find((t) => t.kind === "neurotoxin")!;
    const input = { clinic: "Lumen", patient: { name: "Ada Test", dateOfBirth: "Jan 1, 1990" }, visit: { when: "today", service: "Neurotoxin", provider: "Pat", location: "Midtown" }, template: { name: tox.name, version: 1, faceChart: true, sections: tox.sections }, status: { signed: false, signedBy: null, signedAt: null, method: null }, answers: { internal_note: "Secret staff note", concerns: "Frown lines" }, points: [], addenda: [], printedAt: "now", consents: [{ name: "Neurotoxin treatment consent", version: 2, signer: "Ada Test", when: "Dec 1", sha: "ab".repeat(32) }], photos: [{ jpeg: new Uint8Array(await (await import("sharp")).default({ create: { width: 300, height: 400, channels: 3, background: "#c9a" } }).jpeg().toBuffer()), caption: "Before · Front" }] };
    const staffCopy = pdfText(await chartPdf(input, "staff"));
    expect(staffCopy).toContain("Secret staff note");
    // Photos print in the clinical record; consents in both copies.
    expect(staffCopy).toContain("Before · Front");
    expect(staffCopy.replace(/\s+/g, "")).toContain(`Version2,signedbyAdaTestonDec1·textSHA-256${"ab".repeat(32)}`);
    const patientCopy = pdfText(await chartPdf(input, "patient"));
    expect(patientCopy).toContain("Frown lines");
    expect(patientCopy).not.toContain("Secret staff note");
    expect(patientCopy).toContain("Patient copy");
    expect(patientCopy).toContain("Neurotoxin treatment consent");
    expect(patientCopy).not.toContain("Before · Front");
  });
});

describe("chart templates (issue 11)", () => {
  it("a manager's edit makes a new version: charts already started keep theirs, new charts take it", async () => {
    const first = await visit(10);
    const provider = await providerClient();
    const before = await openChart(provider, first.id);
    const manager = new Client(app.url);
    await manager.signIn(ROLE_EMAILS.manager);
    const templateId = `seed-neurotoxin-${first.location.organizationId}`;
    const page = `/chart-templates/${templateId}`;
    expect((await manager.get(page)).status).toBe(200);
    const bad = await manager.post(page, { version: "1", intent: "add", section: "Assessment", label: "Brow position", type: "choice", options: "" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("List the choices, one per line.");
    const added = await manager.post(page, { version: "1", intent: "add", section: "Assessment", label: "Brow position", type: "choice", options: "Low\nNeutral\nHigh", required: "on" });
    expect(added.status).toBe(200);
    expect(await added.text()).toContain("Saved as version 2");
    // An edit made from the old version (another manager's open page) is refused, not merged.
    expect((await manager.post(page, { version: "1", intent: "remove", fieldId: "asymmetry" })).status).toBe(409);
    const second = await visit(11);
    const after = await openChart(provider, second.id);
    const [a, b] = await Promise.all([before, after].map(async (id) => (await app.db.select().from(encounters).where(eq(encounters.id, id)))[0].templateVersionId));
    expect(a).toBe(`${templateId}-v1`);
    expect(b).toBe(`${templateId}-v2`);
    expect(await (await provider.get(`/charts/${after}`)).text()).toContain("Brow position");
    expect(await (await provider.get(`/charts/${before}`)).text()).not.toContain("Brow position");
    // The stored version itself never changes.
    await expect(app.client.execute({ sql: "update chart_template_versions set sections = '[]' where id = ?", args: [`${templateId}-v1`] })).rejects.toThrow(/atrium_template_version_final/);
  });
});

describe("medical director oversight (issue 11)", () => {
  it("queues charts of always-reviewed services; co-sign, or return with a comment the provider answers with an addendum", async () => {
    const { id: appointmentId, location } = await visit(12);
    const md = new Client(app.url);
    await md.signIn(ROLE_EMAILS.medical_director);
    const [service] = await app.db.select().from(services).where(and(eq(services.organizationId, location.organizationId), eq(services.name, "Neurotoxin (Botox, Dysport)")));
    expect((await md.post("/reviews", { percent: "101" })).status).toBe(400);
    expect((await md.post("/reviews", { percent: "0", always: service.id })).status).toBe(200);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    expect((await provider.post(`/charts/${encounterId}`, { intent: "sign", password: DEMO_PASSWORD, revision: "1", ...ANSWERS })).status).toBe(302);
    const queue = await (await md.get("/reviews")).text();
    expect(queue).toContain(`/charts/${encounterId}`);
    expect(queue).toContain("Service always reviewed");
    // The provider can't co-sign their own (or anyone's) chart.
    expect((await provider.post(`/charts/${encounterId}`, { intent: "cosign" })).status).toBe(403);
    expect((await md.post(`/charts/${encounterId}`, { intent: "return", comment: "" })).status).toBe(400);
    expect((await md.post(`/charts/${encounterId}`, { intent: "return", comment: "Document the dilution used." })).status).toBe(302);
    const returned = await (await provider.get(`/charts/${encounterId}`)).text();
    expect(returned).toContain("Document the dilution used.");
    expect((await md.post(`/charts/${encounterId}`, { intent: "cosign" })).status).toBe(409);
    expect((await provider.post(`/charts/${encounterId}`, { intent: "addendum", body: "Dilution: 2.5 ml saline per 100 u vial.", password: DEMO_PASSWORD })).status).toBe(302);
    expect((await md.post(`/charts/${encounterId}`, { intent: "cosign" })).status).toBe(302);
    expect(await (await md.get(`/charts/${encounterId}`)).text()).toMatch(/Co-signed(<!-- -->)*( by)/);
    const compliance = await md.get("/compliance");
    expect(compliance.status).toBe(200);
    expect(await compliance.text()).toContain("Review quota this month");
  });

  it("lists a chart still unsigned 72 hours after the visit on the compliance page", async () => {
    const { id: appointmentId } = await visit(80);
    const provider = await providerClient();
    const encounterId = await openChart(provider, appointmentId);
    const md = new Client(app.url);
    await md.signIn(ROLE_EMAILS.medical_director);
    const html = await (await md.get("/compliance")).text();
    expect(html).toContain(`/charts/${encounterId}`);
    expect(html).toContain("Not signed yet");
  });
});

describe("the floor while charting (issue 11)", () => {
  it("shows the provider documenting while a finished visit's chart is open, and available once it is signed", async () => {
    const { id: appointmentId, location } = await visit(13, "completed");
    const provider = await providerClient();
    const [me] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const stateOf = async () => (await app.db.select().from(providerStates).where(and(eq(providerStates.userId, me.id), eq(providerStates.locationId, location.id))))[0]?.state;
    await app.db.delete(providerStates).where(eq(providerStates.userId, me.id));
    const encounterId = await openChart(provider, appointmentId);
    expect(await stateOf()).toBe("documenting");
    expect((await provider.post(`/charts/${encounterId}`, { intent: "sign", password: DEMO_PASSWORD, revision: "1", ...ANSWERS })).status).toBe(302);
    expect(await stateOf()).toBe("available");
  });
});

describe("contraindications (issue 11)", () => {
  it("are a list of their own on the record, always an alert, and shown beside the chart", async () => {
    const { id: appointmentId, patient } = await visit(14);
    const provider = await providerClient();
    expect((await provider.post(`/patients/${patient.id}/details`, { intent: "add-item", kind: "contraindication", name: "Keloid scarring", detail: "Chest" })).status).toBe(200);
    expect(await (await provider.get(`/patients/${patient.id}`)).text()).toContain("Contraindication: Keloid scarring");
    const encounterId = await openChart(provider, appointmentId);
    const chart = await (await provider.get(`/charts/${encounterId}`)).text();
    expect(chart).toContain("Contraindications");
    expect(chart).toContain("Keloid scarring");
  });
});
