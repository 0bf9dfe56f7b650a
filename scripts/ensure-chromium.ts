// Finds Debian's Chromium for the Playwright suite, installing it with apt-get when we can
// (root on Debian). Never downloads a browser build of its own.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export function ensureChromium(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  const isDebian = existsSync("/etc/debian_version");
  if (isRoot && isDebian) {
    console.log("Chromium not found: installing Debian's package (apt-get install chromium)…");
    execFileSync("apt-get", ["update"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  }
  throw new Error(
    isDebian
      ? "Chromium is needed for the end-to-end tests. Install it with: sudo apt-get install chromium (or set CHROMIUM_PATH to a Chromium binary)."
      : "Chromium is needed for the end-to-end tests. Install Chromium with your system's package manager and set CHROMIUM_PATH to its binary.",
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ensureChromium());
}
