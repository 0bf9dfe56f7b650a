import { spawn } from "node:child_process";
import { copyFileSync, rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { Client } from "../tests/helpers/test-app";

/**
 * The real Node server (production mode) in a child process over a copy of the large data set,
 * and a signed-in front desk client. BENCH_PROFILE=1 writes a CPU profile of the server.
 */
export async function benchServer(largeDb: string, options: { party?: { url: string; secret: string } } = {}) {
  const file = `data/bench/run-${process.pid}.db`;
  copyFileSync(largeDb, file);
  const args = [...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(" ") : []), "--import", "tsx", ...(process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=data/bench/profiles"] : []), "bench/serve.ts", file];
  const env = { ...process.env, ...(options.party ? { BENCH_PARTY_URL: options.party.url, BENCH_PARTY_SECRET: options.party.secret } : {}) };
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"], env });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
    createInterface({ input: child.stdout }).once("line", resolve);
  });
  const desk = new Client(url);
  await desk.signIn("frontdesk@lumen.example");
  return {
    app: { url },
    desk,
    file,
    async close() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      for (const s of ["", "-wal", "-shm"]) rmSync(file + s, { force: true });
    },
  };
}
