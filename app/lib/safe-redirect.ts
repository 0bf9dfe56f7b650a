/**
 * A redirect target is accepted only when it is plainly a path on our own origin. Browsers
 * strip tabs and newlines from URLs and read "\" as "/", so "/\t/evil.example" or "/\evil"
 * becomes "//evil.example" — another site. Anything with control characters, whitespace,
 * backslashes (raw or encoded), an encoded slash, or a leading "//" is refused outright; what
 * remains must parse, against a placeholder origin, to a path on that same origin.
 */
const BASE = "https://atrium.invalid";
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const FORBIDDEN = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff\\]|%(?:0[0-9a-f]|1[0-9a-f]|2f|5c|7f)/i;

export function safeRedirectPath(value: string | null | undefined): string | null {
  if (!value || value.length > 500) return null;
  if (!value.startsWith("/") || value.startsWith("//")) return null;
  if (FORBIDDEN.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  const path = url.pathname + url.search + url.hash;
  // Dot segments collapse during parsing ("/..//evil" → "//evil"): the result must be safe too.
  if (path.startsWith("//")) return null;
  return path;
}
