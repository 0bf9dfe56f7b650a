// Another Atrium server in its own process, for tests that need two processes on one database
// file or a real restart: `tsx tests/helpers/server-process.ts` with DATABASE_URL (and the rest)
// in its environment (JOB_INTERVAL_MS runs the message job); prints "listening <url>" once it
// answers, and stops gracefully on SIGTERM, as `npm start` does.
import { parseEnv } from "../../app/lib/env.server";
import { startNodeServer } from "../../workers/node-server";

const env = parseEnv({ LOG_LEVEL: "silent", ...process.env, NODE_ENV: "test" });
const app = await startNodeServer({ env, port: Number(process.env.PORT ?? 0), jobIntervalMs: process.env.JOB_INTERVAL_MS ? Number(process.env.JOB_INTERVAL_MS) : undefined });
console.log(`listening ${app.url}`);
process.on("SIGTERM", () => void app.close().then(() => process.exit(0)));
