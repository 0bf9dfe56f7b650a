/**
 * What the tablet does with the server's answer to one outbox change (ADR 029). Shared by the
 * browser's outbox and the `offline-replay` benchmark, so the bench measures the rules the
 * tablet follows.
 * - applied: gone from the queue (a replay of an applied change gets the same answer back);
 * - conflict: the same chart was saved on another device; kept aside for the provider to choose;
 * - refused: kept aside with its message for the provider to read (nothing of it was written);
 * - wait: not now (no network, a server error, an earlier change not yet arrived, or not this
 *   user's session): the queue stops here, in order, and is tried again later.
 */
export interface SyncAnswerBody {
  ok: boolean;
  status?: number;
  message?: string;
  revision?: number;
  photoId?: string;
  gap?: { expected: number };
  conflict?: unknown;
  errors?: Record<string, string>;
}

export type Verdict =
  | { kind: "applied"; revision?: number }
  | { kind: "conflict"; message: string; conflict: unknown }
  | { kind: "refused"; message: string; errors: Record<string, string> }
  | { kind: "wait"; reason: "network" | "server" | "gap" | "owner" | "busy" };

export const OFFLINE_OWNER_HEADER = "atrium-offline-owner";

export function verdictOf(res: { status: number; headers: Headers; url: string }, body: SyncAnswerBody | null): Verdict {
  // Not its owner's session (another user, or theirs ended and this landed on the sign-in page).
  if (res.headers.get(OFFLINE_OWNER_HEADER) || new URL(res.url, "http://x").pathname.startsWith("/login")) return { kind: "wait", reason: "owner" };
  if (res.status >= 500 || !body) return { kind: "wait", reason: "server" };
  if (body.ok && res.status < 300) return { kind: "applied", revision: body.revision };
  if (body.gap) return { kind: "wait", reason: "gap" };
  if (body.conflict) return { kind: "conflict", message: body.message ?? "Saved on another device meanwhile.", conflict: body.conflict };
  // Another arrival of the same change is being applied (a second tab): ask again later.
  if (res.status === 409 && (!body.message || /being applied/.test(body.message))) return { kind: "wait", reason: "busy" };
  return { kind: "refused", message: body.message ?? "Refused.", errors: body.errors ?? {} };
}

/**
 * Sends entries oldest first until one must wait; calls `settle` with each verdict (the caller
 * removes, sets aside or keeps it). Returns how many were applied and why it stopped, if it did.
 */
export async function replayInOrder<E>(entries: E[], send: (entry: E) => Promise<Verdict>, settle: (entry: E, verdict: Verdict) => Promise<void>) {
  let applied = 0;
  for (const entry of entries) {
    const verdict = await send(entry);
    if (verdict.kind === "wait") return { applied, stoppedBy: verdict.reason };
    await settle(entry, verdict);
    if (verdict.kind === "applied") applied++;
  }
  return { applied, stoppedBy: null };
}

/**
 * The same, in runs: consecutive entries that can travel together (chart saves) go in one
 * request of up to `size`; others (a photo, a status change) alone. `sendRun` answers each entry
 * of the run in order, and may answer fewer (the server stopped at one that must wait).
 */
export async function replayInRuns<E>(entries: E[], size: number, canJoin: (entry: E) => boolean, sendRun: (run: E[]) => Promise<Verdict[]>, settle: (entry: E, verdict: Verdict) => Promise<void>) {
  let applied = 0;
  for (let i = 0; i < entries.length; ) {
    const run = [entries[i]];
    if (canJoin(entries[i])) while (run.length < size && i + run.length < entries.length && canJoin(entries[i + run.length])) run.push(entries[i + run.length]);
    const verdicts = await sendRun(run);
    for (const [j, verdict] of verdicts.entries()) {
      if (verdict.kind === "wait") return { applied, stoppedBy: verdict.reason };
      await settle(run[j], verdict);
      if (verdict.kind === "applied") applied++;
    }
    if (verdicts.length < run.length) return { applied, stoppedBy: "busy" as const };
    i += run.length;
  }
  return { applied, stoppedBy: null };
}
