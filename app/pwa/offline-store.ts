import { openDB, type DBSchema } from "idb";

/**
 * The tablet's own store (IndexedDB, via idb): the provider's day as last synced, and an outbox
 * of changes made while offline, replayed in order with idempotency keys when the network is back.
 * The full offline charting will keep its drafts and queue here too.
 */
export interface SavedDay {
  savedAt: number;
  providerName: string;
  locationName: string;
  items: { id: string; time: string; patient: string; serviceName: string; status: string }[];
}

export interface OutboxEntry {
  id?: number;
  /** Made on the tablet; the server applies each key once. */
  key: string;
  url: string;
  fields: [string, string][];
  label: string;
  createdAt: number;
}

interface Schema extends DBSchema {
  days: { key: string; value: SavedDay };
  outbox: { key: number; value: OutboxEntry };
}

const open = () =>
  openDB<Schema>("atrium-offline", 1, {
    upgrade(db) {
      db.createObjectStore("days");
      db.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
    },
  });

export async function saveDay(day: SavedDay) {
  await (await open()).put("days", day, "provider-day");
}

export async function loadDay() {
  return (await (await open()).get("days", "provider-day")) ?? null;
}

export async function queueChange(entry: Omit<OutboxEntry, "id">) {
  await (await open()).add("outbox", entry);
}

export async function pendingChanges() {
  return (await open()).getAll("outbox");
}

/**
 * Sends queued changes oldest first, each at most until it gets an answer; stops at the first
 * network failure (the rest keep their order for the next try). Returns how many were sent.
 */
export async function replayOutbox(send: (entry: OutboxEntry) => Promise<"done" | "retry">) {
  const db = await open();
  let sent = 0;
  for (const entry of await db.getAll("outbox")) {
    if ((await send(entry)) === "retry") break;
    await db.delete("outbox", entry.id!);
    sent++;
  }
  return sent;
}
