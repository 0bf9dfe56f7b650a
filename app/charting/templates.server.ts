import { and, eq } from "drizzle-orm";
import type { Db } from "../lib/db.server";
import { chartTemplates, chartTemplateVersions, serviceChartTemplates, services } from "../../db/schema";
import { SEED_TEMPLATES, seedKindForService } from "./seed-templates";
import { parseSections, type TemplateSection } from "./template";

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
}

export interface TemplateVersion {
  id: string;
  templateId: string;
  name: string;
  faceChart: boolean;
  version: number;
  sections: TemplateSection[];
}

/** The current version of the template a service charts with (the SOAP note when none is linked). */
export async function currentTemplateForService(db: Db, organizationId: string, serviceId: string): Promise<TemplateVersion> {
  const [linked] = await db
    .select({ id: chartTemplateVersions.id, templateId: chartTemplates.id, name: chartTemplates.name, faceChart: chartTemplates.faceChart, version: chartTemplateVersions.version, sections: chartTemplateVersions.sections })
    .from(serviceChartTemplates)
    .innerJoin(chartTemplates, eq(chartTemplates.id, serviceChartTemplates.templateId))
    .innerJoin(chartTemplateVersions, and(eq(chartTemplateVersions.templateId, chartTemplates.id), eq(chartTemplateVersions.version, chartTemplates.currentVersion)))
    .where(and(eq(serviceChartTemplates.serviceId, serviceId), eq(serviceChartTemplates.organizationId, organizationId)));
  if (linked) return { ...linked, sections: parseSections(linked.sections) };
  const soap = seedTemplateId(organizationId, "soap");
  const [row] = await db
    .select({ id: chartTemplateVersions.id, templateId: chartTemplates.id, name: chartTemplates.name, faceChart: chartTemplates.faceChart, version: chartTemplateVersions.version, sections: chartTemplateVersions.sections })
    .from(chartTemplates)
    .innerJoin(chartTemplateVersions, and(eq(chartTemplateVersions.templateId, chartTemplates.id), eq(chartTemplateVersions.version, chartTemplates.currentVersion)))
    .where(eq(chartTemplates.id, soap));
  if (!row) throw new Error("chart templates not seeded");
  return { ...row, sections: parseSections(row.sections) };
}

/** Versions never change once written (trigger, migration 0024), so their parsed fields are kept. */
const parsedVersions = new Map<string, TemplateVersion>();

/** One stored version (what an encounter was started with). */
export async function templateVersion(db: Db, id: string): Promise<TemplateVersion | null> {
  const known = parsedVersions.get(id);
  if (known) return known;
  const [row] = await db
    .select({ id: chartTemplateVersions.id, templateId: chartTemplates.id, name: chartTemplates.name, faceChart: chartTemplates.faceChart, version: chartTemplateVersions.version, sections: chartTemplateVersions.sections })
    .from(chartTemplateVersions)
    .innerJoin(chartTemplates, eq(chartTemplates.id, chartTemplateVersions.templateId))
    .where(eq(chartTemplateVersions.id, id));
  if (!row) return null;
  const version = { ...row, sections: parseSections(row.sections) };
  if (parsedVersions.size > 500) parsedVersions.clear();
  parsedVersions.set(id, version);
  return version;
}

export { versionId as templateVersionId };
