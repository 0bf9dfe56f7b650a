// A second Atrium server in its own process, for tests that need two processes on one database
// file: `tsx tests/helpers/server-process.ts` with DATABASE_URL (and the rest) in its environment;
// prints "listening <url>" once it answers.
import { parseEnv } from "../../app/lib/env.server";
import { startNodeServer } from "../../workers/node-server";

const env = parseEnv({ LOG_LEVEL: "silent", ...process.env, NODE_ENV: "test" });
const app = await startNodeServer({ env, port: 0 });
console.log(`listening ${app.url}`);
process.on("SIGTERM", () => void app.close().then(() => process.exit(0)));
