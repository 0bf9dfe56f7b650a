import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../lib/db.server";
import { chartTemplates, chartTemplateVersions, encounters, serviceChartTemplates, services } from "../../db/schema";
import { SEED_TEMPLATES, seedKindForService } from "./seed-templates";
import { parseSections, type TemplateSection } from "./template";
import { ensureConsentTemplates } from "../consents/consents.server";

/** Seed templates have ids derived from their organization, so seeding twice (or racing) is harmless. */
const seedTemplateId = (organizationId: string, kind: string) => `seed-${kind}-${organizationId}`;
const versionId = (templateId: string, version: number) => `${templateId}-v${version}`;

/**
 * Gives an organization the five seed templates and links each of its services without a
 * template to the one that fits it. Idempotent (insert-or-ignore on fixed ids): safe to call
 * whenever charting starts, and from two requests at once.
 */
export async function ensureChartTemplates(db: Db, organizationId: string, now: Date) {
  const writes = SEED_TEMPLATES.flatMap((t) => {
    const id = seedTemplateId(organizationId, t.kind);
    return [
      db.insert(chartTemplates).values({ id, organizationId, name: t.name, kind: t.kind, faceChart: t.faceChart, currentVersion: 1, createdAt: now }).onConflictDoNothing(),
      db.insert(chartTemplateVersions).values({ id: versionId(id, 1), templateId: id, organizationId, version: 1, sections: JSON.stringify(t.sections), createdAt: now }).onConflictDoNothing(),
    ];
  });
  const orgServices = await db.select({ id: services.id, name: services.name, category: services.category }).from(services).where(eq(services.organizationId, organizationId));
  const links = orgServices.map((s) => db.insert(serviceChartTemplates).values({ serviceId: s.id, organizationId, templateId: seedTemplateId(organizationId, seedKindForService(s.name, s.category)) }).onConflictDoNothing());
  await db.batch([writes[0], ...writes.slice(1), ...links]);
  // The consent forms those services need come with them (ADR 028).
  await ensureConsentTemplates(db, organizationId, now);
}

export interface TemplateVersion {
  id: string;
  templateId: string;
  name: string;
  faceChart: boolean;
  version: number;
  sections: TemplateSection[];
}

/**
 * The current version of the template a visit's service charts with (the SOAP note when none is
 * linked), or null when the organization has no templates yet. The linked template and the
 * fallback are read at once, keyed by the appointment (one round trip).
 */
export async function currentTemplateForAppointment(db: Db, organizationId: string, appointmentId: string): Promise<TemplateVersion | null> {
  const columns = { id: chartTemplateVersions.id, templateId: chartTemplates.id, name: chartTemplates.name, faceChart: chartTemplates.faceChart, version: chartTemplateVersions.version, sections: chartTemplateVersions.sections };
  const current = and(eq(chartTemplateVersions.templateId, chartTemplates.id), eq(chartTemplateVersions.version, chartTemplates.currentVersion));
  const [[linked], [soap]] = await Promise.all([
    db
      .select(columns)
      .from(serviceChartTemplates)
      .innerJoin(chartTemplates, eq(chartTemplates.id, serviceChartTemplates.templateId))
      .innerJoin(chartTemplateVersions, current)
      .where(and(eq(serviceChartTemplates.organizationId, organizationId), sql`${serviceChartTemplates.serviceId} = (select service_id from appointments where id = ${appointmentId})`)),
    db.select(columns).from(chartTemplates).innerJoin(chartTemplateVersions, current).where(eq(chartTemplates.id, seedTemplateId(organizationId, "soap"))),
  ]);
  const row = linked ?? soap;
  return row ? remember({ ...row, sections: parsedVersions.get(row.id)?.sections ?? parseSections(row.sections) }) : null;
}

/** Versions never change once written (trigger, migration 0024), so their parsed fields are kept. */
const parsedVersions = new Map<string, TemplateVersion>();

/** The version an encounter was started with, found through the encounter (one query, no read of the encounter first). */
export async function templateVersionOfEncounter(db: Db, encounterId: string): Promise<TemplateVersion | null> {
  const [row] = await db
    .select({ id: chartTemplateVersions.id, templateId: chartTemplates.id, name: chartTemplates.name, faceChart: chartTemplates.faceChart, version: chartTemplateVersions.version, sections: chartTemplateVersions.sections })
    .from(encounters)
    .innerJoin(chartTemplateVersions, eq(chartTemplateVersions.id, encounters.templateVersionId))
    .innerJoin(chartTemplates, eq(chartTemplates.id, chartTemplateVersions.templateId))
    .where(eq(encounters.id, encounterId));
  if (!row) return null;
  return remember({ ...row, sections: parsedVersions.get(row.id)?.sections ?? parseSections(row.sections) });
}

function remember(version: TemplateVersion) {
  if (parsedVersions.size > 500) parsedVersions.clear();
  parsedVersions.set(version.id, version);
  return version;
}

export { versionId as templateVersionId };
