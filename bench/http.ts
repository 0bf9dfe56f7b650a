import { copyFileSync, rmSync } from "node:fs";
import { parseEnv } from "../app/lib/env.server";
import { startNodeServer } from "../workers/node-server";
import { Client } from "../tests/helpers/test-app";

/** The real Node server over a copy of the large data set, with a signed-in front desk client. */
export async function benchServer(largeDb: string) {
  const file = `data/bench/run-${process.pid}.db`;
  copyFileSync(largeDb, file);
  const env = parseEnv({ NODE_ENV: "production", DATABASE_URL: `file:${file}`, SESSION_SECRET: "bench-secret-bench-secret-bench-secret-01", LOG_LEVEL: "silent" });
  // NODE_ENV=production for the code paths; the cookie's Secure flag is fine on loopback for fetch.
  const app = await startNodeServer({ env, port: 0 });
  const desk = new Client(app.url);
  await desk.signIn("frontdesk@lumen.example");
  return {
    app,
    desk,
    file,
    async close() {
      await app.close();
      for (const s of ["", "-wal", "-shm"]) rmSync(file + s, { force: true });
    },
  };
}
