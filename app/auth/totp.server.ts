import { Secret, TOTP } from "otpauth";
import { renderSVG } from "uqr";
import { randomToken, sha256Hex } from "./password.server";

const PERIOD = 30;

function totpFor(secretBase32: string, label = "Atrium") {
  return new TOTP({ issuer: "Atrium", label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) });
}

export function newTotpSecret() {
  return new Secret({ size: 20 }).base32;
}

export function otpauthUri(secretBase32: string, email: string) {
  return totpFor(secretBase32, email).toString();
}

export function qrSvg(uri: string) {
  return renderSVG(uri, { border: 2 });
}

/**
 * Accepts codes from the previous, current or next 30-second step, but never a step
 * at or before the last one accepted, so a code cannot be replayed.
 * Returns the accepted step, or null.
 */
export function verifyTotp(secretBase32: string, code: string, nowMs: number, lastStep: number | null): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpFor(secretBase32).validate({ token, timestamp: nowMs, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(nowMs / 1000 / PERIOD) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

export function generateTotp(secretBase32: string, nowMs: number) {
  return totpFor(secretBase32).generate({ timestamp: nowMs });
}

/** Ten one-time recovery codes, shown once; only their hashes are stored. */
export async function newRecoveryCodes() {
  const codes = Array.from({ length: 10 }, () => {
    const raw = randomToken(8).replace(/[-_]/g, "x").slice(0, 10).toLowerCase();
    return `${raw.slice(0, 5)}-${raw.slice(5, 10)}`;
  });
  const hashes = await Promise.all(codes.map((c) => sha256Hex(normalizeRecoveryCode(c))));
  return { codes, hashes };
}

export function normalizeRecoveryCode(code: string) {
  return code.trim().toLowerCase().replace(/[^a-z0-9]/g, "");
}
