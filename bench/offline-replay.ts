import { openDatabase } from "../db/client";
import { Client } from "../tests/helpers/test-app";
import { replayInRuns, verdictOf, type SyncAnswerBody, type Verdict } from "../app/pwa/outbox-replay";
import type { benchServer } from "./http";
import { ensureChartingStock } from "./chart-save";

/**
 * `offline-replay` (issue 11): a tablet that charted offline all morning comes back online with
 * 200 changes queued: 10 charts, each saved 20 times as its points grew from 1 to 20 (with its
 * answers). They are replayed through the real server in order, one after another as the tablet
 * sends them (the same rules: app/pwa/outbox-replay.ts), each against the revision the last
 * answer gave. Headline: seconds for the whole queue. Then the whole queue is sent again as if
 * every answer had been lost: `duplicated` counts changes applied twice (saves audited beyond
 * 200), `lost` counts charts whose points are not exactly their last save's.
 */
/** Saves per request, as the tablet sends them (chart-outbox.ts). */
const RUN = 25;

export async function benchOfflineReplay(server: Awaited<ReturnType<typeof benchServer>>, charts = 10, savesPerChart = 20) {
  const { client, db } = openDatabase(`file:${server.file}`);
  const one = async (sql: string, args: (string | number)[] = []) => (await client.execute({ sql, args })).rows[0] as Record<string, string | number>;
  const provider = await one("select id from users where email = 'provider@lumen.example'");
  const location = await one("select l.id, l.organization_id, l.time_zone from locations l join user_locations ul on ul.location_id = l.id where ul.user_id = ? and l.name = 'Lumen Midtown'", [String(provider.id)]);
  const organizationId = String(location.organization_id);
  await ensureChartingStock(client, db, organizationId);
  const service = await one("select id from services where organization_id = ? and name like 'Neurotoxin%'", [organizationId]);
  // The seed's Botox lot at Midtown (bench/chart-save.ts uses it too).
  const lot = { id: `${String(location.id)}-lot-C3912` };
  const patients = (await client.execute({ sql: "select id from patients where organization_id = ? limit ? offset 20", args: [organizationId, charts] })).rows.map((r) => String(r.id));
  const appointmentIds: string[] = [];
  for (const [i, patientId] of patients.entries()) {
    const id = crypto.randomUUID();
    appointmentIds.push(id);
    const start = Date.now() - (30 + i) * 86_400_000;
    await client.execute({
      sql: "insert into appointments (id, organization_id, location_id, patient_id, provider_id, service_id, status, starts_at, ends_at, block_start, block_end, price_cents, created_at) values (?, ?, ?, ?, ?, ?, 'completed', ?, ?, ?, ?, 0, ?)",
      args: [id, organizationId, String(location.id), patientId, String(provider.id), String(service.id), start, start + 1_800_000, start, start + 1_800_000, Date.now()],
    });
  }
  const tablet = new Client(server.app.url);
  await tablet.signIn("provider@lumen.example");
  const encounterIds: string[] = [];
  for (const id of appointmentIds) {
    const opened = await tablet.post(`/appointments/${id}/chart`, {});
    if (opened.status !== 302) throw new Error(`opening a chart answered ${opened.status}`);
    encounterIds.push(opened.headers.get("location")!.replace("/charts/", ""));
  }
  const savesBefore = Number((await one("select count(*) n from audit_events where action = 'encounter.save'")).n);

  // The queue as the tablet built it offline: charts interleaved, each save the chart as it then was.
  const device = `bench-tablet-${crypto.randomUUID()}`;
  const queue: { seq: number; mutationId: string; encounterId: string; fields: [string, string][] }[] = [];
  for (let save = 1; save <= savesPerChart; save++) {
    for (const encounterId of encounterIds) {
      const fields: [string, string][] = [["intent", "save"], ["answer.concerns", `Frown lines, save ${save}`]];
      for (let p = 0; p < save; p++) fields.push([`points[${p}].zone`, p % 2 ? "forehead" : "glabella"], [`points[${p}].view`, "front"], [`points[${p}].x`, String(400 + p * 10)], [`points[${p}].y`, String(200 + p * 5)], [`points[${p}].lotId`, String(lot.id)], [`points[${p}].amount`, "2"]);
      queue.push({ seq: queue.length + 1, mutationId: crypto.randomUUID(), encounterId, fields });
    }
  }
  const revisions = new Map(encounterIds.map((id) => [id, 1]));
  // As the tablet sends them: runs of saves in one request each, each save against the revision it knows.
  const sendRun = async (run: typeof queue): Promise<Verdict[]> => {
    const seen = new Set<string>();
    const changes = run.map((e) => {
      const first = !seen.has(e.encounterId);
      seen.add(e.encounterId);
      return { encounterId: e.encounterId, seq: e.seq, mutationId: e.mutationId, revision: first ? revisions.get(e.encounterId) : undefined, fields: e.fields };
    });
    const res = await tablet.request("/charts/sync", { method: "POST", body: new URLSearchParams({ deviceId: device, changes: JSON.stringify(changes) }) });
    const { answers } = (await res.json()) as { answers: { status: number; body: SyncAnswerBody }[] };
    if (process.env.DEBUG_REPLAY) console.error(res.status, res.headers.get("server-timing"), answers.filter((a) => !a.body.ok).map((a) => JSON.stringify(a.body).slice(0, 200)));
    return answers.map((a) => verdictOf({ status: a.status, headers: new Headers(), url: "/charts/sync" }, a.body));
  };
  const settle = async (entry: (typeof queue)[number], verdict: Verdict) => {
    if (verdict.kind === "applied" && verdict.revision !== undefined) revisions.set(entry.encounterId, verdict.revision);
  };

  const started = performance.now();
  const first = await replayInRuns(queue, RUN, () => true, sendRun, settle);
  const seconds = (performance.now() - started) / 1000;
  // Every answer lost: the tablet sends the whole queue again.
  const again = await replayInRuns(queue, RUN, () => true, sendRun, settle);

  const applied = Number((await one("select count(*) n from audit_events where action = 'encounter.save'")).n) - savesBefore;
  let lost = 0;
  for (const encounterId of encounterIds) {
    const points = Number((await one("select count(*) n from encounter_points where encounter_id = ?", [encounterId])).n);
    const answers = String((await one("select answers from encounters where id = ?", [encounterId])).answers);
    if (points !== savesPerChart || !answers.includes(`save ${savesPerChart}`)) lost++;
  }
  client.close();
  return {
    name: "offline-replay",
    unit: "s",
    value: Math.round(seconds * 1000) / 1000,
    lost: lost + (queue.length - first.applied),
    duplicated: Math.max(0, applied - queue.length),
    mutations: queue.length,
    appliedFirst: first.applied,
    // Sent again, every change got its first answer back (none ran twice: `duplicated`).
    answeredOnReplay: again.applied,
    stoppedBy: first.stoppedBy,
    target: { value: 3, lost: 0, duplicated: 0 },
  };
}
