/**
 * Short-lived room tokens: base64url(JSON claims) + "." + base64url(HMAC-SHA256).
 * Issued by the app, verified by the room; WebCrypto only, so both runtimes share it.
 */
export interface RoomClaims {
  userId: string;
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

export async function signRoomToken(claims: RoomClaims, secret: string) {
  const payload = b64url(enc.encode(JSON.stringify(claims)));
  return `${payload}.${b64url(await hmac(secret, payload))}`;
}

export async function verifyRoomToken(token: string, secret: string, nowMs: number): Promise<RoomClaims | null> {
  const [payload, signature] = token.split(".");
  if (!payload || !signature) return null;
  const expected = b64url(await hmac(secret, payload));
  if (expected.length !== signature.length) return null;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ signature.charCodeAt(i);
  if (diff !== 0) return null;
  try {
    const claims = JSON.parse(new TextDecoder().decode(fromB64url(payload))) as RoomClaims;
    return claims.exp * 1000 > nowMs ? claims : null;
  } catch {
    return null;
  }
}
