import type { LoaderFunctionArgs } from "@remix-run/node";
import { pdfResponse } from "~/lib/pdf-writer";
import { notFound, requirePermission } from "~/auth/guards.server";
import { audit } from "~/audit/audit.server";
import { chartPdf } from "~/charting/chart-pdf.server";
import { chartPdfInput, readChartPdfExtras } from "~/charting/chart-pdf-input.server";
import { loadEncounter } from "~/charting/encounters.server";

/** The complete chart as a PDF for the clinical record (staff who read charts; audited as a read and an export). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:chart:organization");
  const id = (params.encounterId ?? "").slice(0, 64);
  const [loaded, extras] = await Promise.all([loadEncounter(context, session, id), readChartPdfExtras(context, session.user.organizationId, id, "staff")]);
  if (!loaded) throw notFound("No chart with that id in your organization.");
  const pdf = await chartPdf(await chartPdfInput(context, session.organization.name, loaded, extras));
  await audit(context, { actor: session.user, action: "encounter.pdf", entityType: "encounter", entityId: loaded.encounter.id, outcome: "allowed" });
  return pdfResponse(pdf, `chart-${loaded.encounter.id.slice(0, 8)}.pdf`);
}
