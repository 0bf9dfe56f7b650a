// The Node server for the HTTP benchmarks, in its own process (as in production), so the load
// generator's own work never shares the server's event loop. Prints its URL on stdout.
import { parseEnv } from "../app/lib/env.server";
import { startNodeServer } from "../workers/node-server";

const file = process.argv[2];
const env = parseEnv({ NODE_ENV: "production", DATABASE_URL: `file:${file}`, SESSION_SECRET: "bench-secret-bench-secret-bench-secret-01", LOG_LEVEL: "silent", PARTY_URL: process.env.BENCH_PARTY_URL, PARTY_SECRET: process.env.BENCH_PARTY_SECRET });
const app = await startNodeServer({ env, port: 0 });
process.stdout.write(`${app.url}\n`);
const stop = () => void app.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
