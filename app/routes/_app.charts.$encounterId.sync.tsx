import type { ActionFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { OTHER_USERS_CHANGE, applyChartChange, type SyncAnswer } from "~/charting/chart-sync.server";
import { OTHER_USER_HEADER } from "~/pwa/offline-owner";
import { readDeviceMutation } from "~/pwa/device-mutations.server";

/**
 * Where a tablet's outbox sends one change to a chart (ADR 029), a photo taken offline above all
 * (multipart, up to 25 MB); runs of saves go to /charts/sync together. JSON answers.
 */
const answer = (body: SyncAnswer, status: number, extra: Record<string, string> = {}) => Response.json(body, { status, headers: { ...NO_STORE, ...extra } });

/** Nothing to read here: changes arrive by POST. */
export const loader = () => new Response("This address takes a tablet's chart changes by POST.", { status: 405, headers: { allow: "POST", "content-type": "text/plain" } });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "write:chart:own");
  const encounterId = (params.encounterId ?? "").slice(0, 64);
  const form = await request.formData().catch(() => null);
  if (!form) return answer({ ok: false, status: 400, message: "That change arrived incomplete. It will be sent again." }, 400);
  // Made offline by someone else on this tablet: it waits for them (ADR 018).
  const madeBy = form.get("offlineUser");
  if (madeBy !== null && madeBy !== session.user.id) return answer(OTHER_USERS_CHANGE, 409, { [OTHER_USER_HEADER]: "1" });
  const read = readDeviceMutation(form, session.user.id);
  if (!read.ok) return answer({ ok: false, status: 400, message: read.message }, 400);
  const outcome = await applyChartChange(context, session, encounterId, form, read.mutation);
  return answer(outcome.body, outcome.status, outcome.replayed ? { "atrium-replayed": "1" } : {});
}
