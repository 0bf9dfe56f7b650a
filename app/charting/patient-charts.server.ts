import { and, desc, eq } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { accessibleLocations, type AuthedSession } from "../auth/guards.server";
import { audit } from "../audit/audit.server";
import { appointments, patients, consentTemplateVersions, consentTemplates, encounterPhotos, encounterReviews, encounters, goodFaithExams, patientConsents, services, users } from "../../db/schema";

/**
 * The patient record's clinical section: every chart at a location this user works in (newest
 * first), the consents and good-faith exams on file, and the latest photos. One wave of reads
 * keyed by the patient (ADR 020); audited as one read of the patient's clinical record.
 */
export async function patientClinicalRecord(ctx: AppContext, session: AuthedSession, patientId: string) {
  const organizationId = session.user.organizationId;
  const [[patient], charts, consents, exams, photos, places] = await Promise.all([
    ctx.db.select({ id: patients.id }).from(patients).where(and(eq(patients.id, patientId), eq(patients.organizationId, organizationId))),
    ctx.db
      .select({ id: encounters.id, status: encounters.status, locationId: encounters.locationId, startsAt: appointments.startsAt, serviceName: services.name, providerName: users.name, review: encounterReviews.status })
      .from(encounters)
      .innerJoin(appointments, eq(appointments.id, encounters.appointmentId))
      .innerJoin(services, eq(services.id, encounters.serviceId))
      .innerJoin(users, eq(users.id, encounters.providerId))
      .leftJoin(encounterReviews, eq(encounterReviews.encounterId, encounters.id))
      .where(and(eq(encounters.patientId, patientId), eq(encounters.organizationId, organizationId)))
      .orderBy(desc(appointments.startsAt))
      .limit(200),
    ctx.db
      .select({ id: patientConsents.id, name: consentTemplates.name, version: consentTemplateVersions.version, signerName: patientConsents.signerName, signedAt: patientConsents.signedAt, method: patientConsents.method })
      .from(patientConsents)
      .innerJoin(consentTemplates, eq(consentTemplates.id, patientConsents.templateId))
      .innerJoin(consentTemplateVersions, eq(consentTemplateVersions.id, patientConsents.versionId))
      .where(and(eq(patientConsents.patientId, patientId), eq(patientConsents.organizationId, organizationId)))
      .orderBy(desc(patientConsents.signedAt)),
    ctx.db
      .select({ id: goodFaithExams.id, examinedAt: goodFaithExams.examinedAt, examinerName: users.name })
      .from(goodFaithExams)
      .innerJoin(users, eq(users.id, goodFaithExams.examinerId))
      .where(and(eq(goodFaithExams.patientId, patientId), eq(goodFaithExams.organizationId, organizationId)))
      .orderBy(desc(goodFaithExams.examinedAt)),
    ctx.db
      .select({ id: encounterPhotos.id, encounterId: encounterPhotos.encounterId, stage: encounterPhotos.stage, angle: encounterPhotos.angle, createdAt: encounterPhotos.createdAt, locationId: encounters.locationId })
      .from(encounterPhotos)
      .innerJoin(encounters, eq(encounters.id, encounterPhotos.encounterId))
      .where(and(eq(encounterPhotos.patientId, patientId), eq(encounterPhotos.organizationId, organizationId)))
      .orderBy(desc(encounterPhotos.createdAt))
      .limit(24),
    accessibleLocations(ctx, session),
  ]);
  if (!patient) return null;
  const here = new Set(places.map((l) => l.id));
  await audit(ctx, { actor: session.user, action: "patient.clinical_read", entityType: "patient", entityId: patientId, outcome: "allowed" });
  return { charts: charts.filter((c) => here.has(c.locationId)), consents, exams, photos: photos.filter((p) => here.has(p.locationId)) };
}

