import type { AppEnv } from "../lib/env.server";

/**
 * A gift card's code is a bearer secret (ADR 035). It is found by an HMAC of the organization and
 * the code (so a database copy doesn't hand out spendable codes), and kept sealed with AES-GCM
 * only so the recipient's email and PDF can carry it when they are made. Both keys are derived
 * from SESSION_SECRET with their own labels.
 */
const encoder = new TextEncoder();
const keys = new WeakMap<AppEnv, Promise<{ mac: CryptoKey; seal: CryptoKey }>>();

function keysFor(env: AppEnv) {
  let k = keys.get(env);
  if (!k) {
    k = (async () => {
      const root = await crypto.subtle.importKey("raw", encoder.encode(env.SESSION_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const derive = async (label: string) => new Uint8Array(await crypto.subtle.sign("HMAC", root, encoder.encode(label)));
      const mac = await crypto.subtle.importKey("raw", await derive("atrium-gift-card-lookup:v1"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const seal = await crypto.subtle.importKey("raw", await derive("atrium-gift-card-seal:v1"), "AES-GCM", false, ["encrypt", "decrypt"]);
      return { mac, seal };
    })();
    keys.set(env, k);
  }
  return k;
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
const toB64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

export async function codeHash(env: AppEnv, organizationId: string, code: string) {
  const { mac } = await keysFor(env);
  return hex(new Uint8Array(await crypto.subtle.sign("HMAC", mac, encoder.encode(`${organizationId}:${code}`))));
}

export async function sealCode(env: AppEnv, code: string) {
  const { seal } = await keysFor(env);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return toB64(new Uint8Array([...iv, ...new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, seal, encoder.encode(code)))]));
}

export async function openCode(env: AppEnv, sealed: string) {
  const { seal } = await keysFor(env);
  const bytes = fromB64(sealed);
  return new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, 12) }, seal, bytes.slice(12)));
}
