import { openDatabase } from "../db/client";
import { seedCharting } from "../db/seed/charting";
import { Client } from "../tests/helpers/test-app";
import { percentile } from "./large-data";
import type { benchServer } from "./http";

/**
 * `chart-save` (issue 11): server time (Server-Timing app;dur) to save a draft encounter holding
 * 40 face-chart points and 30 template answers, as the provider's tablet posts it, through the
 * real server over the large data set. Each save replaces the whole draft over its revision (one
 * guarded batch), so every request does the full work.
 */
const ZONES_USED = ["forehead", "glabella", "crows_feet_left", "crows_feet_right", "bunny_lines", "masseter_left", "masseter_right", "chin"];

export async function benchChartSave(server: Awaited<ReturnType<typeof benchServer>>, total = 300) {
  const { client, db } = openDatabase(`file:${server.file}`);
  const one = async (sql: string, args: (string | number)[] = []) => (await client.execute({ sql, args })).rows[0] as Record<string, string | number>;
  const provider = await one("select id from users where email = 'provider@lumen.example'");
  const location = await one("select l.id, l.organization_id from locations l join user_locations ul on ul.location_id = l.id where ul.user_id = ? and l.name = 'Lumen Midtown'", [String(provider.id)]);
  const organizationId = String(location.organization_id);
  await ensureChartingStock(client, db, organizationId);
  const patient = await one("select id from patients where organization_id = ? limit 1", [organizationId]);
  const service = await one("select id from services where organization_id = ? and name like 'Neurotoxin%'", [organizationId]);
  // A template of 30 fields of every kind, so the save checks 30 typed answers.
  const kinds = ["text", "long_text", "number", "choice", "multi_choice", "yes_no", "date"] as const;
  const fields = Array.from({ length: 30 }, (_, i) => {
    const type = kinds[i % kinds.length];
    return { id: `f${i}`, label: `Field ${i}`, type, ...(type === "number" ? { unit: "ml" } : {}), ...(type === "choice" || type === "multi_choice" ? { options: ["A", "B", "C"] } : {}) };
  });
  const templateId = `bench-template-${organizationId}`;
  const now = Date.now();
  await client.batch([
    { sql: "insert or ignore into chart_templates (id, organization_id, name, kind, face_chart, current_version, created_at) values (?, ?, 'Bench 30 fields', 'neurotoxin', 1, 1, ?)", args: [templateId, organizationId, now] },
    { sql: "insert or ignore into chart_template_versions (id, template_id, organization_id, version, sections, created_at) values (?, ?, ?, 1, ?, ?)", args: [`${templateId}-v1`, templateId, organizationId, JSON.stringify([{ title: "Bench", fields }]), now] },
  ]);
  const appointmentId = crypto.randomUUID();
  const encounterId = crypto.randomUUID();
  const start = now - 3_600_000;
  await client.batch([
    { sql: "insert into appointments (id, organization_id, location_id, patient_id, provider_id, service_id, status, starts_at, ends_at, block_start, block_end, price_cents, created_at) values (?, ?, ?, ?, ?, ?, 'in_room', ?, ?, ?, ?, 0, ?)", args: [appointmentId, organizationId, String(location.id), String(patient.id), String(provider.id), String(service.id), start, start + 1_800_000, start, start + 1_800_000, now] },
    { sql: "insert into encounters (id, organization_id, location_id, appointment_id, patient_id, provider_id, service_id, template_version_id, status, answers, revision, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'draft', '{}', 1, ?, ?)", args: [encounterId, organizationId, String(location.id), appointmentId, String(patient.id), String(provider.id), String(service.id), `${templateId}-v1`, now, now] },
  ]);
  client.close();
  const lot = `${location.id}-lot-C3912`;
  const answer = (i: number) => ({ text: "Mild asymmetry", long_text: "Discussed expectations and aftercare in full.", number: "2.5", choice: "B", multi_choice: "A", yes_no: "yes", date: "2026-11-30" })[kinds[i % kinds.length]];
  const form = (revision: number) => {
    const body: Record<string, string> = { intent: "save", revision: String(revision) };
    fields.forEach((f, i) => (body[`answer.${f.id}`] = answer(i)));
    for (let i = 0; i < 40; i++) Object.assign(body, { [`points[${i}].id`]: `bench-point-${i.toString().padStart(4, "0")}`, [`points[${i}].view`]: "front", [`points[${i}].zone`]: ZONES_USED[i % ZONES_USED.length], [`points[${i}].x`]: String(300 + (i % 10) * 40), [`points[${i}].y`]: String(150 + Math.floor(i / 10) * 150), [`points[${i}].lotId`]: lot, [`points[${i}].amount`]: "2", [`points[${i}].depth`]: "intramuscular", [`points[${i}].technique`]: "needle", [`points[${i}].gauge`]: "32" });
    return body;
  };
  const tablet = new Client(server.app.url);
  await tablet.signIn("provider@lumen.example");
  const path = `/charts/${encounterId}`;
  let revision = 1;
  const save = async () => {
    const res = await tablet.post(path, form(revision));
    await res.arrayBuffer();
    if (res.status !== 302) throw new Error(`chart save answered ${res.status}`);
    revision++;
    return Number(/app;dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "")?.[1] ?? NaN);
  };
  for (let i = 0; i < 30; i++) await save();
  const times: number[] = [];
  for (let i = 0; i < total; i++) times.push(await save());
  times.sort((a, b) => a - b);
  return { name: "chart-save", unit: "ms", p50: percentile(times, 0.5), p95: percentile(times, 0.95), saves: total, points: 40, answers: 30, target: { p95: 20 } };
}

/** A data set made before charting existed has no products yet: give it the seed's. */
export async function ensureChartingStock(client: ReturnType<typeof openDatabase>["client"], db: ReturnType<typeof openDatabase>["db"], organizationId: string) {
  if (Number((await client.execute({ sql: "select count(*) as n from products where organization_id = ?", args: [organizationId] })).rows[0].n)) return;
  const locations = (await client.execute({ sql: "select id from locations where organization_id = ?", args: [organizationId] })).rows.map((r) => String(r.id));
  await seedCharting(db, organizationId, locations, new Date());
}
