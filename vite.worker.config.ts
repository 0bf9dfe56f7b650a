import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";
import { buildOptions, remixOptions } from "./remix.config.js";
import { serviceWorker } from "./app/pwa/vite-plugin";

// The same Remix app, built for workerd: web-streams entry, Worker-safe libSQL client.
export default defineConfig(({ isSsrBuild }) => ({
  plugins: [tailwindcss(), remix({ ...remixOptions, buildDirectory: "build/worker" }), serviceWorker()],
  resolve: {
    alias: [
      { find: "~", replacement: new URL("./app", import.meta.url).pathname },
      // App code imports the Node adapter's helpers; the Worker gets the Cloudflare ones (same API).
      { find: /^@remix-run\/node$/, replacement: "@remix-run/cloudflare" },
      { find: /^.*\/entry\.server\.tsx$/, replacement: new URL("./workers/entry.worker.tsx", import.meta.url).pathname },
      // Workers have no SMTP sockets: email goes through SendGrid there (EMAIL_PROVIDER=sendgrid).
      { find: /^\.\/smtp-transport\.server$/, replacement: new URL("./workers/smtp-unavailable.ts", import.meta.url).pathname },
    ],
  },
  build: buildOptions({ isSsrBuild }),
  ssr: {
    target: "webworker",
    noExternal: true,
    resolve: { conditions: ["workerd", "worker", "browser"], externalConditions: ["workerd", "worker"] },
  },
}));
