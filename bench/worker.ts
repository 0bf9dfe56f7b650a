import { Temporal } from "temporal-polyfill";
import { startWorker } from "../tests/helpers/worker-runtime";
import { deskBookingFields } from "../tests/helpers/booking-fixtures";
import { ROLE_EMAILS } from "../tests/helpers/test-app";
import { ensureTemplateDatabase, ensureWorkerBuild } from "../tests/setup/template-db";
import { TEMPLATE_DB } from "../tests/setup/paths";
import { percentile } from "./large-data";
import { countRoundTrips, databaseIdle, workerTour } from "./worker-tour";

/** What a database round trip costs from a Worker to Turso in these benchmarks (the figure). */
const ROUND_TRIP_MS = 20;

async function worker() {
  ensureWorkerBuild();
  await ensureTemplateDatabase();
  return startWorker(TEMPLATE_DB, { latencyMs: ROUND_TRIP_MS });
}

/**
 * worker-roundtrips: the built Worker in workerd, its database over the Hrana test endpoint. Every
 * page and every action of the Worker tour (bench/worker-tour.ts), with the database round trips
 * each made in all and one after another. Headline: the most one after another of any page and of
 * any action (targets 2 and 3).
 */
export async function benchWorkerRoundTrips() {
  const w = await worker();
  try {
    const counts = await countRoundTrips(w, await workerTour(w), { remeasurePagesOver: 2 });
    // Headlines over the usual steps; a run of outbox changes has its own budget (1 + 2 per change) and is listed in routes.
    const max = (kind: "page" | "action") => Math.max(...counts.filter((c) => c.kind === kind && c.budget === undefined).map((c) => c.sequential));
    return {
      name: "worker-roundtrips",
      maxPage: max("page"),
      maxAction: max("action"),
      steps: counts.length,
      injectedMs: ROUND_TRIP_MS,
      routes: counts.map((c) => ({ step: c.name, kind: c.kind, route: c.route, sequential: c.sequential, total: c.total })),
    };
  } finally {
    await w.close();
  }
}

/**
 * worker-latency: time to answer, seen by the client, with 20 ms per database round trip, for the
 * day view, the board and the appointment page, a booking and a status change (redirect not
 * followed). Each is sent `rounds` times, one at a time. Headline: p95 of the pages together and of
 * the actions together (targets < 80 ms and < 120 ms). The same requests against a second Worker
 * with no injected latency, interleaved round by round, give the floor of this test rig (workerd,
 * miniflare's proxy and the Hrana harness on one shared machine): what the round trips add is the
 * difference.
 */
export async function benchWorkerLatency(rounds = 40) {
  ensureWorkerBuild();
  await ensureTemplateDatabase();
  const rigs = [await latencyRig(ROUND_TRIP_MS, rounds), await latencyRig(0, rounds)];
  try {
    for (let i = 0; i < rounds; i++) for (const rig of rigs) await rig.round(i);
    const [timed, floor] = rigs.map((rig) => rig.summary());
    return { name: "worker-latency", pageP95: timed.pageP95, actionP95: timed.actionP95, floorPageP95: floor.pageP95, floorActionP95: floor.actionP95, injectedMs: ROUND_TRIP_MS, rounds, routes: timed.routes, floorRoutes: floor.routes };
  } finally {
    for (const rig of rigs) await rig.close();
  }
}

async function latencyRig(latencyMs: number, rounds: number) {
  const w = await startWorker(TEMPLATE_DB, { latencyMs });
  const desk = await w.signIn(ROLE_EMAILS.front_desk);
  const { fields } = await deskBookingFields("09:00", 8);
  // Bookings to time (one per free hour over the coming weeks), and visits to check in.
  const slots: { date: string; time: string }[] = [];
  let day = Temporal.PlainDate.from(fields.date);
  while (slots.length < rounds * 2) {
    if (day.dayOfWeek <= 5) for (const time of ["09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"]) slots.push({ date: day.toString(), time });
    day = day.add({ days: 1 });
  }
  const visits: string[] = [];
  for (const slot of slots.slice(rounds)) {
    const res = await w.post("/schedule/new", { ...fields, ...slot }, desk);
    if (res.status !== 302) throw new Error(`booking a visit to check in answered ${res.status}`);
    visits.push(res.headers.get("location")!);
  }
  await databaseIdle(w);
  const kinds = {
    "day view": { kind: "page", send: () => w.send(`/schedule?date=${fields.date}`, { headers: { cookie: desk } }), expect: 200 },
    board: { kind: "page", send: () => w.send("/board", { headers: { cookie: desk } }), expect: 200 },
    appointment: { kind: "page", send: (i: number) => w.send(visits[i], { headers: { cookie: desk } }), expect: 200 },
    // Actions as the app sends them (single fetch): a redirect is answered 202, not followed.
    booking: { kind: "action", send: (i: number) => w.post("/schedule/new.data", { ...fields, ...slots[i] }, desk), expect: 202 },
    // The visits are days ahead, so the desk has answered "check in anyway?" (issue 10): the same write.
    "status change": { kind: "action", send: (i: number) => w.post(`${visits[i]}.data`, { intent: "status", to: "checked_in", confirmEarly: "1" }, desk), expect: 202 },
  } as const;
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const of = (kind: "page" | "action") => Object.entries(kinds).filter(([, k]) => k.kind === kind).flatMap(([name]) => samples[name]);
  return {
    async round(i: number) {
      for (const [name, k] of Object.entries(kinds)) {
        const started = performance.now();
        const res = await k.send(i);
        await res.arrayBuffer();
        samples[name].push(performance.now() - started);
        if (res.status !== k.expect) throw new Error(`${name} answered ${res.status}`);
        // Work after the answer (audits, offers) is not the next request's wait.
        await databaseIdle(w, 30);
      }
    },
    summary: () => ({
      pageP95: percentile(sorted(of("page")), 0.95),
      actionP95: percentile(sorted(of("action")), 0.95),
      routes: Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, { p50: percentile(sorted(values), 0.5), p95: percentile(sorted(values), 0.95) }])),
    }),
    close: () => w.close(),
  };
}
