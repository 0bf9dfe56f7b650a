/**
 * The key that opens this user's offline data on a shared tablet (ADR 018). The server derives
 * one per user and gives it only to that user's signed-in pages; the tablet keeps it beside the
 * data only until the user signs out, another user signs in, or the session's idle time passes.
 * Without it, what IndexedDB holds (the day, queued changes) is AES-GCM ciphertext.
 */
import { forgetChartShell } from "./chart-shell";

const STORAGE_KEY = "atrium-offline-key";

export interface OfflineKeyGrant {
  userId: string;
  /** base64url of 32 random-looking bytes (HMAC of the user id under the server's secret). */
  key: string;
  /** When the tablet stops using it without a fresh sign-in (the session's idle timeout). */
  expiresAt: number;
}

function read(): OfflineKeyGrant | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as OfflineKeyGrant) : null;
  } catch {
    return null;
  }
}

export function rememberOfflineKey(grant: OfflineKeyGrant) {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(grant));
}

/** Signed out, session over, or someone else signed in: the tablet forgets the key. */
export function forgetOfflineKey() {
  forgetChartShell();
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage unavailable: there was nothing to forget.
  }
}

/**
 * On every signed-in page: keeps the key only for the user now signed in, for another idle period
 * (activity anywhere in the app counts, as it does for the session).
 */
export function confirmOfflineKeyOwner(userId: string, idleMs: number) {
  const grant = read();
  if (!grant) return;
  if (grant.userId !== userId) return forgetOfflineKey();
  rememberOfflineKey({ ...grant, expiresAt: Date.now() + idleMs });
}

/** The key for the user whose data may be shown now, or null (none, or expired: then forgotten). */
export async function currentOfflineKey(): Promise<{ userId: string; key: CryptoKey } | null> {
  const grant = read();
  if (!grant) return null;
  if (grant.expiresAt <= Date.now()) {
    forgetOfflineKey();
    return null;
  }
  const bytes = Uint8Array.from(atob(grant.key.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  return { userId: grant.userId, key: await crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]) };
}

export interface Sealed {
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
}

export async function seal(key: CryptoKey, value: unknown): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return { iv, data: await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(JSON.stringify(value))) };
}

export async function open<T>(key: CryptoKey, sealed: Sealed): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, key, sealed.data))) as T;
}

/** A photo's bytes, sealed as they are (no JSON, no base64). */
export async function sealBytes(key: CryptoKey, bytes: Uint8Array<ArrayBuffer>): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return { iv, data: await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, bytes) };
}

export async function openBytes(key: CryptoKey, sealed: Sealed): Promise<ArrayBuffer> {
  return crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, key, sealed.data);
}
