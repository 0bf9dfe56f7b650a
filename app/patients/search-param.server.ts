import { redirect } from "@remix-run/node";
import type { AppContext } from "../lib/context.server";

/**
 * What staff type to find a patient (a name, a phone number) never travels in a URL as itself:
 * the search form posts it, and the page it lands on carries it sealed (`s=`) with a key only this
 * session has (AES-GCM under an HMAC of the session id). History, proxies, the sign-in page's
 * redirectTo and shared screens see an opaque string; back, reload and paging still work.
 */
const encoder = new TextEncoder();
const MAX_QUERY = 100;

async function keyFor(ctx: Pick<AppContext, "env">, sessionId: string) {
  const mac = await crypto.subtle.importKey("raw", encoder.encode(ctx.env.SESSION_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const raw = await crypto.subtle.sign("HMAC", mac, encoder.encode(`atrium-search:v1:${sessionId}`));
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

const toB64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromB64 = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

export async function sealSearch(ctx: Pick<AppContext, "env">, sessionId: string, query: string) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await keyFor(ctx, sessionId), encoder.encode(query)));
  return toB64(new Uint8Array([...iv, ...sealed]));
}

/** The search a sealed `s` stands for; "" when absent, null when it isn't this session's (or is damaged). */
export async function openSearch(ctx: Pick<AppContext, "env">, sessionId: string, sealed: string | null): Promise<string | null> {
  if (!sealed) return "";
  if (sealed.length > 400 || !/^[A-Za-z0-9_-]+$/.test(sealed)) return null;
  try {
    const bytes = fromB64(sealed);
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, 12) }, await keyFor(ctx, sessionId), bytes.slice(12));
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}

/**
 * A search form's POST: answered with a redirect to `path` (its other parameters kept, paging reset)
 * carrying the search sealed. Too long a search is a 400 with a plain message.
 */
export async function searchRedirect(ctx: Pick<AppContext, "env">, sessionId: string, path: string, keep: URLSearchParams, rawQuery: FormDataEntryValue | null) {
  const query = String(rawQuery ?? "").trim();
  if (query.length > MAX_QUERY) throw new Response(`That search is too long: use up to ${MAX_QUERY} characters.`, { status: 400 });
  const params = new URLSearchParams(keep);
  for (const name of ["s", "q", "page"]) params.delete(name);
  if (query) params.set("s", await sealSearch(ctx, sessionId, query));
  const qs = params.toString();
  return redirect(`${path}${qs ? `?${qs}` : ""}`, { status: 303, headers: { "Cache-Control": "no-store" } });
}
