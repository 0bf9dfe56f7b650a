import { benchServer } from "./http";
import { ensureLargeData } from "./large-data";
import { percentile } from "./large-data";
const server = await benchServer(await ensureLargeData());
try {
  for (const path of [process.argv[2] ?? "/account"]) {
    for (let i = 0; i < 30; i++) await (await server.desk.get(path)).text();
    const t: number[] = [];
    for (let i = 0; i < Number(process.env.N ?? 200); i++) { const r = await server.desk.get(path); await r.text(); t.push(Number(/app;dur=([\d.]+)/.exec(r.headers.get("server-timing") ?? "")?.[1])); }
    t.sort((a, b) => a - b);
    console.log(path, "p50", percentile(t, 0.5), "p95", percentile(t, 0.95));
  }
} finally { await server.close(); }
