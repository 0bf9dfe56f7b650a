import { z } from "zod";

/**
 * The signing PIN (ADR 029): a provider signs a chart offline with a PIN checked on the tablet,
 * and the signature is applied when the chart syncs, after the server checks the same PIN again.
 * Both sides derive the same check value with WebCrypto (browser and Workers alike): PBKDF2-SHA256
 * of the PIN, salted by the user's id. It stays on the tablet only inside the chart it keeps,
 * sealed with the user's offline key (ADR 018).
 */
export const PIN_PATTERN = /^\d{6}$/;
const ITERATIONS = 210_000;

export async function pinCheck(userId: string, pin: string): Promise<string> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: new TextEncoder().encode(`atrium-signing-pin:v1:${userId}`), iterations: ITERATIONS }, material, 256);
  return btoa(String.fromCharCode(...new Uint8Array(bits)));
}

/** Compared without stopping at the first difference. */
export function sameCheck(a: string, b: string) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** A PIN anyone would guess first is refused. */
export function weakPin(pin: string) {
  return /^(\d)\1{5}$/.test(pin) || "0123456789".includes(pin) || "9876543210".includes(pin);
}

export const SigningPinSchema = z
  .object({
    pin: z.string({ message: "Enter six digits." }).regex(PIN_PATTERN, "Enter six digits.").refine((p) => !weakPin(p), "Choose digits that are harder to guess (not a run or one digit repeated)."),
    confirm: z.string({ message: "Enter the same six digits again." }),
    password: z.string({ message: "Enter your password to set a PIN." }).max(200),
  })
  .refine((v) => v.pin === v.confirm, { message: "The two PINs are not the same.", path: ["confirm"] });
