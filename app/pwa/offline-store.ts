import { openDB, type DBSchema } from "idb";
import { open as unseal, seal, type Sealed } from "./offline-key";

/**
 * The tablet's own store (IndexedDB, via idb): each user's day as last synced, and an outbox of
 * changes made while offline, replayed in order with idempotency keys when the network is back.
 * Everything about patients is sealed with the user's offline key (ADR 018); what stays readable
 * is whose record it is and when it was made. A queued change is replayed only under the session
 * of the user who made it; others' changes wait for them.
 */
export interface SavedDay {
  savedAt: number;
  providerName: string;
  locationName: string;
  items: { id: string; time: string; patient: string; serviceName: string; status: string }[];
}

export interface QueuedChange {
  url: string;
  fields: [string, string][];
  label: string;
}

export interface OutboxEntry extends QueuedChange {
  id: number;
  /** Made on the tablet; the server applies each key once. */
  key: string;
  userId: string;
  createdAt: number;
}

interface StoredDay extends Sealed {
  userId: string;
  savedAt: number;
}

export interface StoredChange extends Sealed {
  id?: number;
  key: string;
  userId: string;
  createdAt: number;
  /** A chart change (ADR 029): which chart, and this device's number for it (one sequence per device and user). */
  encounterId?: string;
  seq?: number;
  /** A photo taken offline: its bytes, sealed apart from the change. */
  blob?: Sealed;
  /** Answered and set aside (a conflict to choose, a refusal to read): no longer sent. */
  settled?: "conflict" | "refused";
}

/** A chart as last opened online, sealed, for opening and editing it offline. */
export interface StoredChart extends Sealed {
  userId: string;
  encounterId: string;
  savedAt: number;
}

interface Schema extends DBSchema {
  days: { key: string; value: StoredDay };
  changes: { key: number; value: StoredChange; indexes: { byUser: string } };
  charts: { key: string; value: StoredChart; indexes: { byUser: string } };
  /** The device's id, and each user's last sequence number given out on it. */
  meta: { key: string; value: string | number };
}

export const openStore = () =>
  openDB<Schema>("atrium-offline", 3, {
    upgrade(db, oldVersion) {
      // Version 1 kept the day and the outbox in plain text, with no owner: gone, not migrated.
      if (oldVersion === 1) {
        for (const name of ["days", "outbox"]) if (db.objectStoreNames.contains(name as never)) db.deleteObjectStore(name as never);
      }
      if (oldVersion < 2) {
        db.createObjectStore("days");
        db.createObjectStore("changes", { keyPath: "id", autoIncrement: true }).createIndex("byUser", "userId");
      }
      // Version 3 (charting offline) adds charts and the device's sequence; queued changes are kept.
      db.createObjectStore("charts").createIndex("byUser", "userId");
      db.createObjectStore("meta");
    },
  });

export async function saveDay(key: CryptoKey, userId: string, day: SavedDay) {
  const sealed = await seal(key, day);
  await (await openStore()).put("days", { ...sealed, userId, savedAt: day.savedAt }, userId);
}

export async function loadDay(key: CryptoKey, userId: string): Promise<SavedDay | null> {
  const stored = await (await openStore()).get("days", userId);
  return stored ? unseal<SavedDay>(key, stored) : null;
}

export async function queueChange(key: CryptoKey, userId: string, change: QueuedChange & { key: string }) {
  const sealed = await seal(key, { url: change.url, fields: change.fields, label: change.label });
  await (await openStore()).add("changes", { ...sealed, key: change.key, userId, createdAt: Date.now() });
}

/** This user's waiting changes (opened), and how many other users have waiting. */
export async function pendingChanges(key: CryptoKey, userId: string): Promise<{ mine: OutboxEntry[]; others: number }> {
  const all = await (await openStore()).getAll("changes");
  const mine: OutboxEntry[] = [];
  for (const stored of all.filter((c) => c.userId === userId)) mine.push({ id: stored.id!, key: stored.key, userId, createdAt: stored.createdAt, ...(await unseal<QueuedChange>(key, stored)) });
  return { mine, others: all.length - mine.length };
}
