import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../lib/db.server";
import type { AppContext } from "../lib/context.server";
import { accessibleLocations, type AuthedSession } from "../auth/guards.server";
import { auditInsertByChange } from "../audit/audit.server";
import { chartTemplates, chartTemplateVersions, patients, consentTemplates, consentTemplateVersions, encounters, goodFaithExams, goodFaithExamSettings, patientConsents, serviceConsents, services, users } from "../../db/schema";
import { CONSENT_SIGNERS, PHOTO_USES } from "../../db/schema/consents";
import { seedKindForService } from "../charting/seed-templates";
import { SEED_CONSENTS } from "./seed-consents";
import { consentTextSha256 } from "./text-hash";
import { readStrokes } from "./strokes";
import { fieldMessages } from "../lib/forms.server";

export const consentTemplateId = (organizationId: string, key: string) => `consent-${key}-${organizationId}`;
/** The clinical photography consent: photos of a patient are taken only while theirs is current. */
export const photoConsentId = (organizationId: string) => consentTemplateId(organizationId, "photography");
export const consentVersionId = (templateId: string, version: number) => `${templateId}-v${version}`;
/** Injectables: the chart kinds the good-faith exam rule applies to. */
const INJECTABLE_KINDS = ["neurotoxin", "filler"];

/**
 * Gives an organization the seed consent forms and makes each service require the ones that fit
 * it. Idempotent (fixed ids, insert-or-ignore): called with the chart templates' seeding.
 */
export async function ensureConsentTemplates(db: Db, organizationId: string, now: Date) {
  const hashed = await Promise.all(SEED_CONSENTS.map(async (c) => ({ ...c, id: consentTemplateId(organizationId, c.key), sha: await consentTextSha256(c.name, c.body) })));
  const orgServices = await db.select({ id: services.id, name: services.name, category: services.category }).from(services).where(eq(services.organizationId, organizationId));
  const writes = hashed.flatMap((c) => [
    db.insert(consentTemplates).values({ id: c.id, organizationId, name: c.name, currentVersion: 1, validMonths: c.validMonths, createdAt: now }).onConflictDoNothing(),
    db.insert(consentTemplateVersions).values({ id: consentVersionId(c.id, 1), templateId: c.id, organizationId, version: 1, title: c.name, body: c.body, textSha256: c.sha, createdAt: now }).onConflictDoNothing(),
    ...orgServices.filter((s) => c.kinds.includes(seedKindForService(s.name, s.category))).map((s) => db.insert(serviceConsents).values({ serviceId: s.id, templateId: c.id, organizationId }).onConflictDoNothing()),
  ]);
  await db.batch([writes[0], ...writes.slice(1)]);
}

const monthsBefore = (at: Date, months: number) => {
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
};

export interface ConsentRequirement {
  templateId: string;
  name: string;
  validMonths: number;
  /** The latest signature on file, current or not. */
  signed: { at: Date; version: number; signerName: string; consentId: string; sha: string; photoUse: "clinical" | "marketing" | null } | null;
  current: boolean;
}

export interface Requirements {
  consents: ConsentRequirement[];
  exam: { required: boolean; validMonths: number; last: { at: Date; examinerName: string } | null; current: boolean };
  /** What stops the chart being signed, in plain words; empty when nothing does. */
  missing: string[];
}

/**
 * What must be on file before this encounter can be signed, as of `at`: each consent its service
 * requires (signed within that form's months), and for injectables where the clinic asks for one,
 * a good-faith exam within its months. One wave of reads keyed by the encounter (ADR 020).
 */
export async function requirementsFor(db: Db, organizationId: string, encounterId: string, at: Date): Promise<Requirements> {
  return evaluateRequirements(await readRequirements(db, organizationId, encounterId), at);
}

/** The rows requirements are decided from (read once; judged at any time by evaluateRequirements). */
export async function readRequirements(db: Db, organizationId: string, encounterId: string) {
  const patientOf = sql`(select patient_id from ${encounters} where ${encounters.id} = ${encounterId} and ${encounters.organizationId} = ${organizationId})`;
  const [required, signed, [rule], [kind], [exam]] = await Promise.all([
    db
      .select({ templateId: consentTemplates.id, name: consentTemplates.name, validMonths: consentTemplates.validMonths })
      .from(serviceConsents)
      .innerJoin(consentTemplates, eq(consentTemplates.id, serviceConsents.templateId))
      .where(and(eq(serviceConsents.organizationId, organizationId), sql`${serviceConsents.serviceId} = (select service_id from ${encounters} where ${encounters.id} = ${encounterId})`))
      .orderBy(consentTemplates.name),
    db
      .select({ consentId: patientConsents.id, templateId: patientConsents.templateId, signedAt: patientConsents.signedAt, signerName: patientConsents.signerName, version: consentTemplateVersions.version, sha: patientConsents.textSha256, photoUse: patientConsents.photoUse })
      .from(patientConsents)
      .innerJoin(consentTemplateVersions, eq(consentTemplateVersions.id, patientConsents.versionId))
      .where(and(eq(patientConsents.organizationId, organizationId), sql`${patientConsents.patientId} = ${patientOf}`))
      .orderBy(desc(patientConsents.signedAt)),
    db.select({ required: goodFaithExamSettings.required, validMonths: goodFaithExamSettings.validMonths }).from(goodFaithExamSettings).where(eq(goodFaithExamSettings.organizationId, organizationId)),
    db
      .select({ kind: chartTemplates.kind })
      .from(chartTemplateVersions)
      .innerJoin(chartTemplates, eq(chartTemplates.id, chartTemplateVersions.templateId))
      .where(sql`${chartTemplateVersions.id} = (select template_version_id from ${encounters} where ${encounters.id} = ${encounterId})`),
    db
      .select({ at: goodFaithExams.examinedAt, examinerName: users.name })
      .from(goodFaithExams)
      .innerJoin(users, eq(users.id, goodFaithExams.examinerId))
      .where(and(eq(goodFaithExams.organizationId, organizationId), sql`${goodFaithExams.patientId} = ${patientOf}`))
      .orderBy(desc(goodFaithExams.examinedAt))
      .limit(1),
  ]);
  return { required, signed, rule, kind, exam };
}

export function evaluateRequirements({ required, signed, rule, kind, exam }: Awaited<ReturnType<typeof readRequirements>>, at: Date): Requirements {
  const consents = required.map((r): ConsentRequirement => {
    const latest = signed.find((s) => s.templateId === r.templateId);
    return { ...r, signed: latest ? { at: latest.signedAt, version: latest.version, signerName: latest.signerName, consentId: latest.consentId, sha: latest.sha, photoUse: latest.photoUse } : null, current: !!latest && latest.signedAt >= monthsBefore(at, r.validMonths) && latest.signedAt <= at };
  });
  const validMonths = rule?.validMonths ?? 12;
  const examRequired = !!rule?.required && INJECTABLE_KINDS.includes(kind?.kind ?? "");
  const examCurrent = !!exam && exam.at >= monthsBefore(at, validMonths);
  const missing = [
    ...consents.filter((c) => !c.current).map((c) => (c.signed ? `${c.name} (the one on file is older than ${c.validMonths} months)` : `${c.name} (not signed)`)),
    ...(examRequired && !examCurrent ? [exam ? `a good-faith exam (the last is older than ${validMonths} months)` : "a good-faith exam by a prescriber"] : []),
  ];
  return { consents, exam: { required: examRequired, validMonths, last: exam ?? null, current: examCurrent }, missing };
}

/**
 * The current text of every consent this encounter's service requires: kept with the chart on the
 * provider's tablet so the patient can read and sign one with no network (ADR 030).
 */
export async function consentFormsOf(db: Db, organizationId: string, encounterId: string) {
  return db
    .select({ templateId: consentTemplates.id, versionId: consentTemplateVersions.id, version: consentTemplateVersions.version, title: consentTemplateVersions.title, body: consentTemplateVersions.body, sha: consentTemplateVersions.textSha256 })
    .from(serviceConsents)
    .innerJoin(consentTemplates, eq(consentTemplates.id, serviceConsents.templateId))
    .innerJoin(consentTemplateVersions, and(eq(consentTemplateVersions.templateId, consentTemplates.id), eq(consentTemplateVersions.version, consentTemplates.currentVersion)))
    .where(and(eq(serviceConsents.organizationId, organizationId), sql`${serviceConsents.serviceId} = (select service_id from ${encounters} where ${encounters.id} = ${encounterId} and ${encounters.organizationId} = ${organizationId})`))
    .orderBy(consentTemplates.name);
}

/** The chart's patient's latest clinical photography consent and how long that form lasts (null months: the clinic has no such form). */
export async function photoConsentOf(db: Db, organizationId: string, encounterId: string) {
  const templateId = photoConsentId(organizationId);
  const [row] = await db.all<{ signedAt: number | null; photoUse: "clinical" | "marketing" | null; validMonths: number | null }>(sql`
    select (select valid_months from consent_templates where id = ${templateId}) as validMonths,
      pc.signed_at as signedAt, pc.photo_use as photoUse
    from (select 1) left join patient_consents pc on pc.id = (
      select id from patient_consents where organization_id = ${organizationId} and template_id = ${templateId}
        and patient_id = (select patient_id from encounters where id = ${encounterId} and organization_id = ${organizationId})
      order by signed_at desc limit 1)`);
  return { templateId, signedAt: row?.signedAt ?? null, photoUse: row?.photoUse ?? null, validMonths: row?.validMonths ?? null };
}

/** How long after a patient signed on a tablet offline the signature may still arrive (its time is the tablet's). */
export const OFFLINE_CONSENT_MAX_AGE_MS = 72 * 3_600_000;

export const signConsentSchema = z.object({
  clientId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, "This form is out of date. Reload it."),
  versionId: z.string().min(1).max(200),
  signerName: z.string({ required_error: "Type the signer's full name." }).trim().min(2, "Type the signer's full name.").max(120, "Keep the name under 120 characters."),
  signerRole: z.enum(CONSENT_SIGNERS, { errorMap: () => ({ message: "Say who is signing." }) }),
  method: z.enum(["drawn", "typed"]).default("typed"),
  strokes: z.string().optional(),
  agree: z.literal("on", { errorMap: () => ({ message: "Tick the box to confirm you have read and agree to this consent." }) }),
  /** The clinical photography consent: how the photographs may be used. */
  photoUse: z.enum(PHOTO_USES, { errorMap: () => ({ message: "Choose how the photographs may be used." }) }).optional(),
  /** Signed on a tablet with no network (from its outbox): when, by the tablet's clock. */
  signedOffline: z.coerce.number().int().positive().optional(),
});

export type ConsentOutcome = { ok: true; consentId: string } | { ok: false; status: number; message: string; errors: Record<string, string> };

const refuse = (status: number, message: string, errors: Record<string, string> = {}): ConsentOutcome => ({ ok: false, status, message, errors });

/**
 * The chart's consent page, ready to sign: the current text of a form this visit's service needs,
 * for the chart's provider (it is their tablet the patient holds). Null when not theirs to see.
 */
export async function consentToSign(ctx: AppContext, session: AuthedSession, encounterId: string, templateId: string) {
  const [row] = await ctx.db
    .select({ providerId: encounters.providerId, locationId: encounters.locationId, patientId: encounters.patientId, patientName: sql<string>`(select first_name || ' ' || last_name from ${patients} where ${patients.id} = ${encounters.patientId})`, versionId: consentTemplateVersions.id, version: consentTemplateVersions.version, title: consentTemplateVersions.title, body: consentTemplateVersions.body, sha: consentTemplateVersions.textSha256 })
    .from(encounters)
    .innerJoin(serviceConsents, and(eq(serviceConsents.serviceId, encounters.serviceId), eq(serviceConsents.templateId, templateId)))
    .innerJoin(consentTemplates, eq(consentTemplates.id, serviceConsents.templateId))
    .innerJoin(consentTemplateVersions, and(eq(consentTemplateVersions.templateId, consentTemplates.id), eq(consentTemplateVersions.version, consentTemplates.currentVersion)))
    .where(and(eq(encounters.id, encounterId), eq(encounters.organizationId, session.user.organizationId)));
  if (!row || row.providerId !== session.user.id || !(await accessibleLocations(ctx, session)).some((l) => l.id === row.locationId)) return null;
  return row;
}

/**
 * A patient (or their guardian) signs a consent on the provider's tablet: the exact version they
 * read (still the current one), its hash, their name, drawn strokes or a typed signature, the
 * time, the device and the staff member present. One insert with its audit; a form sent twice
 * (same client id) is signed once; the database refuses a hash that isn't that version's.
 */
export async function signConsent(ctx: AppContext, session: AuthedSession, encounterId: string, templateId: string, form: FormData | URLSearchParams, { fromOutbox = false } = {}): Promise<ConsentOutcome> {
  const target = await consentToSign(ctx, session, encounterId.slice(0, 64), templateId.slice(0, 200));
  if (!target) return refuse(404, "That consent form was not found for this chart.");
  const parsed = signConsentSchema.safeParse(Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")));
  if (!parsed.success) {
    return refuse(400, "Some of the form needs fixing; each problem is shown by its field.", fieldMessages(parsed.error));
  }
  // Only a tablet's outbox says when it was signed; a form online is signed now.
  const input = { ...parsed.data, signedOffline: fromOutbox ? parsed.data.signedOffline : undefined };
  if (input.versionId !== target.versionId) return refuse(409, "The clinic updated this consent while it was open. Read the new text and sign again.");
  let strokes: string | null = null;
  if (input.method === "drawn") {
    const read = readStrokes(input.strokes);
    if (!read.ok) return refuse(400, read.message, { strokes: read.message });
    strokes = JSON.stringify(read.strokes);
  }
  // Signed offline: the tablet's time, if recent and not ahead of ours (a clock a little fast is let through as now).
  const now = ctx.clock.now().getTime();
  if (input.signedOffline !== undefined && input.signedOffline < now - OFFLINE_CONSENT_MAX_AGE_MS) return refuse(400, "This consent was signed on the tablet more than 3 days ago and was never sent. Have the patient sign it again.", { agree: "Have the patient sign again." });
  const signedAt = new Date(input.signedOffline !== undefined ? Math.min(input.signedOffline, now) : now);
  const device = `${(ctx.userAgent || "unknown device").slice(0, 180)}${input.signedOffline !== undefined ? " (signed offline)" : ""}`;
  const consentId = crypto.randomUUID();
  const [inserted] = await ctx.db.batch([
    ctx.db
      .insert(patientConsents)
      .values({ id: consentId, organizationId: session.user.organizationId, patientId: target.patientId, templateId, versionId: target.versionId, textSha256: target.sha, signerName: input.signerName, signerRole: input.signerRole, method: input.method, strokes, appointmentId: sql`(select appointment_id from ${encounters} where ${encounters.id} = ${encounterId})`, witnessId: session.user.id, device, signedAt, clientId: input.clientId, photoUse: templateId === photoConsentId(session.user.organizationId) ? (input.photoUse ?? "clinical") : null })
      .onConflictDoNothing({ target: [patientConsents.organizationId, patientConsents.clientId] }),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "consent.sign", entityType: "patient_consent", entityId: consentId }, "duplicate"),
  ]);
  if (inserted.rowsAffected === 0) {
    const [first] = await ctx.db.select({ id: patientConsents.id }).from(patientConsents).where(and(eq(patientConsents.organizationId, session.user.organizationId), eq(patientConsents.clientId, input.clientId)));
    return { ok: true, consentId: first.id };
  }
  return { ok: true, consentId };
}

export const examSchema = z.object({
  findings: z.string({ required_error: "Write what you examined and approved." }).trim().min(10, "Write what you examined and approved (at least a sentence).").max(4000, "Keep the findings under 4,000 characters."),
  clientId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, "This form is out of date. Reload it."),
});

/** The chart's patient, for a prescriber whose locations include the chart's; null otherwise. */
export async function examTarget(ctx: AppContext, session: AuthedSession, encounterId: string) {
  const [row] = await ctx.db
    .select({ patientId: encounters.patientId, locationId: encounters.locationId, patientName: sql<string>`(select first_name || ' ' || last_name from ${patients} where ${patients.id} = ${encounters.patientId})` })
    .from(encounters)
    .where(and(eq(encounters.id, encounterId), eq(encounters.organizationId, session.user.organizationId)));
  if (!row || !(await accessibleLocations(ctx, session)).some((l) => l.id === row.locationId)) return null;
  return row;
}

/** A prescriber records a good-faith exam of this chart's patient (now), with its audit. */
export async function recordExam(ctx: AppContext, session: AuthedSession, encounterId: string, form: FormData): Promise<{ ok: true } | { ok: false; status: number; message: string; errors: Record<string, string> }> {
  const parsed = examSchema.safeParse({ findings: form.get("findings") ?? undefined, clientId: form.get("clientId") ?? undefined });
  if (!parsed.success) {
    return { ok: false, status: 400, message: "The exam needs its findings.", errors: fieldMessages(parsed.error) };
  }
  const row = await examTarget(ctx, session, encounterId);
  if (!row) return { ok: false, status: 404, message: "That chart was not found.", errors: {} };
  // The client id is the exam's id: sent twice, recorded once.
  const id = `exam-${parsed.data.clientId}`;
  const now = ctx.clock.now();
  await ctx.db.batch([
    ctx.db.insert(goodFaithExams).values({ id, organizationId: session.user.organizationId, patientId: row.patientId, examinerId: session.user.id, examinedAt: now, findings: parsed.data.findings, encounterId, createdAt: now }).onConflictDoNothing(),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "exam.record", entityType: "good_faith_exam", entityId: id }, "duplicate"),
  ]);
  return { ok: true };
}
