import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { audit } from "../audit/audit.server";
import { retryBusy } from "../lib/busy";
import { memberships, patientHealthItems, patientNotes, patients, recentPatients } from "../../db/schema";
import { owedByPatient } from "../checkout/patient-invoices.server";

/**
 * The patient record's header: who this is (name, age, preferred name, pronouns, photo), what
 * staff must not miss (allergies, flagged conditions, pinned notes, late cancellations, no-shows)
 * the portal status and, for those who may read invoices, what the patient owes. Read in
 * statements sent together; audited as one record read.
 */
export async function loadRecordHeader(ctx: AppContext, session: AuthedSession, patientId: string, { withBalance = false } = {}) {
  const organizationId = session.user.organizationId;
  const id = patientId.slice(0, 64);
  const [[patient], alerts, pinned, [balance]] = await Promise.all([
    ctx.db
      .select({
        id: patients.id,
        firstName: patients.firstName,
        lastName: patients.lastName,
        preferredName: patients.preferredName,
        pronouns: patients.pronouns,
        dateOfBirth: patients.dateOfBirth,
        phone: patients.phone,
        email: patients.email,
        smsConsent: patients.smsConsent,
        emailConsent: patients.emailConsent,
        hasPhoto: sql<number>`${patients.photoKey} is not null`,
        lateCancellations: patients.lateCancellations,
        noShows: patients.noShows,
        mergedIntoId: patients.mergedIntoId,
        createdAt: patients.createdAt,
        portalStatus: memberships.status,
      })
      .from(patients)
      .leftJoin(memberships, and(eq(memberships.userId, patients.userId), eq(memberships.organizationId, patients.organizationId)))
      .where(and(eq(patients.id, id), eq(patients.organizationId, organizationId)))
      .limit(1),
    ctx.db
      .select({ id: patientHealthItems.id, kind: patientHealthItems.kind, name: patientHealthItems.name, detail: patientHealthItems.detail, severity: patientHealthItems.severity })
      .from(patientHealthItems)
      .where(and(eq(patientHealthItems.patientId, id), eq(patientHealthItems.organizationId, organizationId), or(eq(patientHealthItems.kind, "allergy"), eq(patientHealthItems.alert, true))))
      .orderBy(patientHealthItems.kind, patientHealthItems.name),
    ctx.db
      .select({ id: patientNotes.id, body: patientNotes.body })
      .from(patientNotes)
      .where(and(eq(patientNotes.patientId, id), eq(patientNotes.organizationId, organizationId), eq(patientNotes.pinned, true)))
      .orderBy(desc(patientNotes.createdAt))
      .limit(5),
    // What is owed, for those who may read invoices: the Invoices tab's own rule and locations.
    withBalance ? owedByPatient(ctx, session.user, id) : Promise.resolve([]),
  ]);
  await audit(ctx, { actor: session.user, action: "patient.read", entityType: "patient", entityId: id, outcome: patient ? "allowed" : "denied", reason: patient ? undefined : "not_found" });
  if (!patient) return null;
  if (!patient.mergedIntoId) rememberView(ctx, session, patient.id);
  return { ...patient, hasPhoto: Boolean(patient.hasPhoto), alerts, pinned, owedCents: balance ? Number(balance.owedCents) : null };
}

/**
 * Puts the record at the top of the viewer's recently viewed list, after the answer has gone
 * (like a read's audit): the page does not wait for it, and a busy database is retried.
 */
function rememberView(ctx: AppContext, session: AuthedSession, patientId: string) {
  const at = ctx.clock.now();
  const write = () =>
    ctx.db
      .insert(recentPatients)
      .values({ userId: session.user.id, patientId, organizationId: session.user.organizationId, viewedAt: at })
      .onConflictDoUpdate({ target: [recentPatients.userId, recentPatients.patientId], set: { viewedAt: at } });
  ctx.afterResponse(() => retryBusy(write));
}

export const RECENT_PATIENTS = 8;

/** The patients this staff member opened most recently, newest first (merged records left out). */
export async function recentlyViewed(ctx: AppContext, session: AuthedSession) {
  const rows = await ctx.db
    .select({ id: patients.id, firstName: patients.firstName, lastName: patients.lastName, dateOfBirth: patients.dateOfBirth })
    .from(recentPatients)
    .innerJoin(patients, eq(patients.id, recentPatients.patientId))
    .where(and(eq(recentPatients.userId, session.user.id), eq(recentPatients.organizationId, session.user.organizationId), isNull(patients.mergedIntoId)))
    .orderBy(desc(recentPatients.viewedAt))
    .limit(RECENT_PATIENTS);
  if (rows.length) await audit(ctx, { actor: session.user, action: "patient.list", entityType: "patient", outcome: "allowed", reason: "recent" });
  return rows;
}
