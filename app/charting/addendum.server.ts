import { and, eq } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { encounters } from "../../db/schema";
import type { ChartFormResult } from "./chart-actions.server";
import { addAddendum } from "./encounters.server";
import { confirmSigner } from "./signer.server";

/** An addendum to a signed chart: its provider's words, signed with a fresh confirmation. */
export async function addendumAction(ctx: AppContext, session: AuthedSession, encounterId: string, form: FormData): Promise<ChartFormResult> {
  const [row] = await ctx.db.select({ providerId: encounters.providerId, status: encounters.status }).from(encounters).where(and(eq(encounters.id, encounterId), eq(encounters.organizationId, session.user.organizationId)));
  if (!row) return { ok: false, status: 404, message: "That chart was not found.", errors: {} };
  if (row.providerId !== session.user.id) return { ok: false, status: 403, message: "Only the chart's provider adds addenda to it.", errors: {} };
  if (row.status !== "signed") return { ok: false, status: 409, message: "This chart is still a draft: change it directly, then sign it.", errors: {} };
  const body = String(form.get("body") ?? "").trim();
  if (body.length < 3 || body.length > 5000) {
    const message = body.length < 3 ? "Write the addendum (at least a few words)." : "Keep the addendum under 5,000 characters.";
    return { ok: false, status: 400, message, errors: { body: message } };
  }
  const signer = await confirmSigner(ctx, session, { password: String(form.get("password") ?? ""), code: String(form.get("code") ?? "") }, "encounter.addendum_confirm");
  if (!signer.ok) return { ok: false, status: signer.status, message: signer.message, errors: { [signer.field]: signer.message } };
  if (!(await addAddendum(ctx, session, encounterId, body, signer.method))) return { ok: false, status: 409, message: "This chart is not signed.", errors: {} };
  return { ok: true, saved: "addendum" };
}
