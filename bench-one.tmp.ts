import { benchServer } from "./bench/http";
import { ensureLargeData, percentile } from "./bench/large-data";
import { LARGE_APPOINTMENT_RANGE } from "./db/seed/generate";
import { addDays } from "./app/scheduling/local-time";
const large = await ensureLargeData();
const server = await benchServer(large);
const date = addDays(LARGE_APPOINTMENT_RANGE.fromDate, 1);
for (const path of ["/account", `/schedule?date=${date}&view=provider`, "/healthz"]) {
  const t: number[] = [];
  for (let i = 0; i < 300; i++) { const r = await server.desk.request(path, { headers: { "accept-encoding": "br" } }); await r.arrayBuffer(); t.push(Number(/app;dur=([\d.]+)/.exec(r.headers.get("server-timing") ?? "")?.[1] ?? NaN)); }
  t.sort((a, b) => a - b); console.log(path.slice(0, 20), percentile(t.slice(100), 0.5), percentile(t.slice(100), 0.95));
}
await server.close(); process.exit(0);
