import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { wantsAnswerInPlace } from "~/lib/answer-in-place";
import { openEncounter } from "~/charting/encounters.server";
import { setProviderState } from "~/board/board.server";
import { encounters } from "../../db/schema";

/** A visit's chart: GET goes to it (or back to the visit when there is none yet). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:chart:organization");
  const id = (params.appointmentId ?? "").slice(0, 64);
  const [row] = await context.db.select({ id: encounters.id }).from(encounters).where(and(eq(encounters.appointmentId, id), eq(encounters.organizationId, session.user.organizationId)));
  throw redirect(row ? `/charts/${row.id}` : `/appointments/${id}`, { headers: NO_STORE });
}

/** Opens the visit's chart (starting it from the service's template when it is the provider's first time). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "read:chart:organization");
  const form = await request.formData();
  const opened = await openEncounter(context, session, params.appointmentId ?? "");
  // A resource route: its refusals are plain answers (the button that posts here only shows when it can succeed).
  if (!opened.ok) return new Response(opened.message, { status: opened.status, headers: { ...NO_STORE, "content-type": "text/plain; charset=utf-8" } });
  // My day getting the day's charts ready on the tablet for offline (ADR 030): the chart's id, nothing else changes.
  if (wantsAnswerInPlace(form)) return Response.json({ encounterId: opened.encounterId }, { headers: NO_STORE });
  // The floor sees the provider documenting once the patient has gone and the chart is open
  // ("with patient" follows the visit while it is in a room).
  const location = session.locations.find((l) => l.id === opened.visit.locationId);
  if (location && opened.visit.providerId === session.user.id && opened.visit.status === "completed") await setProviderState(context, session.user, location, session.user.id, "documenting");
  throw redirect(`/charts/${opened.encounterId}`, { headers: NO_STORE });
}
