// npm run build:worker — the Remix app built for workerd, then bundled with its Worker entry
// by wrangler (no deploy): dist/worker/worker.js plus the static assets in build/worker/client.
import { spawnSync } from "node:child_process";

function run(cmd: string, args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST")));
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...env, NODE_ENV: "production", WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true" } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run("npx", ["remix", "vite:build", "--config", "vite.worker.config.ts"]);
run("npx", ["wrangler", "deploy", "--dry-run", "--outdir", "dist/worker"]);
console.log("Worker bundle: dist/worker/worker.js; assets: build/worker/client");
