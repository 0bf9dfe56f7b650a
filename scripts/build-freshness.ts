import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when `output` exists and is newer than every source the builds read. */
export function isBuildFresh(root: string, output: string) {
  const out = join(root, output);
  if (!existsSync(out)) return false;
  const sources = ["app", "db/schema", "workers"].map((d) => join(root, d)).filter(existsSync);
  return statSync(out).mtimeMs > Math.max(...sources.map(newestMtime));
}
