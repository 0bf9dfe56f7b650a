// The one place the Remix options live. vite.config.ts (Node build) and
// vite.worker.config.ts (Cloudflare Worker build) both import it.
/** @type {import("@remix-run/dev").VitePluginConfig} */
export const remixOptions = {
  appDirectory: "app",
  ignoredRouteFiles: ["**/*.test.*", "**/.*"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};

export default remixOptions;
