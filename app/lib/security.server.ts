import { takesUploads } from "./body-limits";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-origin mutations are refused before any action runs. Browsers send Origin on every
 * POST; a request with neither Origin nor Referer is refused too. The page may have been opened
 * at the configured origin or at another name this deployment serves (the Host was checked
 * against the configured list before this runs), so both are accepted; nothing else is.
 */
export function isCrossOriginMutation(request: Request, appOrigin: string): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  const accepted = new Set([appOrigin, new URL(request.url).origin]);
  const origin = request.headers.get("origin");
  if (origin && origin !== "null") return !accepted.has(origin);
  const referer = request.headers.get("referer");
  if (!referer) return true;
  try {
    return !accepted.has(new URL(referer).origin);
  } catch {
    return true;
  }
}

export function crossOriginResponse() {
  return new Response("Cross-origin form submissions are not accepted. Reload the page and try again.", {
    status: 403,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

export function createNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** Applied to every response from either runtime. */
export function applySecurityHeaders(
  headers: Headers,
  { nonce, https, partyOrigin, stripe = false }: { nonce?: string; https: boolean; partyOrigin?: string; stripe?: boolean },
) {
  // Stripe.js and its Payment Element's frames, only where Stripe is configured (as Stripe's CSP guide lists them).
  const stripeScripts = stripe ? " https://js.stripe.com https://*.js.stripe.com" : "";
  const scripts = (nonce ? `'self' 'nonce-${nonce}'` : "'self'") + stripeScripts;
  const connect = ["'self'", partyOrigin, partyOrigin?.replace(/^http/, "ws"), stripe ? "https://api.stripe.com" : null].filter(Boolean).join(" ");
  headers.set(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src ${scripts}`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      `connect-src ${connect}`,
      ...(stripe ? ["frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com"] : []),
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "object-src 'none'",
    ].join("; "),
  );
  headers.set("X-Content-Type-Options", "nosniff");
  // A page whose URL carries a secret (a reset link, an invitation, an order link) asks for none.
  if (!headers.has("Referrer-Policy")) headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Permissions-Policy", "geolocation=(), microphone=(), payment=(self)");
  if (https) headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
}

/**
 * Every action reads a form: a mutation whose body is anything else (JSON, XML, no type at all) is
 * refused with 415 before an action would fail to parse it (a 500). Multipart is read only by the
 * upload routes, which answer a body that doesn't parse with 400. Webhooks are checked by the caller.
 */
export function isUnreadableSubmission(request: Request): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") return false;
  if (type === "multipart/form-data") return !takesUploads(new URL(request.url).pathname);
  // A bodiless POST (a button with no fields, sent by a script) reads as an empty form.
  return !(type === "" && (request.headers.get("content-length") ?? "0") === "0" && !request.body);
}

export function unreadableSubmissionResponse() {
  return new Response("Send this as a form (application/x-www-form-urlencoded or multipart/form-data).", {
    status: 415,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
