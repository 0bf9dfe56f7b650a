import { and, asc, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { auditInsert, auditInsertByChange } from "../audit/audit.server";
import { consentTemplates, consentTemplateVersions, goodFaithExamSettings, serviceConsents, services } from "../../db/schema";
import { ensureChartTemplates } from "../charting/templates.server";
import { consentVersionId } from "./consents.server";
import { consentTextSha256 } from "./text-hash";
import { fieldMessages } from "../lib/forms.server";

export const consentFormSchema = z.object({
  name: z.string({ required_error: "Give the form a name." }).trim().min(3, "Give the form a name.").max(120, "Keep the name under 120 characters."),
  body: z.string({ required_error: "Write the consent text." }).trim().min(40, "Write the consent text (at least a few sentences).").max(20_000, "Keep the text under 20,000 characters."),
  validMonths: z.coerce.number({ invalid_type_error: "Enter a number of months." }).int("Enter whole months.").min(1, "At least 1 month.").max(60, "At most 60 months."),
});

export const examRuleSchema = z.object({
  required: z.literal("on").optional(),
  validMonths: z.coerce.number({ invalid_type_error: "Enter a number of months." }).int("Enter whole months.").min(1, "At least 1 month.").max(36, "At most 36 months."),
});

type Errors = Record<string, string>;

/** The consent forms page: each form with its current version and the services needing it, and the exam rule. */
export async function consentForms(ctx: AppContext, session: AuthedSession) {
  const organizationId = session.user.organizationId;
  const [forms, links, serviceRows, [rule]] = await Promise.all([
    ctx.db.select({ id: consentTemplates.id, name: consentTemplates.name, version: consentTemplates.currentVersion, validMonths: consentTemplates.validMonths }).from(consentTemplates).where(eq(consentTemplates.organizationId, organizationId)).orderBy(asc(consentTemplates.name)),
    ctx.db.select({ templateId: serviceConsents.templateId, serviceId: serviceConsents.serviceId }).from(serviceConsents).where(eq(serviceConsents.organizationId, organizationId)),
    ctx.db.select({ id: services.id, name: services.name }).from(services).where(eq(services.organizationId, organizationId)).orderBy(asc(services.name)),
    ctx.db.select().from(goodFaithExamSettings).where(eq(goodFaithExamSettings.organizationId, organizationId)),
  ]);
  if (!forms.length) {
    // A clinic opening this before it ever charted: its seed forms are made now.
    await ensureChartTemplates(ctx.db, organizationId, ctx.clock.now());
    return consentForms(ctx, session);
  }
  const serviceName = new Map(serviceRows.map((s) => [s.id, s.name]));
  return {
    forms: forms.map((f) => ({ ...f, services: links.filter((l) => l.templateId === f.id).map((l) => serviceName.get(l.serviceId) ?? "").sort() })),
    examRule: { required: rule?.required ?? false, validMonths: rule?.validMonths ?? 12 },
  };
}

/** A new consent form, version 1, with its audit. */
export async function createConsentForm(ctx: AppContext, session: AuthedSession, form: FormData): Promise<{ ok: true; id: string } | { ok: false; errors: Errors }> {
  const parsed = consentFormSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, errors: fieldMessages(parsed.error) };
  const id = crypto.randomUUID();
  const now = ctx.clock.now();
  const { name, body, validMonths } = parsed.data;
  await ctx.db.batch([
    ctx.db.insert(consentTemplates).values({ id, organizationId: session.user.organizationId, name, currentVersion: 1, validMonths, createdAt: now }),
    ctx.db.insert(consentTemplateVersions).values({ id: consentVersionId(id, 1), templateId: id, organizationId: session.user.organizationId, version: 1, title: name, body, textSha256: await consentTextSha256(name, body), createdBy: session.user.id, createdAt: now }),
    auditInsert(ctx, ctx.db, { actor: session.user, action: "consent_template.create", entityType: "consent_template", entityId: id, outcome: "allowed" }),
  ]);
  return { ok: true, id };
}

/** One form: its current text, earlier versions (with their fingerprints) and which services require it. */
export async function consentFormDetail(ctx: AppContext, session: AuthedSession, templateId: string) {
  const organizationId = session.user.organizationId;
  const [[form], versions, links, serviceRows] = await Promise.all([
    ctx.db.select().from(consentTemplates).where(and(eq(consentTemplates.id, templateId), eq(consentTemplates.organizationId, organizationId))),
    ctx.db.select({ id: consentTemplateVersions.id, version: consentTemplateVersions.version, title: consentTemplateVersions.title, body: consentTemplateVersions.body, sha: consentTemplateVersions.textSha256, createdAt: consentTemplateVersions.createdAt }).from(consentTemplateVersions).where(and(eq(consentTemplateVersions.templateId, templateId), eq(consentTemplateVersions.organizationId, organizationId))).orderBy(desc(consentTemplateVersions.version)),
    ctx.db.select({ serviceId: serviceConsents.serviceId }).from(serviceConsents).where(and(eq(serviceConsents.templateId, templateId), eq(serviceConsents.organizationId, organizationId))),
    ctx.db.select({ id: services.id, name: services.name }).from(services).where(eq(services.organizationId, organizationId)).orderBy(asc(services.name)),
  ]);
  if (!form) return null;
  const current = versions.find((v) => v.version === form.currentVersion)!;
  return { form, current, versions, services: serviceRows.map((s) => ({ ...s, required: links.some((l) => l.serviceId === s.id) })) };
}

/**
 * Saves an edit. Changed text becomes version n+1, written only if the form is still at version
 * n (one conditional batch: an edit made from an older copy is a conflict, never a lost update);
 * signatures on earlier versions keep theirs. The months and the services needing it change in
 * place, with the audit.
 */
export async function updateConsentForm(ctx: AppContext, session: AuthedSession, templateId: string, form: FormData): Promise<{ ok: true; newVersion: boolean } | { ok: false; status: number; message: string; errors: Errors }> {
  const parsed = consentFormSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, status: 400, message: "Some of the form needs fixing; each problem is shown by its field.", errors: fieldMessages(parsed.error) };
  const fromVersion = Number(form.get("version"));
  const detail = await consentFormDetail(ctx, session, templateId);
  if (!detail) return { ok: false, status: 404, message: "That consent form was not found.", errors: {} };
  if (!Number.isInteger(fromVersion) || fromVersion !== detail.form.currentVersion) return { ok: false, status: 409, message: `Someone saved version ${detail.form.currentVersion} of this form while you were editing. Reload it and make your change again.`, errors: {} };
  const organizationId = session.user.organizationId;
  const { name, body, validMonths } = parsed.data;
  const sha = await consentTextSha256(name, body);
  const newVersion = sha !== detail.current.sha;
  const next = fromVersion + 1;
  const wanted = new Set(form.getAll("serviceId").map(String));
  const known = new Set(detail.services.map((s) => s.id));
  const now = ctx.clock.now();
  const [moved] = await ctx.db.batch([
    ctx.db.update(consentTemplates).set({ name, validMonths, currentVersion: newVersion ? next : fromVersion }).where(and(eq(consentTemplates.id, templateId), eq(consentTemplates.organizationId, organizationId), eq(consentTemplates.currentVersion, fromVersion))),
    ctx.db.run(sql`insert into consent_template_versions (id, template_id, organization_id, version, title, body, text_sha256, created_by, created_at)
      select ${consentVersionId(templateId, next)}, ${templateId}, ${organizationId}, ${next}, ${name}, ${body}, ${sha}, ${session.user.id}, ${now.getTime()} where changes() > 0 and ${newVersion ? 1 : 0} = 1`),
    ctx.db.delete(serviceConsents).where(and(eq(serviceConsents.templateId, templateId), eq(serviceConsents.organizationId, organizationId))),
    ...[...wanted].filter((id) => known.has(id)).map((serviceId) => ctx.db.insert(serviceConsents).values({ serviceId, templateId, organizationId })),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "consent_template.update", entityType: "consent_template", entityId: templateId }, "stale"),
  ]);
  if (moved.rowsAffected === 0) return { ok: false, status: 409, message: "Someone saved this form while you were editing. Reload it and make your change again.", errors: {} };
  return { ok: true, newVersion };
}

/** The clinic's good-faith exam rule for injectables. */
export async function saveExamRule(ctx: AppContext, session: AuthedSession, form: FormData): Promise<{ ok: true } | { ok: false; errors: Errors }> {
  const parsed = examRuleSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, errors: fieldMessages(parsed.error) };
  const values = { required: parsed.data.required === "on", validMonths: parsed.data.validMonths };
  await ctx.db.batch([
    ctx.db.insert(goodFaithExamSettings).values({ organizationId: session.user.organizationId, ...values }).onConflictDoUpdate({ target: goodFaithExamSettings.organizationId, set: values }),
    auditInsert(ctx, ctx.db, { actor: session.user, action: "exam_rule.update", entityType: "organization", entityId: session.user.organizationId, outcome: "allowed" }),
  ]);
  return { ok: true };
}
