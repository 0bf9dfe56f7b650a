import { and, asc, eq, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { auditInsert, auditInsertByChange } from "../audit/audit.server";
import { chartTemplates, chartTemplateVersions, serviceChartTemplates, services } from "../../db/schema";
import { ensureChartTemplates, templateVersionId } from "./templates.server";
import { parseSections, SectionsSchema, templateFields, type TemplateField, type TemplateSection } from "./template";

/** The organization's templates with their current version and the services charting with each. */
export async function listTemplates(ctx: AppContext, organizationId: string): Promise<{ templates: (typeof chartTemplates.$inferSelect)[]; links: (typeof serviceChartTemplates.$inferSelect)[]; services: { id: string; name: string }[] }> {
  const [templates, links, serviceRows] = await Promise.all([
    ctx.db.select().from(chartTemplates).where(eq(chartTemplates.organizationId, organizationId)).orderBy(asc(chartTemplates.name)),
    ctx.db.select().from(serviceChartTemplates).where(eq(serviceChartTemplates.organizationId, organizationId)),
    ctx.db.select({ id: services.id, name: services.name }).from(services).where(and(eq(services.organizationId, organizationId), eq(services.active, true))).orderBy(asc(services.name)),
  ]);
  // A clinic that has never charted gets the seed templates the first time anyone looks.
  if (!templates.length) {
    await ensureChartTemplates(ctx.db, organizationId, ctx.clock.now());
    return listTemplates(ctx, organizationId);
  }
  return { templates, links, services: serviceRows };
}

/** A template with its current version's fields (one query). */
export async function findTemplate(ctx: AppContext, organizationId: string, templateId: string) {
  const [row] = await ctx.db
    .select({ template: chartTemplates, sections: chartTemplateVersions.sections, versionId: chartTemplateVersions.id })
    .from(chartTemplates)
    .innerJoin(chartTemplateVersions, and(eq(chartTemplateVersions.templateId, chartTemplates.id), eq(chartTemplateVersions.version, chartTemplates.currentVersion)))
    .where(and(eq(chartTemplates.id, templateId.slice(0, 120)), eq(chartTemplates.organizationId, organizationId)));
  if (!row) return null;
  return { template: row.template, version: { id: row.versionId, version: row.template.currentVersion, sections: parseSections(row.sections) } };
}

export type TemplateChange = { ok: true; version: number } | { ok: false; status: 400 | 409; message: string };

/**
 * Writes a template's next version. Encounters keep the version they started on, so an edit
 * never changes a chart already begun. Two managers editing at once: the version number is
 * unique per template and the pointer moves only from the version the edit was made on, so one
 * edit lands and the other is told to look again (nothing is merged silently).
 */
export async function saveTemplateVersion(ctx: AppContext, session: AuthedSession, templateId: string, fromVersion: number, sections: TemplateSection[]): Promise<TemplateChange> {
  const parsed = SectionsSchema.safeParse(sections);
  if (!parsed.success) return { ok: false, status: 400, message: parsed.error.issues[0]?.message ?? "That template is not valid." };
  const next = fromVersion + 1;
  // One batch, decided by its first statement: the pointer moves only from the version the edit
  // was made on, and the new version is written only if it moved (changes() of the statement before).
  const [moved] = await ctx.db.batch([
    ctx.db.update(chartTemplates).set({ currentVersion: next }).where(and(eq(chartTemplates.id, templateId), eq(chartTemplates.organizationId, session.user.organizationId), eq(chartTemplates.currentVersion, fromVersion))),
    ctx.db.run(sql`insert into chart_template_versions (id, template_id, organization_id, version, sections, created_by, created_at)
      select ${templateVersionId(templateId, next)}, ${templateId}, ${session.user.organizationId}, ${next}, ${JSON.stringify(parsed.data)}, ${session.user.id}, ${ctx.clock.now().getTime()} where changes() > 0`),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "chart_template.version", entityType: "chart_template", entityId: templateId, reason: `v${next}` }, "stale"),
  ]);
  if (moved.rowsAffected === 0) return { ok: false, status: 409, message: "Someone changed this template meanwhile. Look at the latest version and make your change again." };
  return { ok: true, version: next };
}

/** Adds a field to a section (a new section when the title is new). */
export function withField(sections: TemplateSection[], sectionTitle: string, field: TemplateField): TemplateSection[] | string {
  if (templateFields(sections).some((f) => f.id === field.id)) return "A field with that name is already on this template; give it a different label.";
  const existing = sections.find((s) => s.title.toLowerCase() === sectionTitle.toLowerCase());
  if (existing) return sections.map((s) => (s === existing ? { ...s, fields: [...s.fields, field] } : s));
  return [...sections, { title: sectionTitle, fields: [field] }];
}

/** Removes a field (and its section when it was the last); what old charts answered stays with their version. */
export function withoutField(sections: TemplateSection[], fieldId: string): TemplateSection[] | string {
  const next = sections.map((s) => ({ ...s, fields: s.fields.filter((f) => f.id !== fieldId) })).filter((s) => s.fields.length);
  if (templateFields(next).length === templateFields(sections).length) return "That field is not on this template.";
  if (!next.length) return "A template keeps at least one field.";
  return next;
}

/** Moves a field one place up or down within its section. */
export function withFieldMoved(sections: TemplateSection[], fieldId: string, direction: "up" | "down"): TemplateSection[] | string {
  for (const section of sections) {
    const i = section.fields.findIndex((f) => f.id === fieldId);
    if (i < 0) continue;
    const j = direction === "up" ? i - 1 : i + 1;
    if (j < 0 || j >= section.fields.length) return sections;
    const fields = [...section.fields];
    [fields[i], fields[j]] = [fields[j], fields[i]];
    return sections.map((s) => (s === section ? { ...s, fields } : s));
  }
  return "That field is not on this template.";
}

/** A field id from its label: lower-case words joined by underscores ("Lot checked?" → lot_checked). */
export function fieldIdFrom(label: string) {
  const id = label.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 40);
  return /^[a-z]/.test(id) ? id : `f_${id}`.slice(0, 40);
}

/** Which template a service's new charts start from. */
export async function linkServiceTemplate(ctx: AppContext, session: AuthedSession, serviceId: string, templateId: string) {
  const organizationId = session.user.organizationId;
  const [[service], [template]] = await Promise.all([
    ctx.db.select({ id: services.id }).from(services).where(and(eq(services.id, serviceId.slice(0, 64)), eq(services.organizationId, organizationId))),
    ctx.db.select({ id: chartTemplates.id }).from(chartTemplates).where(and(eq(chartTemplates.id, templateId.slice(0, 120)), eq(chartTemplates.organizationId, organizationId))),
  ]);
  if (!service || !template) return false;
  await ctx.db.batch([
    ctx.db.insert(serviceChartTemplates).values({ serviceId: service.id, organizationId, templateId: template.id }).onConflictDoUpdate({ target: serviceChartTemplates.serviceId, set: { templateId: template.id } }),
    auditInsert(ctx, ctx.db, { actor: session.user, action: "chart_template.link", entityType: "service", entityId: service.id, outcome: "allowed" }),
  ]);
  return true;
}
