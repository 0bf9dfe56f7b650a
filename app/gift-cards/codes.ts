/**
 * Gift card codes (ADR 035): 15 random symbols from Crockford's base32 (75 bits — unguessable)
 * and a check symbol (Luhn mod 32), printed as XXXX-XXXX-XXXX-XXXX. The check symbol catches any
 * single mistyped symbol and most swapped neighbours before the code is looked up, so a typo is
 * told as a typo and never counts as a guess. Reading is forgiving as Crockford intends: case,
 * spaces and dashes don't matter; O reads as 0, I and L as 1.
 */
export const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const N = ALPHABET.length;
export const RANDOM_SYMBOLS = 15;

function checkSymbol(body: string): string {
  // Luhn mod N: from the right, every second symbol's value is doubled (and its digits summed in base N).
  let sum = 0;
  let factor = 2;
  for (let i = body.length - 1; i >= 0; i--) {
    let addend = factor * ALPHABET.indexOf(body[i]);
    addend = Math.floor(addend / N) + (addend % N);
    sum += addend;
    factor = factor === 2 ? 1 : 2;
  }
  return ALPHABET[(N - (sum % N)) % N];
}

export function generateCode(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  // Rejection sampling keeps every symbol equally likely (256 is a multiple of 32, so none is rejected).
  const bytes = random(RANDOM_SYMBOLS);
  const body = [...bytes].map((b) => ALPHABET[b % N]).join("");
  return body + checkSymbol(body);
}

/** The code as typed, made canonical: upper case, separators gone, O→0, I/L→1. */
export function normalizeCode(typed: string): string {
  return typed
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
}

export type CodeCheck = { ok: true; code: string } | { ok: false; reason: "shape" | "typo" };

export function checkCode(typed: string): CodeCheck {
  const code = normalizeCode(typed);
  if (code.length !== RANDOM_SYMBOLS + 1 || [...code].some((c) => !ALPHABET.includes(c))) return { ok: false, reason: "shape" };
  return checkSymbol(code.slice(0, -1)) === code.slice(-1) ? { ok: true, code } : { ok: false, reason: "typo" };
}

/** "7K2M-9QXD-4RTW-8PHA" */
export const formatCode = (code: string) => code.match(/.{1,4}/g)!.join("-");
export const lastFour = (code: string) => code.slice(-4);
