import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { can } from "../auth/permissions";
import { formatDateTime, formatCalendarDate } from "../scheduling/format";
import { amountWithMeasure, unitsPerTenthMl } from "./amounts";
import { localDateOf } from "../scheduling/local-time";
import { answersAsRaw, pointAsInput } from "./chart-actions.server";
import { chartableLots, lastTreatments, loadEncounter, lotsForEncounter } from "./encounters.server";
import { reviewOf } from "./reviews.server";
import type { EditorLot } from "./points-editor";
import { photosOf } from "./photos.server";
import { consentFormsOf, photoConsentId, photoConsentOf, requirementsFor } from "../consents/consents.server";
import { photoConsentCurrent } from "./photos.server";
import type { ChartPhoto } from "./chart-photos";
import { and, eq } from "drizzle-orm";
import { accessibleLocations } from "../auth/guards.server";
import { audit } from "../audit/audit.server";
import { encounters, locations, patients } from "../../db/schema";

const photoView = (p: Awaited<ReturnType<typeof photosOf>>[number], timeZone: string): ChartPhoto => ({ id: p.id, stage: p.stage, angle: p.angle, caption: p.caption, width: p.width, height: p.height, takenAt: formatDateTime(p.createdAt.getTime(), timeZone) });

/** The photos page of a chart: its list and whether this user may add to it; null when not theirs to see. */
export async function chartPhotoList(ctx: AppContext, session: AuthedSession, encounterId: string) {
  const [[row], photos] = await Promise.all([
    ctx.db
      .select({ locationId: encounters.locationId, status: encounters.status, providerId: encounters.providerId, timeZone: locations.timeZone, firstName: patients.firstName, lastName: patients.lastName })
      .from(encounters)
      .innerJoin(locations, eq(locations.id, encounters.locationId))
      .innerJoin(patients, eq(patients.id, encounters.patientId))
      .where(and(eq(encounters.id, encounterId), eq(encounters.organizationId, session.user.organizationId))),
    photosOf(ctx, session.user.organizationId, encounterId),
  ]);
  if (!row || !(await accessibleLocations(ctx, session)).some((l) => l.id === row.locationId)) return null;
  await audit(ctx, { actor: session.user, action: "encounter.photo_list", entityType: "encounter", entityId: encounterId, outcome: "allowed" });
  return {
    title: `${row.firstName} ${row.lastName}`,
    editable: row.status === "draft" && row.providerId === session.user.id && can(session.user.role, "write:chart:own"),
    photos: photos.map((p) => photoView(p, row.timeZone)),
  };
}

/** Everything the chart page shows, or null when this user may not see this chart. */
export async function chartPage(ctx: AppContext, session: AuthedSession, encounterId: string) {
  const id = encounterId.slice(0, 64);
  // One wave of reads, each keyed by the encounter's id (ADR 020); what this user may not see is dropped after.
  const [loaded, lotRows, last, review, photoRows, requirements, consentForms, photoConsent] = await Promise.all([
    loadEncounter(ctx, session, id),
    lotsForEncounter(ctx, session.user.organizationId, id),
    lastTreatments(ctx, id),
    reviewOf(ctx, id),
    photosOf(ctx, session.user.organizationId, id),
    requirementsFor(ctx.db, session.user.organizationId, id, ctx.clock.now()),
    consentFormsOf(ctx.db, session.user.organizationId, id),
    photoConsentOf(ctx.db, session.user.organizationId, id),
  ]);
  if (!loaded) return null;
  const { encounter, visit, patient, template, points, addenda, health } = loaded;
  const editable = encounter.status === "draft" && encounter.providerId === session.user.id && can(session.user.role, "write:chart:own");
  const lots = editable && template.faceChart ? chartableLots(lotRows, visit.timeZone, ctx.clock.now()) : null;
  // The lots offered, plus any a saved point still names (so the list shows it and saving says what is wrong with it).
  const editorLots: EditorLot[] = lots
    ? [...lots.offered, ...lots.all.filter((l) => !lots.offered.includes(l) && points.some((p) => p.lotId === l.id))].map((l) => {
        const perTenth = l.kind === "toxin" && l.diluentMl ? unitsPerTenthMl(l.packageSize, l.diluentMl) : null;
        return {
          id: l.id,
          productId: l.productId,
          productName: l.productName,
          measure: l.measure,
          perTenthMl: perTenth,
          label: `${l.productName} · lot ${l.lotNumber} · exp ${formatCalendarDate(l.expiresOn)} · ${amountWithMeasure(l.remaining, l.measure)} left`,
        };
      })
    : [];
  return {
    encounter: {
      id: encounter.id,
      status: encounter.status,
      revision: encounter.revision,
      signedAt: encounter.signedAt ? formatDateTime(encounter.signedAt.getTime(), visit.timeZone) : null,
      signerName: encounter.signerName,
      signatureMethod: encounter.signatureMethod,
      answers: encounter.answers,
    },
    visit: { when: formatDateTime(visit.startsAt.getTime(), visit.timeZone), serviceName: visit.serviceName, providerName: visit.providerName, locationName: visit.locationName, appointmentId: encounter.appointmentId },
    patient: { id: patient.id, name: `${patient.firstName} ${patient.lastName}`, preferredName: patient.preferredName, dateOfBirth: patient.dateOfBirth },
    template: { name: template.name, version: template.version, faceChart: template.faceChart, sections: template.sections },
    editable,
    mfa: session.user.mfaEnabled,
    answersRaw: editable ? answersAsRaw(template.sections, encounter.answers) : {},
    pointInputs: editable ? points.map(pointAsInput) : [],
    points: points.map((p) => ({ id: p.id, view: p.view, x: p.x, y: p.y, zone: p.zone, label: p.label, productId: p.productId, productName: p.productName, lotNumber: p.lotNumber, expiresOn: p.expiresOn, amount: amountWithMeasure(p.amount, p.measure), depth: p.depth, technique: p.technique, gauge: p.gauge, notes: p.notes })),
    lots: editorLots,
    last: last.map((t) => ({ encounterId: t.encounterId, when: formatCalendarDate(localDateOf(t.timeZone, t.startsAt.getTime())), summary: t.summary })),
    addenda: addenda.map((a) => ({ id: a.id, body: a.body, authorName: a.authorName, when: formatDateTime(a.createdAt.getTime(), visit.timeZone) })),
    review: review ? { reason: review.reason, status: review.status, comment: review.comment, reviewerName: review.reviewerName, decidedAt: review.decidedAt ? formatDateTime(review.decidedAt.getTime(), visit.timeZone) : null } : null,
    canReview: encounter.status === "signed" && review?.status === "pending" && can(session.user.role, "review:chart:organization"),
    canAddend: encounter.status === "signed" && encounter.providerId === session.user.id && can(session.user.role, "write:chart:own"),
    health,
    photos: photoRows.map((p) => photoView(p, visit.timeZone)),
    requirements: {
      consents: requirements.consents.map((c) => ({ templateId: c.templateId, name: c.name, current: c.current, signed: c.signed ? { consentId: c.signed.consentId, when: formatDateTime(c.signed.at.getTime(), visit.timeZone), version: c.signed.version, signerName: c.signed.signerName } : null })),
      exam: { required: requirements.exam.required, current: requirements.exam.current, validMonths: requirements.exam.validMonths, last: requirements.exam.last ? { when: formatDateTime(requirements.exam.last.at.getTime(), visit.timeZone), examinerName: requirements.exam.last.examinerName } : null },
      missing: requirements.missing,
    },
    // The text of each consent still to sign, kept with the chart so the patient can sign it on the tablet offline.
    consentForms: editable ? consentForms.filter((f) => !requirements.consents.some((c) => c.templateId === f.templateId && c.current)).map((f) => ({ templateId: f.templateId, versionId: f.versionId, version: f.version, title: f.title, body: f.body, fingerprint: f.sha.slice(0, 12), photoChoice: f.templateId === photoConsentId(session.user.organizationId) })) : [],
    // Photos are taken only while the patient's clinical photography consent is current; it says how they may be used.
    photoConsent: { templateId: photoConsent.templateId, current: photoConsentCurrent(photoConsent.signedAt, photoConsent.validMonths, ctx.clock.now()), use: photoConsent.photoUse },
    canRecordExam: encounter.status === "draft" && can(session.user.role, "record:exam:organization"),
    // Made with the page: the photo form sent twice (a double tap, a reload) adds one photo.
    photoClientId: crypto.randomUUID(),
  };
}
