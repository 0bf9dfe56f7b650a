import { and, eq } from "drizzle-orm";
import { consentTemplateVersions, consentTemplates, patientConsents, patients, serviceConsents, services } from "../../db/schema";
import type { openDatabase } from "../../db/client";

/**
 * Arranges the consents a service requires as signed by the patient (typed, today), the way the
 * consent page records them: for tests about charting itself, not about consents. No test runner
 * imports here, so Vitest and Playwright both use it.
 */
export async function arrangeConsentsOnFile(db: ReturnType<typeof openDatabase>["db"], patientId: string, serviceId?: string) {
  const [patient] = await db.select().from(patients).where(eq(patients.id, patientId));
  const [service] = serviceId ? [{ id: serviceId }] : await db.select({ id: services.id }).from(services).where(and(eq(services.organizationId, patient.organizationId), eq(services.name, "Neurotoxin (Botox, Dysport)")));
  const forms = await db
    .select({ templateId: consentTemplateVersions.templateId, versionId: consentTemplateVersions.id, sha: consentTemplateVersions.textSha256 })
    .from(serviceConsents)
    .innerJoin(consentTemplates, eq(consentTemplates.id, serviceConsents.templateId))
    .innerJoin(consentTemplateVersions, and(eq(consentTemplateVersions.templateId, consentTemplates.id), eq(consentTemplateVersions.version, consentTemplates.currentVersion)))
    .where(eq(serviceConsents.serviceId, service.id));
  for (const f of forms) {
    await db.insert(patientConsents).values({ id: crypto.randomUUID(), organizationId: patient.organizationId, patientId, templateId: f.templateId, versionId: f.versionId, textSha256: f.sha, signerName: `${patient.firstName} ${patient.lastName}`, signerRole: "patient", method: "typed", device: "test", signedAt: new Date(), clientId: crypto.randomUUID() });
  }
  return forms.length;
}
