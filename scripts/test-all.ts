// npm test — the whole suite, in order: typecheck, lint, build, unit + integration (Vitest),
// the Worker build, end-to-end (Playwright in Debian's Chromium). Stops at the first failure.
import { spawnSync } from "node:child_process";
import { ensureChromium } from "./ensure-chromium";

function run(title: string, cmd: string, args: string[], env: Record<string, string> = {}) {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`✖ ${title} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const chromium = ensureChromium();
run("Typecheck", "npx", ["tsc", "-p", "tsconfig.json", "--noEmit"]);
run("Lint", "npx", ["eslint", ".", "--max-warnings", "0"]);
run("Build (Node)", "npx", ["remix", "vite:build"], { NODE_ENV: "production" });
run("Build (Worker)", "npx", ["tsx", "scripts/build-worker.ts"]);
run("Unit and integration tests (TZ=UTC)", "npx", ["vitest", "run"], { TZ: "UTC" });
run("Time-zone-sensitive tests (TZ=Asia/Kolkata)", "npx", ["vitest", "run", "app/", "db/"], { TZ: "Asia/Kolkata" });
run("End-to-end tests (Chromium)", "npx", ["playwright", "test"], { CHROMIUM_PATH: chromium });
console.log("\nAll checks passed.");
