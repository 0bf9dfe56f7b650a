import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { NODE_BUILD_DIR } from "../workers/node-server";
import type { benchServer } from "./http";

/**
 * The JavaScript a patient's phone downloads for the booking pages (`/book/<org>`, one route for
 * every step): each module the page preloads or imports, gzip-compressed as the server sends it.
 * `floor` is what every page of a Remix app loads before any of ours (the entry and the framework
 * chunk: React, React DOM, React Router, Remix), measured from the same build.
 */
export async function benchBookingJs(server: Awaited<ReturnType<typeof benchServer>>) {
  const html = await (await server.desk.request("/book/lumen", { headers: { cookie: "" } })).text();
  const modules = new Set([...html.matchAll(/<link rel="modulepreload" href="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]));
  for (const m of html.matchAll(/import\("(\/assets\/[^"]+\.js)"\)/g)) modules.add(m[1]);
  const gz = (path: string) => gzipSync(readFileSync(`${NODE_BUILD_DIR}/client${path}`)).length;
  const sizes = [...modules].map((path) => ({ path, kb: gz(path) / 1024 }));
  const total = sizes.reduce((sum, s) => sum + s.kb, 0);
  const manifestPath = [...modules].find((p) => p.includes("/manifest-")) ?? /"url":\s*"(\/assets\/manifest-[^"]+\.js)"/.exec(html.replace(/\\"/g, "\""))?.[1];
  const manifestText = manifestPath ? readFileSync(`${NODE_BUILD_DIR}/client${manifestPath}`, "utf8") : "";
  const manifest = manifestText ? (JSON.parse(manifestText.slice(manifestText.indexOf("{"), manifestText.lastIndexOf("}") + 1)) as { entry: { module: string; imports: string[] } }) : null;
  const floor = manifest ? [manifest.entry.module, ...manifest.entry.imports].reduce((sum, p) => sum + gz(p), 0) / 1024 : NaN;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { name: "booking-js", unit: "KB gzip", value: round(total), floor: round(floor), modules: sizes.length, largest: sizes.sort((a, b) => b.kb - a.kb).slice(0, 3).map((s) => `${s.path.replace("/assets/", "")} ${round(s.kb)}`), target: { value: 90 } };
}
