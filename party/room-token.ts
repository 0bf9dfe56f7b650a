/**
 * Short-lived room tokens: base64url(JSON claims) + "." + base64url(HMAC-SHA256).
 * Issued by the app, verified by the room; WebCrypto only, so both runtimes share it.
 */
export interface RoomClaims {
  userId: string;
  /** A one-way tag of the app session that asked for it: ending that session drops the socket. */
  sid: string;
  organizationId: string;
  locationId: string;
  role: string;
  exp: number;
  /** A screen patients can see: the room sends it initials only. */
  privacy?: boolean;
}

const enc = new TextEncoder();
const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromB64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

async function hmac(secret: string, data: string) {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(data)));
}

/** Constant-time comparison of two strings (lengths are not secret here: both are fixed-size MACs). */
export function sameSecret(a: string, b: string) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Two secrets from the one the app and the room share (PARTY_SECRET): a bearer key the app sends
 * with each publish, and a key that signs connection tokens and never travels. Knowing one (the
 * publish key crosses the network on every update) tells nothing about the other.
 */
const derived = new Map<string, Promise<{ publish: string; token: string }>>();
export function roomSecrets(shared: string) {
  let keys = derived.get(shared);
  if (!keys) {
    keys = Promise.all([hmac(shared, "atrium:party:publish:v1"), hmac(shared, "atrium:party:token:v1")]).then(([publish, token]) => ({ publish: b64url(publish), token: b64url(token) }));
    derived.set(shared, keys);
  }
  return keys;
}

/** The tag a token carries for an app session (its id is a credential; the tag is not). */
export async function sessionTag(sessionId: string) {
  return b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(`atrium-session:${sessionId}`)))).slice(0, 22);
}

export async function signRoomToken(claims: RoomClaims, secret: string) {
  const payload = b64url(enc.encode(JSON.stringify(claims)));
  return `${payload}.${b64url(await hmac(secret, payload))}`;
}

export async function verifyRoomToken(token: string, secret: string, nowMs: number): Promise<RoomClaims | null> {
  const [payload, signature] = token.split(".");
  if (!payload || !signature) return null;
  if (!sameSecret(b64url(await hmac(secret, payload)), signature)) return null;
  try {
    const claims = JSON.parse(new TextDecoder().decode(fromB64url(payload))) as RoomClaims;
    return claims.exp * 1000 > nowMs ? claims : null;
  } catch {
    return null;
  }
}
