import type { ActionFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { setProviderState } from "~/board/board.server";
import { chartAction } from "~/charting/chart-actions.server";
import { addPhoto } from "~/charting/photos.server";
import { OTHER_USER_HEADER } from "~/pwa/offline-owner";
import { guardStatement, lostTheRace, readDeviceMutation, recordAnswer, recordStatement, standingOf, type DeviceMutation } from "~/pwa/device-mutations.server";
import type { AppContext } from "~/lib/context.server";
import type { AuthedSession } from "~/auth/guards.server";

/**
 * Where a tablet's outbox sends a chart's changes, one at a time and in order (ADR 029): a draft
 * saved offline, a photo taken offline, a chart signed offline. Each is applied once; a replay
 * gets the first answer back (`atrium-replayed`). Answers are JSON for the outbox to act on: the
 * new revision, field messages, or the other device's version to choose from.
 */
export type SyncAnswer =
  | { ok: true; saved: string; revision?: number; photoId?: string }
  | { ok: false; status: number; message: string; errors?: Record<string, string>; gap?: { expected: number }; conflict?: unknown };

const answer = (body: SyncAnswer, status: number, extra: Record<string, string> = {}) => Response.json(body, { status, headers: { ...NO_STORE, ...extra } });
const refused = (status: number, message: string, extra: Partial<SyncAnswer> = {}) => answer({ ok: false, status, message, ...extra } as SyncAnswer, status);

/** Nothing to read here: changes arrive by POST. */
export const loader = () => new Response("This address takes a tablet's chart changes by POST.", { status: 405, headers: { allow: "POST", "content-type": "text/plain" } });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "write:chart:own");
  const encounterId = (params.encounterId ?? "").slice(0, 64);
  const form = await request.formData().catch(() => null);
  if (!form) return refused(400, "That change arrived incomplete. It will be sent again.");
  // Made offline by someone else on this tablet: it waits for them (ADR 018).
  const madeBy = form.get("offlineUser");
  if (madeBy !== null && madeBy !== session.user.id) return answer({ ok: false, status: 409, message: "This change was made offline by someone else on this tablet. It waits for them to sign in." }, 409, { [OTHER_USER_HEADER]: "1" });
  const read = readDeviceMutation(form, session.user.id);
  if (!read.ok) return refused(400, read.message);
  // No look-up first (ADR 020: round trips): the change's record is in its own batch, and the
  // database refuses a number that isn't the next; only then is the number looked into.
  try {
    const { status, body } = form.get("intent") === "photo" ? await photoChange(context, session, encounterId, form, read.mutation) : await chartChange(context, session, encounterId, form, read.mutation);
    return answer(body, status);
  } catch (error) {
    // Applied before (its answer is the answer), early (a gap: it waits), or a forgery.
    if (lostTheRace(error)) return (await keptOrRefused(context, read.mutation)) ?? refused(409, "This change is being applied. It will be checked again.");
    throw error;
  }
}

/** The kept answer of a change applied before, a gap to wait on, or a forgery; null when it is the next to apply. */
async function keptOrRefused(ctx: AppContext, m: DeviceMutation) {
  const standing = await standingOf(ctx, m);
  if (standing.state === "kept") return answer(standing.answer as SyncAnswer, standing.status, { "atrium-replayed": "1" });
  if (standing.state === "gap") return refused(409, `An earlier change from this tablet hasn't arrived yet (number ${standing.expected}). Changes are applied in order, so this one waits for it.`, { gap: { expected: standing.expected } });
  if (standing.state === "mismatch") return refused(409, "This change's number or id doesn't match what this tablet sent before, so it was not applied.");
  return null;
}

async function chartChange(ctx: AppContext, session: AuthedSession, encounterId: string, form: FormData, m: DeviceMutation) {
  const intent = form.get("intent");
  // Only what a tablet can do offline; the conflict screen and copying the last visit need the server's answer at once.
  if (intent !== "save" && intent !== "sign") return { status: 400, body: { ok: false, status: 400, message: "Unknown change." } as SyncAnswer };
  const result = await chartAction(ctx, session, encounterId, form, { guard: () => [guardStatement(ctx, m)], record: (done) => [recordStatement(ctx, m, 200, done)] });
  if (result.ok) {
    if (result.saved === "signed" && result.locationId) {
      const location = session.locations.find((l) => l.id === result.locationId);
      if (location) await setProviderState(ctx, session.user, location, session.user.id, "available");
    }
    return { status: 200, body: { ok: true, saved: result.saved, revision: result.revision } as SyncAnswer };
  }
  const body: SyncAnswer = { ok: false, status: result.status, message: result.message, errors: result.errors, conflict: result.conflict };
  // A refusal wrote nothing; its answer is kept so the queue moves on and a replay hears the same.
  if (!(await recordAnswer(ctx, m, result.status, body))) throw new Error("atrium_device_sequence");
  return { status: result.status, body };
}

async function photoChange(ctx: AppContext, session: AuthedSession, encounterId: string, form: FormData, m: DeviceMutation) {
  // Idempotent by its client id on its own, so its answer is recorded after it.
  const outcome = await addPhoto(ctx, session, encounterId, form);
  const status = outcome.ok ? 200 : outcome.status;
  const body: SyncAnswer = outcome.ok ? { ok: true, saved: "photo", photoId: outcome.photoId } : { ok: false, status: outcome.status, message: outcome.message, errors: outcome.field ? { [outcome.field]: outcome.message } : {} };
  if (!(await recordAnswer(ctx, m, status, body))) throw new Error("atrium_device_sequence");
  return { status, body };
}
