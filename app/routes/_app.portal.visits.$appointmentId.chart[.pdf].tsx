import type { LoaderFunctionArgs } from "@remix-run/node";
import { pdfResponse } from "~/lib/pdf-writer";
import { notFound, requirePermission } from "~/auth/guards.server";
import { audit } from "~/audit/audit.server";
import { chartPdf } from "~/charting/chart-pdf.server";
import { chartPdfInput, readChartPdfExtras } from "~/charting/chart-pdf-input.server";
import { readEncounter, signedEncounterOfPatientVisit } from "~/charting/encounters.server";

/**
 * A patient's copy of their signed treatment record for one visit: only the fields the template
 * marks for patients (never internal notes), what was used (product, lot, amount), consents and
 * signatures. Only the patient whose visit it is; audited without content.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:own");
  const encounterId = await signedEncounterOfPatientVisit(context, session.user, (params.appointmentId ?? "").slice(0, 64));
  const [loaded, extras] = encounterId ? await Promise.all([readEncounter(context, session.user.organizationId, encounterId), readChartPdfExtras(context, session.user.organizationId, encounterId, "patient")]) : [null, null];
  await audit(context, { actor: session.user, action: "encounter.patient_copy", entityType: "encounter", entityId: encounterId ?? (params.appointmentId ?? "").slice(0, 64), outcome: loaded ? "allowed" : "denied", reason: loaded ? undefined : "not_found" });
  if (!loaded) throw notFound("There is no signed treatment record for that visit yet.");
  const pdf = await chartPdf(await chartPdfInput(context, session.organization.name, loaded, extras!), "patient");
  return pdfResponse(pdf, `treatment-record.pdf`);
}
