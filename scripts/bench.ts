// npm run bench — one JSON line per benchmark on standard output, nothing else there.
// Progress and notes go to standard error.
import { benchAvailability } from "../bench/availability";

const benchmarks: [string, () => object][] = [["availability", () => benchAvailability()]];

for (const [name, run] of benchmarks) {
  console.error(`running ${name}…`);
  process.stdout.write(`${JSON.stringify(run())}\n`);
}
