import type { AppEnv } from "./env.server";

/**
 * One public origin builds every link Atrium sends (APP_ORIGIN); requests are served only for
 * host names the clinic configured, so a forged Host header can neither poison a link nor pass
 * the cross-origin check. By default the loopback names are served beside the origin's own host
 * (a proxy on the same machine, a browser at 127.0.0.1); APP_HOSTS replaces that list.
 */
export const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"] as const;

const servedByEnv = new WeakMap<AppEnv, Set<string>>();
export function servedHostnames(env: AppEnv): Set<string> {
  let set = servedByEnv.get(env);
  if (!set) {
    const extra = env.APP_HOSTS ? env.APP_HOSTS.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean) : LOOPBACK_HOSTS;
    set = new Set([...(env.APP_ORIGIN ? [new URL(env.APP_ORIGIN).hostname] : []), ...extra]);
    servedByEnv.set(env, set);
  }
  return set;
}

/** True when the request names a host this deployment serves. */
export function isServedHost(env: AppEnv, requestUrl: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(requestUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  return servedHostnames(env).has(hostname);
}

/** The configured public origin; each runtime entry makes sure there is one before serving. */
export function publicOrigin(env: AppEnv): string {
  if (!env.APP_ORIGIN) throw new Error("APP_ORIGIN is not configured: links cannot be built.");
  return env.APP_ORIGIN;
}

/** An absolute link on the public origin. */
export function publicLink(env: AppEnv, path: string): string {
  return new URL(path, publicOrigin(env)).toString();
}

/** Secure cookies and HSTS follow the origin the clinic serves, not NODE_ENV. */
export function isHttpsOrigin(env: AppEnv): boolean {
  return (env.APP_ORIGIN ?? "").startsWith("https:");
}

export function misdirectedResponse() {
  return new Response("This address is not served here. Use the clinic's Atrium address.", {
    status: 421,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
