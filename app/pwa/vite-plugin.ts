import { build } from "esbuild";
import { injectManifest } from "workbox-build";
import type { Plugin } from "vite";

/**
 * Builds the service worker next to the client build: esbuild bundles app/pwa/sw.ts, then
 * Workbox injects the precache manifest (hashed assets, icons, the offline page). Runs once,
 * after the client bundle is written, for both the Node and the Worker builds.
 */
export function serviceWorker(): Plugin {
  let ssr = false;
  return {
    name: "atrium-service-worker",
    apply: "build",
    configResolved(config) {
      ssr = Boolean(config.build.ssr);
    },
    async writeBundle(options) {
      if (ssr || !options.dir) return;
      const swDest = `${options.dir}/sw.js`;
      const swSrc = `${options.dir}/../sw.src.js`;
      // Not minified: Workbox looks for the literal `self.__WB_MANIFEST` to replace.
      await build({ entryPoints: [new URL("./sw.ts", import.meta.url).pathname], bundle: true, format: "iife", outfile: swSrc, target: "es2020", define: { "process.env.NODE_ENV": '"production"' }, logLevel: "warning" });
      // The offline page's own script, precached with it.
      await build({ entryPoints: [new URL("./offline-page.ts", import.meta.url).pathname], bundle: true, format: "iife", minify: true, outfile: `${options.dir}/offline.js`, target: "es2020", logLevel: "warning" });
      const { count, warnings } = await injectManifest({
        swSrc,
        swDest,
        globDirectory: options.dir,
        globPatterns: ["assets/**/*.{js,css}", "offline.html", "offline.js", "manifest.webmanifest", "favicon.svg", "icons/*.png"],
        // Vite's file names carry content hashes already.
        dontCacheBustURLsMatching: /^assets\//,
      });
      for (const w of warnings) this.warn(w);
      this.info?.(`service worker: ${count} files precached`);
    },
  };
}
