import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { setProviderState } from "../board/board.server";
import { chartAction } from "./chart-actions.server";
import { addPhoto } from "./photos.server";
import { signConsent } from "../consents/consents.server";
import { guardStatement, lostTheRace, recordAnswer, recordStatement, standingOf, type DeviceMutation } from "../pwa/device-mutations.server";

/**
 * One change from a tablet's outbox applied to a chart (ADR 029): a draft saved offline, a photo
 * taken offline, a chart signed offline. Applied once and in order by its device number; a replay
 * gets the first answer back, a gap waits, a reused number is refused. The answer is JSON for the
 * outbox to act on: the new revision, field messages, or the other device's version to choose from.
 */
export type SyncAnswer =
  | { ok: true; saved: string; revision?: number; photoId?: string }
  | { ok: false; status: number; message: string; errors?: Record<string, string>; gap?: { expected: number }; conflict?: unknown };

export const OTHER_USERS_CHANGE: SyncAnswer = { ok: false, status: 409, message: "This change was made offline by someone else on this tablet. It waits for them to sign in." };

export interface SyncOutcome {
  status: number;
  body: SyncAnswer;
  replayed?: boolean;
}

const refused = (status: number, message: string, extra: Partial<Extract<SyncAnswer, { ok: false }>> = {}): SyncOutcome => ({ status, body: { ok: false, status, message, ...extra } });

export async function applyChartChange(ctx: AppContext, session: AuthedSession, encounterId: string, form: FormData | URLSearchParams, m: DeviceMutation): Promise<SyncOutcome> {
  // No look-up first (ADR 020: round trips): the change's record is in its own batch, and the
  // database refuses a number that isn't the next; only then is the number looked into.
  try {
    const intent = form.get("intent");
    if (intent === "photo" && form instanceof FormData) return await photoChange(ctx, session, encounterId, form, m);
    if (intent === "consent") return await consentChange(ctx, session, encounterId, form, m);
    return await chartChange(ctx, session, encounterId, form, m);
  } catch (error) {
    // Applied before (its answer is the answer), early (a gap: it waits), or a forgery.
    if (lostTheRace(error)) return (await keptOrRefused(ctx, m)) ?? refused(409, "This change is being applied. It will be checked again.");
    throw error;
  }
}

/** The kept answer of a change applied before, a gap to wait on, or a forgery; null when it is the next to apply. */
async function keptOrRefused(ctx: AppContext, m: DeviceMutation): Promise<SyncOutcome | null> {
  const standing = await standingOf(ctx, m);
  if (standing.state === "kept") return { status: standing.status, body: standing.answer as SyncAnswer, replayed: true };
  if (standing.state === "gap") return refused(409, `An earlier change from this tablet hasn't arrived yet (number ${standing.expected}). Changes are applied in order, so this one waits for it.`, { gap: { expected: standing.expected } });
  if (standing.state === "mismatch") return refused(409, "This change's number or id doesn't match what this tablet sent before, so it was not applied.");
  return null;
}

async function chartChange(ctx: AppContext, session: AuthedSession, encounterId: string, form: FormData | URLSearchParams, m: DeviceMutation): Promise<SyncOutcome> {
  const intent = form.get("intent");
  // Only what a tablet can do offline; the conflict screen and copying the last visit need the server's answer at once.
  if (intent !== "save" && intent !== "sign") return recordRefusal(ctx, m, refused(400, "Unknown change."));
  const result = await chartAction(ctx, session, encounterId, form, { guard: () => [guardStatement(ctx, m)], record: (done) => [recordStatement(ctx, m, 200, done)] });
  if (result.ok) {
    if (result.saved === "signed" && result.locationId) {
      const location = session.locations.find((l) => l.id === result.locationId);
      if (location) await setProviderState(ctx, session.user, location, session.user.id, "available");
    }
    return { status: 200, body: { ok: true, saved: result.saved, revision: result.revision } };
  }
  return recordRefusal(ctx, m, { status: result.status, body: { ok: false, status: result.status, message: result.message, errors: result.errors, conflict: result.conflict } });
}

async function photoChange(ctx: AppContext, session: AuthedSession, encounterId: string, form: FormData, m: DeviceMutation): Promise<SyncOutcome> {
  // Idempotent by its client id on its own, so its answer is recorded after it.
  const outcome = await addPhoto(ctx, session, encounterId, form);
  if (!outcome.ok) return recordRefusal(ctx, m, refused(outcome.status, outcome.message, { errors: outcome.field ? { [outcome.field]: outcome.message } : {} }));
  const done: SyncOutcome = { status: 200, body: { ok: true, saved: "photo", photoId: outcome.photoId } };
  if (!(await recordAnswer(ctx, m, done.status, done.body))) throw new Error("atrium_device_sequence");
  return done;
}

/** A consent the patient signed on the tablet offline: recorded with the tablet's time (ADR 030). */
async function consentChange(ctx: AppContext, session: AuthedSession, encounterId: string, form: FormData | URLSearchParams, m: DeviceMutation): Promise<SyncOutcome> {
  // Idempotent by its client id on its own, like a photo: its answer is recorded after it.
  const outcome = await signConsent(ctx, session, encounterId, String(form.get("templateId") ?? ""), form, { fromOutbox: true });
  if (!outcome.ok) return recordRefusal(ctx, m, refused(outcome.status, outcome.message, { errors: outcome.errors }));
  const done: SyncOutcome = { status: 200, body: { ok: true, saved: "consent" } };
  if (!(await recordAnswer(ctx, m, done.status, done.body))) throw new Error("atrium_device_sequence");
  return done;
}

/** A refusal wrote nothing; its answer is kept so the queue moves on and a replay hears the same. */
async function recordRefusal(ctx: AppContext, m: DeviceMutation, outcome: SyncOutcome) {
  if (!(await recordAnswer(ctx, m, outcome.status, outcome.body))) throw new Error("atrium_device_sequence");
  return outcome;
}

/**
 * A run of changes sent together (the outbox sends its saves in runs of up to 25, at most 50 accepted: one request
 * instead of 25 over clinic Wi-Fi). Each is applied exactly as if sent alone, in order, each in
 * its own commit; a change without a revision follows the answer to the one before it for the same
 * chart (what the tablet would have sent next). Stops at the first that must wait.
 */
export interface RunChange {
  encounterId: string;
  seq: number;
  mutationId: string;
  revision?: number;
  fields: [string, string][];
}

export async function applyChangeRun(ctx: AppContext, session: AuthedSession, deviceId: string, changes: RunChange[]) {
  const revisions = new Map<string, number>();
  const answers: SyncOutcome[] = [];
  for (const change of changes) {
    const form = new URLSearchParams(change.fields.filter(([k]) => !["revision", "deviceId", "seq", "mutationId", "offlineUser"].includes(k)));
    const revision = change.revision ?? revisions.get(change.encounterId);
    if (revision !== undefined) form.set("revision", String(revision));
    const outcome = await applyChartChange(ctx, session, change.encounterId.slice(0, 64), form, { deviceId, userId: session.user.id, seq: change.seq, mutationId: change.mutationId });
    answers.push(outcome);
    if (outcome.body.ok && outcome.body.revision !== undefined) revisions.set(change.encounterId, outcome.body.revision);
    else if (revision !== undefined) revisions.set(change.encounterId, revision);
    if (!outcome.body.ok && (outcome.body.gap || (outcome.status === 409 && !outcome.body.conflict && /being applied/.test(outcome.body.message)))) break;
  }
  return answers;
}
