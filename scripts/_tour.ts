import { startWorker } from "../tests/helpers/worker-runtime";
import { TEMPLATE_DB } from "../tests/setup/paths";
import { workerTour, countRoundTrips } from "../bench/worker-tour";
const w = await startWorker(TEMPLATE_DB, { latencyMs: 20 });
try {
  const steps = await workerTour(w);
  const only = process.env.ONLY;
  const counts = await countRoundTrips(w, only ? steps.filter((s) => s.name.includes(only)) : steps);
  for (const c of counts) console.log(c.kind.padEnd(7), String(c.sequential).padStart(3), String(c.total).padStart(3), c.name);
} finally { await w.close(); }
process.exit(0);
