import type { AppEnv } from "../lib/env.server";
import type { OfflineKeyGrant } from "./offline-key";

const encoder = new TextEncoder();

/**
 * The user's offline-data key: HMAC-SHA256 of their id under the server's secret, so it needs no
 * table and only a page signed in as that user can be given it. Patient data on a tablet is sealed
 * with it (app/pwa/offline-key.ts).
 */
export async function offlineKeyGrant(env: Pick<AppEnv, "SESSION_SECRET">, userId: string, now: number, idleMs: number): Promise<OfflineKeyGrant> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(env.SESSION_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`atrium-offline-data-key:v1:${userId}`)));
  const b64 = btoa(String.fromCharCode(...mac)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return { userId, key: b64, expiresAt: now + idleMs };
}
