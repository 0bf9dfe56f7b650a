import { open as unseal, openBytes, seal, sealBytes } from "./offline-key";
import { openStore, type StoredChange } from "./offline-store";
import { replayInRuns, verdictOf, type SyncAnswerBody, type Verdict } from "./outbox-replay";

/**
 * Charting offline (ADR 029): every chart change made with JavaScript goes into the tablet's
 * outbox first (sealed with the user's offline key, ADR 018), then is sent: saved on the device
 * before the network is tried, so a dropped Wi-Fi, a reload, a new service worker or a sign-out
 * loses nothing. Each chart change has this device's next number for its user; the server applies
 * them once and in order (POST /charts/:id/sync). The chart itself is kept sealed too, as last
 * opened online, with the provider's latest local draft, so it opens and edits offline.
 */
export interface KeptChart<Page = unknown> {
  page: Page;
  /** The revision the server last confirmed; each change is sent against it. */
  serverRevision: number;
  /** What the provider typed since, not yet confirmed by the server. */
  draft?: { rows: unknown[]; answersRaw: Record<string, string[]>; savedAt: number };
  savedAt: number;
}

export interface ChartChange {
  encounterId: string;
  intent: "save" | "sign" | "photo" | "consent";
  fields: [string, string][];
  label: string;
}

export interface PendingChange {
  id: number;
  encounterId?: string;
  label: string;
  createdAt: number;
  settled?: "conflict" | "refused";
  /** Why it was set aside, and for a conflict the other device's version. */
  answer?: { message: string; conflict?: unknown; errors?: Record<string, string> };
  photo?: { clientId: string; type: string; url?: string };
  /** A consent the patient signed on this tablet: which form. */
  consentTemplateId?: string;
}

const chartKey = (userId: string, encounterId: string) => `${userId}:${encounterId}`;

export async function deviceId(): Promise<string> {
  const db = await openStore();
  const tx = db.transaction("meta", "readwrite");
  let id = (await tx.store.get("device")) as string | undefined;
  if (!id) {
    id = `tablet-${crypto.randomUUID()}`;
    await tx.store.put(id, "device");
  }
  await tx.done;
  return id;
}

export async function keepChart<Page>(key: CryptoKey, userId: string, encounterId: string, page: Page, serverRevision: number) {
  const db = await openStore();
  const before = await db.get("charts", chartKey(userId, encounterId));
  const previous = before ? await unseal<KeptChart<Page>>(key, before).catch(() => null) : null;
  // A local draft not yet confirmed stays on top of the server's version until it is.
  const pending = (await pendingChanges(key, userId)).some((c) => c.encounterId === encounterId && !c.settled);
  const kept: KeptChart<Page> = { page, serverRevision, draft: pending ? previous?.draft : undefined, savedAt: Date.now() };
  await db.put("charts", { ...(await seal(key, kept)), userId, encounterId, savedAt: kept.savedAt }, chartKey(userId, encounterId));
}

export async function keptChart<Page>(key: CryptoKey, userId: string, encounterId: string): Promise<KeptChart<Page> | null> {
  const stored = await (await openStore()).get("charts", chartKey(userId, encounterId));
  return stored ? unseal<KeptChart<Page>>(key, stored).catch(() => null) : null;
}

/** Charts kept on this device for this user (for the offline page), newest first. */
export async function keptCharts<Page>(key: CryptoKey, userId: string) {
  const all = await (await openStore()).getAllFromIndex("charts", "byUser", userId);
  const opened = await Promise.all(all.map((c) => unseal<KeptChart<Page>>(key, c).then((k) => ({ encounterId: c.encounterId, ...k })).catch(() => null)));
  return opened.filter((c): c is NonNullable<typeof c> => Boolean(c)).sort((a, b) => b.savedAt - a.savedAt);
}

async function updateChart(key: CryptoKey, userId: string, encounterId: string, change: (kept: KeptChart) => KeptChart) {
  const kept = await keptChart(key, userId, encounterId);
  if (!kept) return;
  const next = change(kept);
  await (await openStore()).put("charts", { ...(await seal(key, next)), userId, encounterId, savedAt: next.savedAt }, chartKey(userId, encounterId));
}

/** Puts a chart change in the outbox with this device's next number for the user; the local draft follows a save. */
export async function queueChartChange(key: CryptoKey, userId: string, change: ChartChange, draft?: KeptChart["draft"], photo?: Blob) {
  const mutationId = crypto.randomUUID();
  // Sealed before the transaction: an IndexedDB transaction ends at the first await on anything else.
  const sealed = await seal(key, { url: `/charts/${change.encounterId}/sync`, fields: change.fields, label: change.label, intent: change.intent, photoType: photo?.type });
  const blob = photo ? await sealBytes(key, new Uint8Array(await photo.arrayBuffer())) : undefined;
  const device = await deviceId();
  const db = await openStore();
  const tx = db.transaction(["meta", "changes"], "readwrite");
  const meta = tx.objectStore("meta");
  const seq = (((await meta.get(`seq:${userId}`)) as number | undefined) ?? 0) + 1;
  await meta.put(seq, `seq:${userId}`);
  await tx.objectStore("changes").add({ ...sealed, key: mutationId, userId, createdAt: Date.now(), encounterId: change.encounterId, seq, blob });
  await tx.done;
  if (draft) await updateChart(key, userId, change.encounterId, (kept) => ({ ...kept, draft }));
  await askForBackgroundSync();
  return { seq, device, mutationId };
}

/** This user's changes not yet confirmed (waiting, or set aside to choose or read), oldest first. */
export async function pendingChanges(key: CryptoKey, userId: string): Promise<PendingChange[]> {
  const mine = await (await openStore()).getAllFromIndex("changes", "byUser", userId);
  return Promise.all(
    mine.map(async (c) => {
      const opened = await unseal<{ label: string; intent?: string; photoType?: string; answer?: PendingChange["answer"]; fields: [string, string][] }>(key, c);
      const clientId = opened.fields.find(([k]) => k === "clientId")?.[1] ?? "";
      return { id: c.id!, encounterId: c.encounterId, label: opened.label, createdAt: c.createdAt, settled: c.settled, answer: opened.answer, photo: opened.intent === "photo" ? { clientId, type: opened.photoType ?? "image/jpeg" } : undefined, consentTemplateId: opened.intent === "consent" ? opened.fields.find(([k]) => k === "templateId")?.[1] : undefined };
    }),
  );
}

/** The bytes of a photo waiting in the outbox (to show it before it is sent). */
export async function queuedPhoto(key: CryptoKey, changeId: number, type: string): Promise<Blob | null> {
  const stored = await (await openStore()).get("changes", changeId);
  if (!stored?.blob) return null;
  return new Blob([await openBytes(key, stored.blob)], { type });
}

/** The provider dismissed a refusal, or chose in the conflict screen: the change is done with. */
export async function forgetChanges(ids: number[]) {
  const db = await openStore();
  await Promise.all(ids.map((id) => db.delete("changes", id)));
}

let draining: Promise<{ applied: number; stoppedBy: string | null }> | null = null;

/**
 * Sends this user's waiting changes, oldest first, under a lock shared by the tablet's tabs (two
 * tabs never send the same queue at once). Status changes from My day go to their own routes with
 * their idempotency keys; chart changes go to the chart's sync route with their number.
 */
export function drainOutbox(key: CryptoKey, userId: string) {
  const run = () => (draining ??= drain(key, userId).finally(() => (draining = null)));
  if (typeof navigator !== "undefined" && navigator.locks) return navigator.locks.request("atrium-outbox", run);
  return run();
}

/** Saves per request: one request instead of many over clinic Wi-Fi (the server takes up to 50). */
const RUN = 25;

type Opened = { entry: StoredChange; change: { url: string; fields: [string, string][]; intent?: string; photoType?: string } };

async function drain(key: CryptoKey, userId: string) {
  if (typeof navigator !== "undefined" && !navigator.onLine) return { applied: 0, stoppedBy: "network" };
  const db = await openStore();
  const waiting = (await db.getAllFromIndex("changes", "byUser", userId)).filter((c) => !c.settled);
  const opened: Opened[] = await Promise.all(waiting.map(async (entry) => ({ entry, change: await unseal<Opened["change"]>(key, entry) })));
  const device = await deviceId();
  const result = await replayInRuns(
    opened,
    RUN,
    (o) => o.entry.encounterId !== undefined && o.change.intent !== "photo",
    async (run) => (run.length === 1 ? [await send(key, userId, device, run[0])] : sendRun(key, userId, device, run)),
    async (o, verdict) => settle(key, userId, o.entry, verdict),
  );
  if (result.applied || result.stoppedBy === null) window.dispatchEvent(new CustomEvent(OUTBOX_EVENT, { detail: result }));
  return result;
}

/** A run of chart saves in one request (POST /charts/sync); each answered as if sent alone. */
async function sendRun(key: CryptoKey, userId: string, device: string, run: Opened[]): Promise<Verdict[]> {
  const first = new Set<string>();
  const changes = [];
  for (const { entry, change } of run) {
    const encounterId = entry.encounterId!;
    // The first save of each chart goes against the revision the tablet knows; the rest follow the answers.
    const revision = first.has(encounterId) ? undefined : (await keptChart(key, userId, encounterId))?.serverRevision;
    first.add(encounterId);
    changes.push({ encounterId, seq: entry.seq, mutationId: entry.key, revision, fields: change.fields });
  }
  try {
    const res = await fetch("/charts/sync", { method: "POST", body: new URLSearchParams({ deviceId: device, offlineUser: userId, changes: JSON.stringify(changes) }), headers: { accept: "application/json" } });
    const body = res.headers.get("content-type")?.includes("json") ? ((await res.json()) as { answers: { status: number; body: SyncAnswerBody }[]; refused?: SyncAnswerBody }) : null;
    // A run the server couldn't read: the changes go one at a time instead.
    if (res.status === 400) return [await send(key, userId, device, run[0])];
    if (!body || !res.ok) return [verdictOf(res, body?.refused ?? null)];
    return body.answers.map((a) => verdictOf({ status: a.status, headers: new Headers(), url: res.url }, a.body));
  } catch {
    return [{ kind: "wait", reason: "network" }];
  }
}

export const OUTBOX_EVENT = "atrium:outbox";

async function send(key: CryptoKey, userId: string, device: string, { entry, change }: Opened): Promise<Verdict> {
  try {
    if (entry.encounterId === undefined) {
      // A status change from My day (ADR 014/018): its own route, its idempotency key.
      const body = new URLSearchParams(change.fields);
      body.set("idempotencyKey", entry.key);
      body.set("offlineUser", userId);
      const res = await fetch(change.url, { method: "POST", body });
      return verdictOf(res, res.status < 500 ? { ok: res.ok || res.redirected, message: res.ok || res.redirected ? undefined : await res.text() } : null);
    }
    const kept = await keptChart(key, userId, entry.encounterId);
    const fields = new URLSearchParams(change.fields);
    fields.set("deviceId", device);
    fields.set("seq", String(entry.seq));
    fields.set("mutationId", entry.key);
    fields.set("offlineUser", userId);
    if (kept && change.intent !== "photo") fields.set("revision", String(kept.serverRevision));
    let body: BodyInit = fields;
    if (change.intent === "photo" && entry.blob) {
      const form = new FormData();
      for (const [k, v] of fields) form.append(k, v);
      form.append("photo", new File([await openBytes(key, entry.blob)], `photo.${(change.photoType ?? "image/jpeg").split("/")[1]}`, { type: change.photoType ?? "image/jpeg" }));
      body = form;
    }
    const res = await fetch(change.url, { method: "POST", body, headers: { accept: "application/json" } });
    const answer = res.headers.get("content-type")?.includes("json") ? ((await res.json()) as SyncAnswerBody) : null;
    return verdictOf(res, answer);
  } catch {
    return { kind: "wait", reason: "network" };
  }
}

async function settle(key: CryptoKey, userId: string, entry: StoredChange, verdict: Verdict) {
  const db = await openStore();
  if (verdict.kind === "applied") {
    if (entry.encounterId && verdict.revision !== undefined) {
      const last = (await db.getAllFromIndex("changes", "byUser", userId)).filter((c) => c.encounterId === entry.encounterId && !c.settled).length === 1;
      // Confirmed: the next change goes against this revision; with nothing left waiting the local draft is the server's.
      await updateChart(key, userId, entry.encounterId, (kept) => ({ ...kept, serverRevision: verdict.revision!, draft: last ? undefined : kept.draft }));
    }
    await db.delete("changes", entry.id!);
    return;
  }
  if (verdict.kind === "wait") return;
  // Set aside with what the server said, still sealed; the provider sees it on the chart.
  const change = await unseal<Record<string, unknown>>(key, entry);
  const answer = verdict.kind === "conflict" ? { message: verdict.message, conflict: verdict.conflict } : { message: verdict.message, errors: verdict.errors };
  await db.put("changes", { ...entry, ...(await seal(key, { ...change, answer })), settled: verdict.kind });
}

async function askForBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await (registration as unknown as { sync?: { register(tag: string): Promise<void> } } | undefined)?.sync?.register("atrium-outbox");
  } catch {
    // No Background Sync here (Safari, Firefox): launch, visibility, "online" and "Sync now" still send it.
  }
}
