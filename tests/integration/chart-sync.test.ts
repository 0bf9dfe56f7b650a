import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, deviceMutations, encounterPhotos, encounterPoints, encounters, users } from "../../db/schema";
import { Client, DEMO_PASSWORD, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";
import { ANSWERS, chartingHelpers, lotId, point } from "../helpers/charting";
import { cameraJpeg, photoForm } from "../helpers/camera-photo";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

const { visit, providerClient, openChart, consentsOnFile } = chartingHelpers(() => app);
const DEVICE = "tablet-3f1c2a9e-room-2";

/** One outbox mutation as the tablet sends it (ADR 029). */
function send(client: Client, encounterId: string, seq: number, fields: Record<string, string>, mutationId = `m-${seq}-${encounterId}`, deviceId = DEVICE) {
  return client.post(`/charts/${encounterId}/sync`, { deviceId, seq: String(seq), mutationId, ...fields });
}

const saves = (encounterId: string) => app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "encounter.save"), eq(auditEvents.entityId, encounterId)));
const pointsOf = (encounterId: string) => app.db.select().from(encounterPoints).where(eq(encounterPoints.encounterId, encounterId));
const revisionOf = async (id: string) => (await app.db.select().from(encounters).where(eq(encounters.id, id)))[0].revision;

async function draft() {
  const { id, location } = await visit(1);
  const provider = await providerClient();
  const encounterId = await openChart(provider, id);
  const glabella = (amount: string, i = 0) => point(i, { zone: "glabella", lotId: lotId(location.id, "C3912"), amount, view: "front", x: "500", y: "305" });
  return { provider, encounterId, glabella, location };
}

describe("a tablet's outbox replayed to the chart (issue 11, ADR 029)", () => {
  it("applies each change once and in order: a replay gets the first answer, nothing is applied twice", async () => {
    const { provider, encounterId, glabella } = await draft();
    const answers = [];
    for (let seq = 1; seq <= 3; seq++) {
      const res = await send(provider, encounterId, seq, { intent: "save", revision: String(seq), ...ANSWERS, ...glabella(String(10 * seq)) });
      expect(res.status).toBe(200);
      answers.push((await res.json()) as unknown);
    }
    expect(answers).toEqual([1, 2, 3].map((n) => ({ ok: true, saved: "draft", revision: n + 1 })));
    // The answer to number 2 was lost on the way: sent again, it gets the same answer and changes nothing.
    const again = await send(provider, encounterId, 2, { intent: "save", revision: "2", ...ANSWERS, ...glabella("20") });
    expect(again.status).toBe(200);
    expect(again.headers.get("atrium-replayed")).toBe("1");
    expect(await again.json()).toEqual({ ok: true, saved: "draft", revision: 3 });
    expect(await revisionOf(encounterId)).toBe(4);
    expect((await pointsOf(encounterId)).map((p) => p.amount)).toEqual([3000]);
    expect(await saves(encounterId)).toHaveLength(3);
  });

  it("a gap stops the change until the missing one arrives; a number reused with another id is refused", async () => {
    const { provider, encounterId, glabella } = await draft();
    expect((await send(provider, encounterId, 1, { intent: "save", revision: "1", ...ANSWERS, ...glabella("10") })).status).toBe(200);
    const early = await send(provider, encounterId, 3, { intent: "save", revision: "2", ...ANSWERS, ...glabella("30") });
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ ok: false, gap: { expected: 2 }, message: expect.stringMatching(/hasn't arrived yet \(number 2\)/) });
    expect(await revisionOf(encounterId)).toBe(2);
    // Number 1 again, but not the change that was number 1: a forged or confused replay changes nothing.
    const forged = await send(provider, encounterId, 1, { intent: "save", revision: "2", ...ANSWERS, ...glabella("99") }, "m-forged-0000000001");
    expect(forged.status).toBe(409);
    expect(((await forged.json()) as { message: string }).message).toMatch(/doesn't match/);
    // The missing change arrives; then the one that waited.
    expect((await send(provider, encounterId, 2, { intent: "save", revision: "2", ...ANSWERS, ...glabella("20") })).status).toBe(200);
    expect((await send(provider, encounterId, 3, { intent: "save", revision: "3", ...ANSWERS, ...glabella("30") })).status).toBe(200);
    expect((await pointsOf(encounterId)).map((p) => p.amount)).toEqual([3000]);
    expect(await saves(encounterId)).toHaveLength(3);
  });

  it("a refused change is answered, kept and passed; a change from two devices is a conflict with both versions", async () => {
    const { provider, encounterId, glabella } = await draft();
    const bad = await send(provider, encounterId, 1, { intent: "save", revision: "1", ...ANSWERS, ...glabella("401") });
    expect(bad.status).toBe(400);
    const badAnswer = (await bad.json()) as { errors: Record<string, string> };
    expect(badAnswer.errors["points[0].amount"]).toMatch(/at most 400 u/);
    // Sent again it gets the same refusal; the queue goes on with number 2.
    const badAgain = await send(provider, encounterId, 1, { intent: "save", revision: "1", ...ANSWERS, ...glabella("401") });
    expect([badAgain.status, await badAgain.json()]).toEqual([400, badAnswer]);
    expect((await send(provider, encounterId, 2, { intent: "save", revision: "1", ...ANSWERS, ...glabella("12") })).status).toBe(200);

    // A second tablet, still at revision 1, saves its own version: both are offered, nothing is lost.
    const other = await send(provider, encounterId, 1, { intent: "save", revision: "1", ...ANSWERS, ...glabella("16") }, "m-other-device-0001", "tablet-other-device-room-5");
    expect(other.status).toBe(409);
    const { conflict } = (await other.json()) as { conflict: { points: { amount: number }[]; mineRows: { amount: string }[] } };
    expect(conflict.points.map((p: { amount: number }) => p.amount)).toEqual([1200]);
    expect(conflict.mineRows[0].amount).toBe("16");
    expect((await pointsOf(encounterId)).map((p) => p.amount)).toEqual([1200]);
  });

  it("the same change arriving twice at once is applied once, and both hear the same answer", async () => {
    const { provider, encounterId, glabella } = await draft();
    const fields = { intent: "save", revision: "1", ...ANSWERS, ...glabella("10") };
    const both = await Promise.all([send(provider, encounterId, 1, fields), send(provider, encounterId, 1, fields)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(await Promise.all(both.map((r) => r.json()))).toEqual([{ ok: true, saved: "draft", revision: 2 }, { ok: true, saved: "draft", revision: 2 }]);
    expect(await saves(encounterId)).toHaveLength(1);
    expect(await app.db.select().from(deviceMutations).where(eq(deviceMutations.deviceId, DEVICE))).toHaveLength(1);
  });

  it("a photo taken offline is added once; another user's queued change and bad numbers are refused", async () => {
    const { provider, encounterId } = await draft();
    const [chart] = await app.db.select().from(encounters).where(eq(encounters.id, encounterId));
    await consentsOnFile(chart.patientId);
    const clientId = crypto.randomUUID();
    const form = () => {
      const body = photoForm({ bytes: photo, name: "IMG_0001.JPG", type: "image/jpeg" }, { clientId, intent: "photo", deviceId: DEVICE, seq: "1", mutationId: `m-photo-${clientId}` });
      return provider.request(`/charts/${encounterId}/sync`, { method: "POST", body });
    };
    const photo = await cameraJpeg();
    const first = await form();
    expect(first.status).toBe(200);
    const { photoId } = (await first.json()) as { photoId: string };
    expect(await (await form()).json()).toEqual({ ok: true, saved: "photo", photoId });
    expect(await app.db.select().from(encounterPhotos).where(eq(encounterPhotos.encounterId, encounterId))).toHaveLength(1);

    const someoneElse = await send(provider, encounterId, 2, { intent: "save", revision: "1", offlineUser: "another-user-id", ...ANSWERS });
    expect(someoneElse.status).toBe(409);
    expect(someoneElse.headers.get("atrium-offline-owner")).toBe("1");
    for (const [seq, deviceId] of [["0", DEVICE], ["two", DEVICE], ["2", "short"], ["2", "x".repeat(80)]]) {
      const res = await send(provider, encounterId, Number.isNaN(Number(seq)) ? (seq as unknown as number) : Number(seq), { intent: "save", revision: "1" }, `m-bad-${seq}-000000000`, deviceId);
      expect(res.status, `${seq} ${deviceId}`).toBe(400);
    }
    // The front desk can't chart at all.
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    expect((await send(desk, encounterId, 1, { intent: "save", revision: "1" })).status).toBe(403);
    expect(await revisionOf(encounterId)).toBe(1);
  });

  it("a run of saves in one request is applied as if sent one by one: revisions follow, a resend changes nothing, a gap stops the run", async () => {
    const { provider, encounterId, glabella } = await draft();
    const change = (seq: number, amount: string, revision?: number) => ({ encounterId, seq, mutationId: `m-run-${seq}-${encounterId}`, revision, fields: Object.entries({ intent: "save", ...ANSWERS, ...glabella(amount) }) });
    const run = (changes: unknown[]) => provider.post("/charts/sync", { deviceId: DEVICE, changes: JSON.stringify(changes) });
    const first = await run([change(1, "10", 1), change(2, "20"), change(3, "30")]);
    expect(first.status).toBe(200);
    const { answers } = (await first.json()) as { answers: { status: number; body: { revision?: number } }[] };
    expect(answers.map((a) => [a.status, a.body.revision])).toEqual([[200, 2], [200, 3], [200, 4]]);
    // Every answer lost: sent again, the same answers, nothing applied twice.
    const again = (await (await run([change(1, "10", 4), change(2, "20"), change(3, "30")])).json()) as { answers: { replayed: boolean; body: { revision?: number } }[] };
    expect(again.answers.map((a) => [a.replayed, a.body.revision])).toEqual([[true, 2], [true, 3], [true, 4]]);
    expect(await saves(encounterId)).toHaveLength(3);
    // Number 5 before 4: the run stops there and nothing of it is written.
    const gap = (await (await run([change(5, "50", 4), change(6, "60")])).json()) as { answers: { status: number; body: { gap?: { expected: number } } }[] };
    expect(gap.answers.map((a) => [a.status, a.body.gap?.expected])).toEqual([[409, 4]]);
    expect((await pointsOf(encounterId)).map((p) => p.amount)).toEqual([3000]);
    // Unreadable runs are refused whole.
    for (const changes of ["not json", "[]", JSON.stringify([{ encounterId, seq: 0, mutationId: "x", fields: [] }])]) expect((await provider.post("/charts/sync", { deviceId: DEVICE, changes })).status).toBe(400);
  });

  it("a chart signed offline with the signing PIN is signed when it syncs, checked again by the server; a wrong PIN is refused and kept", async () => {
    const { provider, encounterId, glabella } = await draft();
    const [row] = await app.db.select().from(encounters).where(eq(encounters.id, encounterId));
    await consentsOnFile(row.patientId);
    // Setting the PIN: plain words for each mistake, then saved with the password.
    for (const [fields, message] of [
      [{ pin: "12345", confirm: "12345", password: DEMO_PASSWORD }, /Enter six digits/],
      [{ pin: "111111", confirm: "111111", password: DEMO_PASSWORD }, /harder to guess/],
      [{ pin: "482913", confirm: "482914", password: DEMO_PASSWORD }, /not the same/],
      [{ pin: "482913", confirm: "482913", password: "wrong-password" }, /password is not right/],
    ] as const) {
      const res = await provider.post("/account/signing-pin", fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await res.text()).toMatch(message);
    }
    expect((await provider.post("/account/signing-pin", { pin: "482913", confirm: "482913", password: DEMO_PASSWORD })).status).toBe(200);
    const [user] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    expect(user.signingPinCheck).toBeTruthy();
    expect(user.signingPinCheck).not.toContain("482913");
    // The chart page hands its provider the check value (to keep sealed for signing offline).
    expect(await (await provider.get(`/charts/${encounterId}`)).text()).toContain(user.signingPinCheck!.slice(0, 20));

    const wrong = await send(provider, encounterId, 1, { intent: "sign", revision: "1", pin: "000001", ...ANSWERS, ...glabella("10") });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { errors: Record<string, string> }).errors.pin).toMatch(/signing PIN is not right/);
    const signed = await send(provider, encounterId, 2, { intent: "sign", revision: "1", pin: "482913", ...ANSWERS, ...glabella("10") });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ ok: true, saved: "signed", revision: 3 });
    const [after] = await app.db.select().from(encounters).where(eq(encounters.id, encounterId));
    expect([after.status, after.signatureMethod]).toEqual(["signed", "pin"]);
    // Sent again (its answer lost): the same answer, signed once.
    expect(await (await send(provider, encounterId, 2, { intent: "sign", revision: "1", pin: "482913", ...ANSWERS, ...glabella("10") })).json()).toEqual({ ok: true, saved: "signed", revision: 3 });
    expect(await app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "encounter.sign"), eq(auditEvents.entityId, encounterId)))).toHaveLength(1);
  });

  it("the chart shell a tablet keeps holds no patient: only those who chart get it, and reading it is not a chart read", async () => {
    const { provider, encounterId } = await draft();
    const [row] = await app.db.select().from(encounters).where(eq(encounters.id, encounterId));
    const { patients } = await import("../../db/schema");
    const [patient] = await app.db.select().from(patients).where(eq(patients.id, row.patientId));
    const readsBefore = await app.db.select().from(auditEvents).where(eq(auditEvents.action, "encounter.read"));
    const shell = await provider.get("/charts/kept");
    expect(shell.status).toBe(200);
    expect(shell.headers.get("cache-control")).toContain("no-store");
    const html = await shell.text();
    // The page's frame and scripts, the chart route in its manifest, and nothing about any patient.
    expect(html).toContain("routes/_app.charts.$encounterId");
    for (const secret of [patient.firstName, patient.lastName, encounterId]) expect(html).not.toContain(secret);
    expect(await app.db.select().from(auditEvents).where(eq(auditEvents.action, "encounter.read"))).toHaveLength(readsBefore.length);
    // The desk and a medical director don't chart: no shell for them; signed out: sign in first.
    for (const who of ["front_desk", "medical_director"] as const) {
      const client = new Client(app.url);
      await client.signIn(ROLE_EMAILS[who]);
      expect((await client.get("/charts/kept")).status, who).toBe(403);
    }
    expect((await new Client(app.url).get("/charts/kept")).status).toBe(302);
  });

  it("a consent signed on the tablet offline is recorded once, with the tablet's time, before the chart's signature that needs it", async () => {
    const { provider, encounterId, glabella } = await draft();
    const { patientConsents, consentTemplates } = await import("../../db/schema");
    const [row] = await app.db.select().from(encounters).where(eq(encounters.id, encounterId));
    // The chart page keeps the text of each consent still to sign, for the tablet to show offline.
    const html = await (await provider.get(`/charts/${encounterId}`)).text();
    const forms = await app.db.select({ id: consentTemplates.id, version: consentTemplates.currentVersion }).from(consentTemplates).where(eq(consentTemplates.organizationId, row.organizationId));
    const needed = forms.filter((f) => html.includes(`${f.id}-v${f.version}`));
    expect(needed.length).toBeGreaterThan(0);
    const signedAt = Date.now() - 40 * 60_000;
    const consent = (templateId: string, clientId: string, when = signedAt) => ({ intent: "consent", templateId, versionId: `${templateId}-v1`, clientId, signerName: "Pat Quinn", signerRole: "patient", method: "typed", agree: "on", signedOffline: String(when) });
    let seq = 0;
    for (const f of needed) {
      const res = await send(provider, encounterId, ++seq, consent(f.id, `offline-consent-${seq}-abc`));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, saved: "consent" });
    }
    // Its answer lost, sent again: the same answer, one signature.
    expect(await (await send(provider, encounterId, 1, consent(needed[0].id, "offline-consent-1-abc"))).json()).toEqual({ ok: true, saved: "consent" });
    const rows = await app.db.select().from(patientConsents).where(eq(patientConsents.patientId, row.patientId));
    expect(rows).toHaveLength(needed.length);
    expect(rows.every((r) => r.signedAt.getTime() === signedAt && /\(signed offline\)/.test(r.device ?? ""))).toBe(true);
    // Kept on the tablet too long: refused with what to do, and kept so the queue moves on.
    const old = await send(provider, encounterId, ++seq, consent(needed[0].id, "offline-consent-old-abc", Date.now() - 4 * 86_400_000));
    expect(old.status).toBe(400);
    expect(((await old.json()) as { message: string }).message).toMatch(/more than 3 days ago/);
    // The chart's signature after them, in order, finds the consents on file.
    expect((await provider.post("/account/signing-pin", { pin: "482913", confirm: "482913", password: DEMO_PASSWORD })).status).toBe(200);
    const signed = await send(provider, encounterId, ++seq, { intent: "sign", revision: "1", pin: "482913", ...ANSWERS, ...glabella("10") });
    expect(await signed.json()).toMatchObject({ ok: true, saved: "signed" });
    // Online, the consent page signs now: a time sent with the form is not taken from it.
    const { id: visit2 } = await visit(2);
    const chart2 = await openChart(provider, visit2);
    const online = await provider.post(`/charts/${chart2}/consents/${needed[0].id}`, { ...consent(needed[0].id, "online-consent-abcdef", Date.now() - 86_400_000), intent: "" });
    expect(online.status).toBe(302);
    const [onlineRow] = await app.db.select().from(patientConsents).where(eq(patientConsents.clientId, "online-consent-abcdef"));
    expect(Date.now() - onlineRow.signedAt.getTime()).toBeLessThan(60_000);
  });
});
