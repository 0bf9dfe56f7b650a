import { openDatabase } from "../db/client";
import { Client } from "../tests/helpers/test-app";
import { cameraJpeg, photoForm } from "../tests/helpers/camera-photo";
import { percentile } from "./large-data";
import type { benchServer } from "./http";

/**
 * `photo-upload` (issue 11): a 12-megapixel JPEG with GPS EXIF, as a tablet's camera writes it,
 * posted to a draft chart through the real server: read from the multipart body, its type checked
 * from the bytes, every piece of metadata stripped, a 480 px preview made (libvips), both files
 * stored on disk and the row with its audit event committed. The headline p95 is the whole request
 * as the tablet waits for it over loopback (upload included); `serverP95` is the app's own time.
 */
export async function benchPhotoUpload(server: Awaited<ReturnType<typeof benchServer>>, total = 40) {
  const { client } = openDatabase(`file:${server.file}`);
  const one = async (sql: string, args: (string | number)[] = []) => (await client.execute({ sql, args })).rows[0] as Record<string, string | number>;
  const provider = await one("select id from users where email = 'provider@lumen.example'");
  const location = await one("select l.id, l.organization_id from locations l join user_locations ul on ul.location_id = l.id where ul.user_id = ? and l.name = 'Lumen Midtown'", [String(provider.id)]);
  const organizationId = String(location.organization_id);
  const patient = await one("select id from patients where organization_id = ? limit 1 offset 7", [organizationId]);
  const service = await one("select id from services where organization_id = ? and name like 'Neurotoxin%'", [organizationId]);
  const appointmentId = crypto.randomUUID();
  const start = Date.now() - 2 * 3_600_000;
  await client.execute({
    sql: "insert into appointments (id, organization_id, location_id, patient_id, provider_id, service_id, status, starts_at, ends_at, block_start, block_end, price_cents, created_at) values (?, ?, ?, ?, ?, ?, 'completed', ?, ?, ?, ?, 0, ?)",
    args: [appointmentId, organizationId, String(location.id), String(patient.id), String(provider.id), String(service.id), start, start + 1_800_000, start, start + 1_800_000, Date.now()],
  });
  client.close();
  const tablet = new Client(server.app.url);
  await tablet.signIn("provider@lumen.example");
  const opened = await tablet.post(`/appointments/${appointmentId}/chart`, {});
  if (opened.status !== 302) throw new Error(`opening the chart answered ${opened.status}`);
  const chart = opened.headers.get("location")!;
  // Photos need the patient's clinical photography consent: signed on the tablet first, as in a visit.
  const consent = `consent-photography-${organizationId}`;
  const consented = await tablet.post(`${chart}/consents/${consent}`, { clientId: crypto.randomUUID(), versionId: `${consent}-v1`, signerName: "Bench Patient", signerRole: "patient", method: "typed", agree: "on" });
  if (consented.status !== 302) throw new Error(`signing the photography consent answered ${consented.status}`);
  const photo = await cameraJpeg(4000, 3000);

  const upload = async () => {
    const form = photoForm({ bytes: photo });
    const started = performance.now();
    const res = await tablet.request(`${chart}/photos`, { method: "POST", body: form });
    await res.arrayBuffer();
    const wall = performance.now() - started;
    if (res.status !== 302) throw new Error(`photo upload answered ${res.status}`);
    return { wall, server: Number(/app;dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "")?.[1] ?? NaN) };
  };
  for (let i = 0; i < 3; i++) await upload();
  const walls: number[] = [];
  const servers: number[] = [];
  for (let i = 0; i < total; i++) {
    const { wall, server: s } = await upload();
    walls.push(wall);
    servers.push(s);
  }
  walls.sort((a, b) => a - b);
  servers.sort((a, b) => a - b);
  const ms = (v: number) => Math.round(v * 10) / 10;
  return { name: "photo-upload", unit: "ms", p50: ms(percentile(walls, 0.5)), p95: ms(percentile(walls, 0.95)), serverP95: ms(percentile(servers, 0.95)), uploads: total, bytes: photo.length, megapixels: 12, target: { p95: 1500 } };
}
