import { openDatabase } from "../db/client";
import { LARGE_APPOINTMENT_RANGE } from "../db/seed/generate";
import { addDays } from "../app/scheduling/local-time";
import { percentile } from "./large-data";
import type { benchServer } from "./http";

/**
 * The staff day view (20 providers, ~200 appointments that day) under 20 concurrent requests.
 * Headline p50/p95: server time per request. The computed view is cached until anything on it
 * changes (docs/decisions/011-day-view.md), so the figures for a freshly invalidated view are
 * reported alongside as uncachedP50/uncachedP95.
 */
/** As a browser asks (brotli first): the page's compression is part of what the desk waits for. */
const AS_A_BROWSER = { headers: { "accept-encoding": "br, gzip, deflate" } };

export async function benchSchedulePage(server: Awaited<ReturnType<typeof benchServer>>, total = 600, concurrency = 20) {
  const date = addDays(LARGE_APPOINTMENT_RANGE.fromDate, 1); // a Wednesday, ahead of the clock
  const path = `/schedule?date=${date}&view=provider`;
  const first = await server.desk.request(path, AS_A_BROWSER);
  const html = await first.text();
  const appointmentsShown = (html.match(/href="\/appointments\/[\w-]+"/g) ?? []).length;
  if (first.status !== 200 || appointmentsShown < 150) throw new Error(`schedule page answered ${first.status} with ${appointmentsShown} appointments`);
  // The desk's page has its open times as booking links; a day that has passed has none, and would
  // be a lighter page than anyone waits for.
  const openCells = (html.match(/href="\/schedule\/new\?[^"]*time=/g) ?? []).length;
  if (openCells < 100) throw new Error(`schedule page shows ${openCells} open times to book: the data set's day has passed`);
  // Warm up the JIT and the page caches first, as a server that has been running would be.
  const { samples, serverTimes, queueTimes } = await timedRequests(server, path, { warmUp: 200, total, concurrency });
  // The floor in the same run: a signed-in page with little on it (the account page: the session,
  // the shell, the audit-free render), asked for the same way. What the machine and the frame cost
  // whatever the page, so figures from machines of different speeds can be read side by side.
  const { serverTimes: floor } = await timedRequests(server, "/account", { warmUp: 50, total: 300, concurrency });
  // The same page when its cached view was just invalidated (as after any booking or check-in):
  // a write bumps the location's schedule version before each request.
  const { client } = openDatabase(`file:${server.file}`);
  const cold: number[] = [];
  for (let i = 0; i < 60; i++) {
    await client.execute("update locations set schedule_version = schedule_version + 1 where name = 'Lumen Midtown'");
    const res = await server.desk.request(path, AS_A_BROWSER);
    await res.arrayBuffer();
    cold.push(Number(/app;dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "")?.[1] ?? NaN));
  }
  client.close();
  cold.sort((a, b) => a - b);
  // Headline: server time per request (Server-Timing app;dur: from admission to the response). The
  // wait at the admission gate behind the 19 other requests (queue;dur) and the latency the client
  // saw are reported alongside; with one event loop, 20 at once must queue somewhere.
  return { name: "schedule-page", unit: "ms", p50: percentile(serverTimes, 0.5), p95: percentile(serverTimes, 0.95), queueP50: percentile(queueTimes, 0.5), queueP95: percentile(queueTimes, 0.95), uncachedP50: percentile(cold, 0.5), uncachedP95: percentile(cold, 0.95), floorP50: percentile(floor, 0.5), floorP95: percentile(floor, 0.95), clientP50: percentile(samples, 0.5), clientP95: percentile(samples, 0.95), requests: samples.length, concurrency, appointmentsShown, openCells, providers: 20, htmlBytes: html.length, target: { p95: 15 } };
}

/** `total` requests for `path`, `concurrency` at a time, after `warmUp` one by one: each sorted, in ms. */
async function timedRequests(server: Awaited<ReturnType<typeof benchServer>>, path: string, { warmUp, total, concurrency }: { warmUp: number; total: number; concurrency: number }) {
  for (let i = 0; i < warmUp; i++) await (await server.desk.request(path, AS_A_BROWSER)).arrayBuffer();
  const samples: number[] = [];
  const serverTimes: number[] = [];
  const queueTimes: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t = performance.now();
        const res = await server.desk.request(path, AS_A_BROWSER);
        await res.arrayBuffer();
        samples.push(performance.now() - t);
        const timing = res.headers.get("server-timing") ?? "";
        serverTimes.push(Number(/app;dur=([\d.]+)/.exec(timing)?.[1] ?? NaN));
        queueTimes.push(Number(/queue;dur=([\d.]+)/.exec(timing)?.[1] ?? 0));
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      }
    }),
  );
  const sorted = (list: number[]) => list.sort((a, b) => a - b);
  return { samples: sorted(samples), serverTimes: sorted(serverTimes), queueTimes: sorted(queueTimes) };
}
