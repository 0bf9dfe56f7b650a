import { and, asc, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { audit, auditInsert, auditInsertByChange } from "../audit/audit.server";
import { appointments, chartReviewSettings, encounterReviews, encounters, locations, patients, serviceReviewPolicies, services, users } from "../../db/schema";
import { DEFAULT_REVIEW_PERCENT } from "./encounters.server";

/** The medical director's queue: charts waiting for a co-signature, oldest first, and those returned to their provider. */
export async function reviewQueue(ctx: AppContext, session: AuthedSession) {
  const rows = await ctx.db
    .select({ encounterId: encounterReviews.encounterId, reason: encounterReviews.reason, status: encounterReviews.status, comment: encounterReviews.comment, queuedAt: encounterReviews.createdAt, providerName: users.name, serviceName: services.name, visitAt: appointments.startsAt, timeZone: locations.timeZone, patientFirst: patients.firstName, patientLast: patients.lastName })
    .from(encounterReviews)
    .innerJoin(encounters, eq(encounters.id, encounterReviews.encounterId))
    .innerJoin(users, eq(users.id, encounterReviews.providerId))
    .innerJoin(services, eq(services.id, encounters.serviceId))
    .innerJoin(appointments, eq(appointments.id, encounters.appointmentId))
    .innerJoin(locations, eq(locations.id, encounters.locationId))
    .innerJoin(patients, eq(patients.id, encounters.patientId))
    .where(and(eq(encounterReviews.organizationId, session.user.organizationId), inArray(encounterReviews.status, ["pending", "returned"])))
    .orderBy(asc(encounterReviews.createdAt))
    .limit(500);
  await audit(ctx, { actor: session.user, action: "review.queue_read", entityType: "organization", entityId: session.user.organizationId, outcome: "allowed", reason: `${rows.length}` });
  return rows;
}

/** A chart's review, if it was chosen for one. */
export async function reviewOf(ctx: AppContext, encounterId: string) {
  const [row] = await ctx.db
    .select({ reason: encounterReviews.reason, status: encounterReviews.status, comment: encounterReviews.comment, decidedAt: encounterReviews.decidedAt, reviewerName: users.name })
    .from(encounterReviews)
    .leftJoin(users, eq(users.id, encounterReviews.reviewerId))
    .where(eq(encounterReviews.encounterId, encounterId));
  return row ?? null;
}

/**
 * Co-signs a chart, or returns it to its provider with a comment (they answer with an addendum,
 * which puts it back in the queue). Only a chart waiting for review is decided: one conditional
 * statement, so two reviewers deciding at once can't both.
 */
export async function decideReview(ctx: AppContext, session: AuthedSession, encounterId: string, decision: "cosign" | "return", comment: string | null) {
  const [result] = await ctx.db.batch([
    ctx.db
      .update(encounterReviews)
      .set({ status: decision === "cosign" ? "cosigned" : "returned", reviewerId: session.user.id, comment: decision === "return" ? comment : null, decidedAt: ctx.clock.now() })
      .where(and(eq(encounterReviews.encounterId, encounterId.slice(0, 64)), eq(encounterReviews.organizationId, session.user.organizationId), eq(encounterReviews.status, "pending"))),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: decision === "cosign" ? "review.cosign" : "review.return", entityType: "encounter", entityId: encounterId.slice(0, 64) }, "not_pending"),
  ]);
  return result.rowsAffected > 0;
}

export async function reviewSettings(ctx: AppContext, organizationId: string) {
  const [[settings], policies] = await Promise.all([
    ctx.db.select({ percent: chartReviewSettings.samplePercent }).from(chartReviewSettings).where(eq(chartReviewSettings.organizationId, organizationId)),
    ctx.db.select({ serviceId: serviceReviewPolicies.serviceId, alwaysReview: serviceReviewPolicies.alwaysReview }).from(serviceReviewPolicies).where(eq(serviceReviewPolicies.organizationId, organizationId)),
  ]);
  return { percent: settings?.percent ?? DEFAULT_REVIEW_PERCENT, always: new Set(policies.filter((p) => p.alwaysReview).map((p) => p.serviceId)) };
}

/** Sets the sample share and which services are always reviewed, in one audited commit. */
export async function saveReviewSettings(ctx: AppContext, session: AuthedSession, percent: number, alwaysServiceIds: string[]) {
  const organizationId = session.user.organizationId;
  const orgServices = await ctx.db.select({ id: services.id }).from(services).where(eq(services.organizationId, organizationId));
  const always = new Set(alwaysServiceIds);
  await ctx.db.batch([
    ctx.db.insert(chartReviewSettings).values({ organizationId, samplePercent: percent }).onConflictDoUpdate({ target: chartReviewSettings.organizationId, set: { samplePercent: percent } }),
    ...orgServices.map((s) => ctx.db.insert(serviceReviewPolicies).values({ serviceId: s.id, organizationId, alwaysReview: always.has(s.id) }).onConflictDoUpdate({ target: serviceReviewPolicies.serviceId, set: { alwaysReview: always.has(s.id) } })),
    auditInsert(ctx, ctx.db, { actor: session.user, action: "review.settings", entityType: "organization", entityId: organizationId, outcome: "allowed", reason: `${percent}%` }),
  ]);
}

const LATE_MS = 72 * 3_600_000;

/**
 * The compliance page: charts not signed within 72 hours of the visit (still drafts, or signed
 * late), and each provider's review quota this month (charts signed, chosen for review, co-signed).
 */
export async function complianceReport(ctx: AppContext, session: AuthedSession, monthStart: Date) {
  const organizationId = session.user.organizationId;
  const now = ctx.clock.now();
  // A month as the report counts it (the signing check itself uses calendar months).
  const MONTH_MS = 2_629_746_000;
  const [late, signedThisMonth, unmet] = await Promise.all([
    ctx.db
      .select({ encounterId: encounters.id, status: encounters.status, signedAt: encounters.signedAt, visitAt: appointments.startsAt, timeZone: locations.timeZone, providerName: users.name, serviceName: services.name, patientFirst: patients.firstName, patientLast: patients.lastName })
      .from(encounters)
      .innerJoin(appointments, eq(appointments.id, encounters.appointmentId))
      .innerJoin(locations, eq(locations.id, encounters.locationId))
      .innerJoin(users, eq(users.id, encounters.providerId))
      .innerJoin(services, eq(services.id, encounters.serviceId))
      .innerJoin(patients, eq(patients.id, encounters.patientId))
      .where(
        and(
          eq(encounters.organizationId, organizationId),
          sql`((${encounters.status} = 'draft' and ${appointments.startsAt} < ${now.getTime() - LATE_MS}) or (${encounters.status} = 'signed' and ${encounters.signedAt} - ${appointments.startsAt} > ${LATE_MS} and ${encounters.signedAt} >= ${monthStart.getTime()}))`,
        ),
      )
      .orderBy(asc(appointments.startsAt))
      .limit(500),
    ctx.db
      .select({ providerId: encounters.providerId, providerName: users.name, signed: sql<number>`count(*)`, chosen: sql<number>`count(${encounterReviews.encounterId})`, cosigned: sql<number>`sum(case when ${encounterReviews.status} = 'cosigned' then 1 else 0 end)` })
      .from(encounters)
      .innerJoin(users, eq(users.id, encounters.providerId))
      .leftJoin(encounterReviews, eq(encounterReviews.encounterId, encounters.id))
      .where(and(eq(encounters.organizationId, organizationId), eq(encounters.status, "signed"), gte(encounters.signedAt, monthStart), lt(encounters.signedAt, now)))
      .groupBy(encounters.providerId)
      .orderBy(desc(sql`count(*)`)),
    // Treatments signed this month without a consent their service required, current at signing,
    // or (injectables, where the clinic asks) without a current good-faith exam.
    ctx.db
      .select({
        encounterId: encounters.id,
        signedAt: encounters.signedAt,
        timeZone: locations.timeZone,
        providerName: users.name,
        serviceName: services.name,
        patientFirst: patients.firstName,
        patientLast: patients.lastName,
        missingConsents: sql<string | null>`(select group_concat(ct.name, ', ') from service_consents sc join consent_templates ct on ct.id = sc.template_id
          where sc.service_id = ${encounters.serviceId} and not exists (select 1 from patient_consents pc where pc.patient_id = ${encounters.patientId} and pc.template_id = sc.template_id
            and pc.signed_at <= ${encounters.signedAt} and pc.signed_at >= ${encounters.signedAt} - ct.valid_months * ${MONTH_MS}))`,
        missingExam: sql<number>`(select case when g.required = 1 and t.kind in ('neurotoxin', 'filler') and not exists (select 1 from good_faith_exams x where x.patient_id = ${encounters.patientId}
            and x.examined_at <= ${encounters.signedAt} and x.examined_at >= ${encounters.signedAt} - g.valid_months * ${MONTH_MS}) then 1 else 0 end
          from good_faith_exam_settings g, chart_template_versions v join chart_templates t on t.id = v.template_id where g.organization_id = ${organizationId} and v.id = ${encounters.templateVersionId})`,
      })
      .from(encounters)
      .innerJoin(locations, eq(locations.id, encounters.locationId))
      .innerJoin(users, eq(users.id, encounters.providerId))
      .innerJoin(services, eq(services.id, encounters.serviceId))
      .innerJoin(patients, eq(patients.id, encounters.patientId))
      .where(and(eq(encounters.organizationId, organizationId), eq(encounters.status, "signed"), gte(encounters.signedAt, monthStart), lt(encounters.signedAt, now)))
      .orderBy(asc(encounters.signedAt))
      .limit(2000),
  ]);
  await audit(ctx, { actor: session.user, action: "compliance.read", entityType: "organization", entityId: organizationId, outcome: "allowed" });
  return { late, quota: signedThisMonth, unmet: unmet.filter((u) => u.missingConsents || u.missingExam === 1) };
}
