import { LARGE_APPOINTMENT_RANGE } from "../db/seed/generate";
import { addDays } from "../app/scheduling/local-time";
import { percentile } from "./large-data";
import type { benchServer } from "./http";

/** The staff day view (20 providers, ~200 appointments that day) under 20 concurrent requests. */
export async function benchSchedulePage(server: Awaited<ReturnType<typeof benchServer>>, total = 600, concurrency = 20) {
  const date = addDays(LARGE_APPOINTMENT_RANGE.fromDate, 1); // a Wednesday
  const path = `/schedule?date=${date}&view=provider`;
  const first = await server.desk.get(path);
  const html = await first.text();
  const appointmentsShown = (html.match(/href="\/appointments\/[\w-]+"/g) ?? []).length;
  if (first.status !== 200 || appointmentsShown < 150) throw new Error(`schedule page answered ${first.status} with ${appointmentsShown} appointments`);
  for (let i = 0; i < 40; i++) await (await server.desk.get(path)).arrayBuffer();
  const samples: number[] = [];
  const serverTimes: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t = performance.now();
        const res = await server.desk.get(path);
        await res.arrayBuffer();
        samples.push(performance.now() - t);
        serverTimes.push(Number(/app;dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "")?.[1] ?? NaN));
        if (res.status !== 200) throw new Error(`schedule page answered ${res.status}`);
      }
    }),
  );
  samples.sort((a, b) => a - b);
  serverTimes.sort((a, b) => a - b);
  // Headline: server time per request (Server-Timing). Client latency includes queueing behind the
  // 19 other requests on a single-threaded server, and is reported alongside.
  return { name: "schedule-page", unit: "ms", p50: percentile(serverTimes, 0.5), p95: percentile(serverTimes, 0.95), clientP50: percentile(samples, 0.5), clientP95: percentile(samples, 0.95), requests: samples.length, concurrency, appointmentsShown, providers: 20, htmlBytes: html.length, target: { p95: 15 } };
}
