import type { AppEnv } from "../lib/env.server";
import { publicLink } from "../lib/origin";
/**
 * Email unsubscribe links that need no table: the patient id and an HMAC of it under the
 * session secret. Anyone holding the link may turn that patient's emails off, and nothing else.
 */
const encoder = new TextEncoder();

function base64url(bytes: Uint8Array) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function mac(secret: string, patientId: string) {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return base64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`unsubscribe:${patientId}`))).slice(0, 24));
}

export async function unsubscribeToken(secret: string, patientId: string) {
  return `${base64url(encoder.encode(patientId))}.${await mac(secret, patientId)}`;
}

/** The patient id the token was made for, or null when it was not made with this secret. */
export async function verifyUnsubscribeToken(secret: string, token: string): Promise<string | null> {
  const match = /^([A-Za-z0-9_-]{1,120})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match) return null;
  let patientId: string;
  try {
    patientId = new TextDecoder().decode(Uint8Array.from(atob(match[1].replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
  const expected = await mac(secret, patientId);
  // Constant-time comparison of equal-length strings.
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ match[2].charCodeAt(i);
  return diff === 0 ? patientId : null;
}

export async function unsubscribeUrl(ctx: { env: AppEnv }, patientId: string) {
  return publicLink(ctx.env, `/unsubscribe/${await unsubscribeToken(ctx.env.SESSION_SECRET, patientId)}`);
}
