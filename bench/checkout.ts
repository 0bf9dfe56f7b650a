import { openDatabase } from "../db/client";
import { Client } from "../tests/helpers/test-app";
import { ensureChartingStock } from "./chart-save";
import { percentile } from "./large-data";
import type { benchServer } from "./http";

/**
 * `checkout` (issue 12): server time (Server-Timing app;dur) to check out a visit charted with 40
 * points — the invoice built from the chart (two products priced from the catalogue), then a split
 * payment, part on the card and the rest in cash, in one submission — as the front desk posts it,
 * through the real server over the large data set. Each sample is one visit: both requests'
 * server times added up.
 */
export async function benchCheckout(server: Awaited<ReturnType<typeof benchServer>>, total = 200) {
  const { client, db } = openDatabase(`file:${server.file}`);
  const one = async (sql: string, args: (string | number)[] = []) => (await client.execute({ sql, args })).rows[0] as Record<string, string | number>;
  const desk = await one("select id from users where email = 'frontdesk@lumen.example'");
  const location = await one("select l.id, l.organization_id from locations l join user_locations ul on ul.location_id = l.id where ul.user_id = ? order by l.name limit 1", [String(desk.id)]);
  const organizationId = String(location.organization_id);
  const locationId = String(location.id);
  await ensureChartingStock(client, db, organizationId);
  const provider = await one("select u.id from users u join memberships m on m.user_id = u.id and m.organization_id = ? join user_locations ul on ul.user_id = u.id and ul.location_id = ? where m.role = 'provider' limit 1", [organizationId, locationId]);
  const patient = await one("select id from patients where organization_id = ? limit 1", [organizationId]);
  const service = await one("select id from services where organization_id = ? and name like 'Neurotoxin%'", [organizationId]);
  // A data set made before checkout: injectables are billed by what was charted.
  await client.execute({ sql: "update services set billed_by_product = 1 where id = ?", args: [String(service.id)] });
  const [botox, filler] = [`${locationId}-lot-C3912`, `${locationId}-lot-J2201`];
  const botoxProduct = String((await one("select product_id from product_lots where id = ?", [botox])).product_id);
  const fillerProduct = String((await one("select product_id from product_lots where id = ?", [filler])).product_id);

  // Visits in a room, each with a chart of 40 points (32 of toxin, 8 of filler), made up front.
  const now = Date.now();
  const visits: string[] = [];
  const warmup = 20;
  for (let v = 0; v < total + warmup; v++) {
    const appointmentId = crypto.randomUUID();
    const encounterId = crypto.randomUUID();
    // Years back, 40 minutes apart: clear of the data set's own visits (a provider is never booked twice at once).
    const start = now - 3 * 365 * 86_400_000 + v * 40 * 60_000;
    const statements = [
      { sql: "insert into appointments (id, organization_id, location_id, patient_id, provider_id, service_id, status, starts_at, ends_at, block_start, block_end, price_cents, created_at) values (?, ?, ?, ?, ?, ?, 'in_room', ?, ?, ?, ?, 45000, ?)", args: [appointmentId, organizationId, locationId, String(patient.id), String(provider.id), String(service.id), start, start + 1_800_000, start, start + 1_800_000, now] },
      { sql: "insert into encounters (id, organization_id, location_id, appointment_id, patient_id, provider_id, service_id, template_version_id, status, answers, revision, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'draft', '{}', 1, ?, ?)", args: [encounterId, organizationId, locationId, appointmentId, String(patient.id), String(provider.id), String(service.id), `seed-neurotoxin-${organizationId}-v1`, now, now] },
      ...Array.from({ length: 40 }, (_, i) => ({
        sql: "insert into encounter_points (id, encounter_id, organization_id, position, view, x, y, zone, product_id, lot_id, amount) values (?, ?, ?, ?, 'front', ?, ?, 'glabella', ?, ?, ?)",
        args: [crypto.randomUUID(), encounterId, organizationId, i, 300 + (i % 10) * 40, 150 + Math.floor(i / 10) * 150, i < 32 ? botoxProduct : fillerProduct, i < 32 ? botox : filler, i < 32 ? 250 : 20],
      })),
    ];
    await client.batch(statements, "write");
    visits.push(appointmentId);
  }
  client.close();

  const browser = new Client(server.app.url);
  await browser.signIn("frontdesk@lumen.example");
  const timed = async (path: string, body: Record<string, string>) => {
    const res = await browser.post(path, body);
    await res.arrayBuffer();
    if (res.status !== 302) throw new Error(`${path} answered ${res.status}`);
    return { ms: Number(/app;dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "")?.[1] ?? NaN), location: res.headers.get("location") ?? "" };
  };
  const times: number[] = [];
  const parts: [number[], number[]] = [[], []];
  for (const [i, appointmentId] of visits.entries()) {
    const opened = await timed(`/appointments/${appointmentId}`, { intent: "checkout" });
    const invoice = opened.location;
    // 80 u of toxin at $14 and 1.6 ml of filler (2 syringes at $750): $2,620, $500 of it in cash.
    // The split as the desk takes it: $2,120 on the card and $500 in cash, one submission.
    const split = await timed(invoice, { intent: "pay", method: "split", cardAmount: "2120.00", amount: "500", cardBrand: "visa", cardLast4: "4242", authCode: "BENCH1", paymentKey: crypto.randomUUID() });
    if (i >= warmup) {
      times.push(opened.ms + split.ms);
      [opened.ms, split.ms].forEach((ms, k) => parts[k].push(ms));
    }
  }
  // The floor, measured in the same run: two of the cheapest authenticated form posts there are
  // (the desk switching location: the session, one audited write, a redirect), added up the same way.
  const floor: number[] = [];
  for (let i = 0; i < total + warmup; i++) {
    const a = await timed("/resources/location", { locationId });
    const b = await timed("/resources/location", { locationId });
    if (i >= warmup) floor.push(a.ms + b.ms);
  }
  floor.sort((a, b) => a - b);
  times.sort((a, b) => a - b);
  const p50s = parts.map((p) => percentile(p.sort((a, b) => a - b), 0.5));
  return { name: "checkout", unit: "ms", p50: percentile(times, 0.5), p95: percentile(times, 0.95), checkouts: total, points: 40, requests: 2, p50ByStep: { build: p50s[0], splitPayment: p50s[1] }, floor: { p50: percentile(floor, 0.5), p95: percentile(floor, 0.95), what: "two minimal authenticated form posts" }, target: { p95: 20 } };
}

/**
 * `end-of-day` (issue 12): server time for the day report (/checkout) of a location on a day with
 * 300 invoices and 600 payments (cash and card, some refunds, tips), as the desk opens it.
 */
export async function benchEndOfDay(server: Awaited<ReturnType<typeof benchServer>>, total = 200) {
  const { client } = openDatabase(`file:${server.file}`);
  const one = async (sql: string, args: (string | number)[] = []) => (await client.execute({ sql, args })).rows[0] as Record<string, string | number>;
  const desk = await one("select id from users where email = 'frontdesk@lumen.example'");
  const location = await one("select l.id, l.organization_id, l.time_zone from locations l join user_locations ul on ul.location_id = l.id where ul.user_id = ? order by l.name limit 1", [String(desk.id)]);
  const [organizationId, locationId, timeZone] = [String(location.organization_id), String(location.id), String(location.time_zone)];
  const provider = await one("select u.id from users u join memberships m on m.user_id = u.id and m.organization_id = ? join user_locations ul on ul.user_id = u.id and ul.location_id = ? where m.role = 'provider' limit 1", [organizationId, locationId]);
  const patients = (await client.execute({ sql: "select id from patients where organization_id = ? limit 300", args: [organizationId] })).rows.map((r) => String(r.id));
  // A day two years back, in the location's zone: 300 invoices from 9:00, a minute apart.
  const day = new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date(Date.now() - 2 * 365 * 86_400_000));
  const nine = Date.parse(`${day}T14:00:00Z`);
  const top = Number((await one("select coalesce(max(number), 0) as n from invoices where organization_id = ?", [organizationId])).n);
  const statements = [];
  for (let i = 0; i < 300; i++) {
    const invoiceId = crypto.randomUUID();
    const at = nine + i * 60_000;
    const total = 40_000 + (i % 7) * 2_500;
    const tip = i % 3 === 0 ? 6_000 : 0;
    statements.push(
      { sql: "insert into invoices (id, organization_id, location_id, patient_id, number, status, tax_mode, subtotal_cents, discount_cents, tax_cents, tip_cents, total_cents, paid_cents, refunded_cents, created_at, issued_at, paid_at) values (?, ?, ?, ?, ?, ?, 'exclusive', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", args: [invoiceId, organizationId, locationId, patients[i % patients.length], top + 1 + i, i % 25 === 0 ? "partially_refunded" : "paid", total - tip - 1_000, i % 5 === 0 ? 2_000 : 0, 1_000 + (i % 5 === 0 ? 2_000 : 0), tip, total, total, i % 25 === 0 ? 5_000 : 0, at, at, at] },
      { sql: "insert into payments (id, organization_id, location_id, invoice_id, method, amount_cents, tendered_cents, change_cents, processor, client_key, created_at) values (?, ?, ?, ?, 'cash', 10000, 10000, 0, 'none', ?, ?)", args: [crypto.randomUUID(), organizationId, locationId, invoiceId, crypto.randomUUID(), at] },
      { sql: "insert into payments (id, organization_id, location_id, invoice_id, method, amount_cents, processor, card_brand, card_last4, auth_code, client_key, created_at) values (?, ?, ?, ?, 'card', ?, 'clinic_terminal', 'visa', '4242', 'BENCH', ?, ?)", args: [crypto.randomUUID(), organizationId, locationId, invoiceId, total - 10_000, crypto.randomUUID(), at + 1] },
      ...(tip ? [{ sql: "insert into invoice_tips (invoice_id, provider_id, organization_id, cents) values (?, ?, ?, ?)", args: [invoiceId, String(provider.id), organizationId, tip] }] : []),
    );
  }
  await client.batch(statements, "write");
  // Refunds on every 25th invoice (to its cash payment).
  await client.execute({ sql: "insert into refunds (id, organization_id, location_id, invoice_id, payment_id, method, amount_cents, reason, processor, client_key, created_at) select lower(hex(randomblob(16))), organization_id, location_id, invoice_id, id, 'cash', 5000, 'Bench refund', 'none', lower(hex(randomblob(16))), created_at + 1000 from payments where method = 'cash' and invoice_id in (select id from invoices where location_id = ? and status = 'partially_refunded' and created_at >= ?)", args: [locationId, nine] });
  client.close();

  const browser = new Client(server.app.url);
  await browser.signIn("frontdesk@lumen.example");
  const times: number[] = [];
  for (let i = 0; i < total + 20; i++) {
    const res = await browser.get(`/checkout?date=${day}`);
    const html = await res.text();
    if (res.status !== 200 || !html.includes(`#${top + 300} · `)) throw new Error(`the day report answered ${res.status} without the day's invoices`);
    if (i >= 20) times.push(Number(/app;dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "")?.[1] ?? NaN));
  }
  times.sort((a, b) => a - b);
  return { name: "end-of-day", unit: "ms", p50: percentile(times, 0.5), p95: percentile(times, 0.95), invoices: 300, payments: 600, reports: total, target: { p95: 50 } };
}
