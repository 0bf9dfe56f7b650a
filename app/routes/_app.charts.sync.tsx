import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { OTHER_USERS_CHANGE, applyChangeRun } from "~/charting/chart-sync.server";
import { OTHER_USER_HEADER } from "~/pwa/offline-owner";
import { readDeviceId } from "~/pwa/device-mutations.server";

/**
 * A run of a tablet's queued chart saves in one request (ADR 029): each applied once, in order,
 * as if sent alone; the answers come back in the same order, up to the first that must wait.
 */
const ID = /^[A-Za-z0-9-]{16,64}$/;
const runSchema = z
  .array(
    z.object({
      encounterId: z.string().min(1).max(64),
      seq: z.number().int().min(1).max(1_000_000_000),
      mutationId: z.string().regex(ID),
      revision: z.number().int().min(1).optional(),
      fields: z.array(z.tuple([z.string().max(100), z.string().max(10_001)])).max(3_000),
    }),
  )
  .min(1)
  .max(50);

const json = (body: unknown, status: number, extra: Record<string, string> = {}) => Response.json(body, { status, headers: { ...NO_STORE, ...extra } });

export const loader = () => new Response("This address takes a tablet's chart changes by POST.", { status: 405, headers: { allow: "POST", "content-type": "text/plain" } });

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "write:chart:own");
  const form = await request.formData();
  const madeBy = form.get("offlineUser");
  if (madeBy !== null && madeBy !== session.user.id) return json({ answers: [], refused: OTHER_USERS_CHANGE }, 409, { [OTHER_USER_HEADER]: "1" });
  const device = readDeviceId(form.get("deviceId"));
  if (!device.ok) return json({ answers: [], refused: { ok: false, status: 400, message: device.message } }, 400);
  let changes: unknown;
  try {
    changes = JSON.parse(String(form.get("changes") ?? ""));
  } catch {
    changes = null;
  }
  const parsed = runSchema.safeParse(changes);
  if (!parsed.success) return json({ answers: [], refused: { ok: false, status: 400, message: "These changes could not be read. They will be sent one at a time." } }, 400);
  const answers = await applyChangeRun(context, session, device.deviceId, parsed.data);
  return json({ answers: answers.map((a) => ({ status: a.status, body: a.body, replayed: a.replayed ?? false })) }, 200);
}
