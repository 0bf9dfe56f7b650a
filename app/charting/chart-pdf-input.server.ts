import type { AppContext } from "../lib/context.server";
import { formatCalendarDate, formatDateTime } from "../scheduling/format";
import { evaluateRequirements, readRequirements } from "../consents/consents.server";
import { amountWithMeasure } from "./amounts";
import type { ChartPdfInput } from "./chart-pdf.server";
import type { readEncounter } from "./encounters.server";
import { photoTitle } from "./chart-photos";
import { photosOf, previewBytes } from "./photos.server";

/**
 * What the chart PDF prints besides the encounter: consents on file and (the clinic's record
 * only) photos. Read keyed by the encounter's id, so it runs beside the encounter's own read (one
 * wave, ADR 020); the caller checks access on the encounter before printing any of it.
 */
export async function readChartPdfExtras(ctx: AppContext, organizationId: string, encounterId: string, audience: "staff" | "patient") {
  const [requirements, photos] = await Promise.all([readRequirements(ctx.db, organizationId, encounterId), audience === "staff" ? photosOf(ctx, organizationId, encounterId) : Promise.resolve([])]);
  return { requirements, photos };
}

/** The chart PDF's input, for the clinic's record or the patient's copy. */
export async function chartPdfInput(ctx: AppContext, clinic: string, loaded: NonNullable<Awaited<ReturnType<typeof readEncounter>>>, extras: Awaited<ReturnType<typeof readChartPdfExtras>>): Promise<ChartPdfInput> {
  const { encounter, visit, patient, template, points, addenda } = loaded;
  // Consents as they stood when the chart was signed (a draft: now).
  const requirements = evaluateRequirements(extras.requirements, encounter.signedAt ?? ctx.clock.now());
  const photos = await Promise.all(extras.photos.map(async (p) => ({ caption: `${photoTitle(p)} · ${formatDateTime(p.createdAt.getTime(), visit.timeZone)}`, jpeg: await previewBytes(ctx, p.thumbKey) })));
  return {
    clinic,
    patient: { name: `${patient.firstName} ${patient.lastName}`, dateOfBirth: formatCalendarDate(patient.dateOfBirth) },
    visit: { when: formatDateTime(visit.startsAt.getTime(), visit.timeZone), service: visit.serviceName, provider: visit.providerName, location: visit.locationName },
    template: { name: template.name, version: template.version, faceChart: template.faceChart, sections: template.sections },
    status: { signed: encounter.status === "signed", signedBy: encounter.signerName, signedAt: encounter.signedAt ? formatDateTime(encounter.signedAt.getTime(), visit.timeZone) : null, method: encounter.signatureMethod },
    answers: encounter.answers,
    points: points.map((p) => ({ view: p.view, x: p.x, y: p.y, zone: p.zone, label: p.label, productName: p.productName, lotNumber: p.lotNumber, expiresOn: p.expiresOn, amount: amountWithMeasure(p.amount, p.measure), depth: p.depth, technique: p.technique, gauge: p.gauge })),
    consents: requirements.consents.flatMap((c) => (c.signed ? [{ name: c.name, version: c.signed.version, signer: c.signed.signerName, when: formatDateTime(c.signed.at.getTime(), visit.timeZone), sha: c.signed.sha }] : [])),
    photos: photos.filter((p): p is { caption: string; jpeg: Uint8Array } => p.jpeg !== null),
    addenda: addenda.map((a) => ({ author: a.authorName, when: formatDateTime(a.createdAt.getTime(), visit.timeZone), body: a.body })),
    printedAt: formatDateTime(ctx.clock.now().getTime(), visit.timeZone),
  };
}
