import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requirePermission } from "~/auth/guards.server";
import { audit } from "~/audit/audit.server";
import { formatCalendarDate, formatDateTime } from "~/scheduling/format";
import { amountWithMeasure } from "~/charting/amounts";
import { chartPdf } from "~/charting/chart-pdf.server";
import { loadEncounter } from "~/charting/encounters.server";

/** The complete chart as a PDF for the clinical record (staff who read charts; audited as a read and an export). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:chart:organization");
  const loaded = await loadEncounter(context, session, params.encounterId ?? "");
  if (!loaded) throw notFound("No chart with that id in your organization.");
  const { encounter, visit, patient, template, points, addenda } = loaded;
  const pdf = await chartPdf({
    clinic: session.organization.name,
    patient: { name: `${patient.firstName} ${patient.lastName}`, dateOfBirth: formatCalendarDate(patient.dateOfBirth) },
    visit: { when: formatDateTime(visit.startsAt.getTime(), visit.timeZone), service: visit.serviceName, provider: visit.providerName, location: visit.locationName },
    template: { name: template.name, version: template.version, faceChart: template.faceChart, sections: template.sections },
    status: { signed: encounter.status === "signed", signedBy: encounter.signerName, signedAt: encounter.signedAt ? formatDateTime(encounter.signedAt.getTime(), visit.timeZone) : null, method: encounter.signatureMethod },
    answers: encounter.answers,
    points: points.map((p) => ({ view: p.view, x: p.x, y: p.y, zone: p.zone, label: p.label, productName: p.productName, lotNumber: p.lotNumber, expiresOn: p.expiresOn, amount: amountWithMeasure(p.amount, p.measure), depth: p.depth, technique: p.technique, gauge: p.gauge })),
    addenda: addenda.map((a) => ({ author: a.authorName, when: formatDateTime(a.createdAt.getTime(), visit.timeZone), body: a.body })),
    printedAt: formatDateTime(context.clock.now().getTime(), visit.timeZone),
  });
  await audit(context, { actor: session.user, action: "encounter.pdf", entityType: "encounter", entityId: encounter.id, outcome: "allowed" });
  return new Response(pdf as BodyInit, { headers: { "content-type": "application/pdf", "content-disposition": `inline; filename="chart-${encounter.id.slice(0, 8)}.pdf"`, "cache-control": "private, no-store", "x-content-type-options": "nosniff" } });
}
