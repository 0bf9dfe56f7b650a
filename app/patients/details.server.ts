import { refusedWith } from "../lib/db-refusal";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { audit, auditInsertByChange } from "../audit/audit.server";
import { patientHealthItems, patients } from "../../db/schema";
import type { HealthItemSchema, PatientDetailsSchema } from "./record-schemas";

/** Everything the Details tab shows and edits, with the allergy, medication and condition lists. */
export async function loadPatientDetails(ctx: AppContext, session: AuthedSession, patientId: string) {
  const organizationId = session.user.organizationId;
  const [[row], items] = await Promise.all([
    ctx.db
      .select({
        firstName: patients.firstName,
        lastName: patients.lastName,
        preferredName: patients.preferredName,
        pronouns: patients.pronouns,
        sexAtBirth: patients.sexAtBirth,
        dateOfBirth: patients.dateOfBirth,
        email: patients.email,
        phone: patients.phone,
        smsConsent: patients.smsConsent,
        emailConsent: patients.emailConsent,
        addressLine1: patients.addressLine1,
        addressLine2: patients.addressLine2,
        city: patients.city,
        region: patients.region,
        postalCode: patients.postalCode,
        country: patients.country,
        emergencyName: patients.emergencyName,
        emergencyRelationship: patients.emergencyRelationship,
        emergencyPhone: patients.emergencyPhone,
        hasPhoto: sql<number>`${patients.photoKey} is not null`,
      })
      .from(patients)
      .where(and(eq(patients.id, patientId), eq(patients.organizationId, organizationId), isNull(patients.mergedIntoId)))
      .limit(1),
    ctx.db
      .select({ id: patientHealthItems.id, kind: patientHealthItems.kind, name: patientHealthItems.name, detail: patientHealthItems.detail, severity: patientHealthItems.severity, alert: patientHealthItems.alert })
      .from(patientHealthItems)
      .where(and(eq(patientHealthItems.patientId, patientId), eq(patientHealthItems.organizationId, organizationId)))
      .orderBy(patientHealthItems.kind, patientHealthItems.createdAt),
  ]);
  await audit(ctx, { actor: session.user, action: "patient.read", entityType: "patient", entityId: patientId, outcome: row ? "allowed" : "denied", reason: row ? "details" : "not_found" });
  return row ? { ...row, hasPhoto: Boolean(row.hasPhoto), items } : null;
}

const blank = (v: string | undefined) => (v ? v : null);

/**
 * Saves the Details form: one conditional update (this organization's record, not merged away)
 * and its audit, in one batch. Returns whether a record was changed.
 */
export async function updatePatientDetails(ctx: AppContext, session: AuthedSession, patientId: string, v: z.infer<typeof PatientDetailsSchema>) {
  const [result] = await ctx.db.batch([
    ctx.db
      .update(patients)
      .set({
        firstName: v.firstName,
        lastName: v.lastName,
        preferredName: blank(v.preferredName),
        pronouns: blank(v.pronouns),
        sexAtBirth: v.sexAtBirth ?? null,
        dateOfBirth: v.dateOfBirth,
        email: v.email ?? null,
        phone: v.phone ?? null,
        smsConsent: v.smsConsent,
        emailConsent: v.emailConsent,
        addressLine1: blank(v.addressLine1),
        addressLine2: blank(v.addressLine2),
        city: blank(v.city),
        region: blank(v.region),
        postalCode: blank(v.postalCode),
        country: blank(v.country),
        emergencyName: blank(v.emergencyName),
        emergencyRelationship: blank(v.emergencyRelationship),
        emergencyPhone: v.emergencyPhone ?? null,
      })
      .where(and(eq(patients.id, patientId), eq(patients.organizationId, session.user.organizationId), isNull(patients.mergedIntoId))),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "patient.update", entityType: "patient", entityId: patientId, reason: "details" }, "not_found"),
  ]);
  return result.rowsAffected > 0;
}

/** Adds an allergy, medication or condition; the insert reads the patient, so another organization's id adds nothing. */
export async function addHealthItem(ctx: AppContext, session: AuthedSession, patientId: string, v: z.infer<typeof HealthItemSchema>) {
  const organizationId = session.user.organizationId;
  const id = crypto.randomUUID();
  const [owner] = await ctx.db.select({ id: patients.id }).from(patients).where(and(eq(patients.id, patientId), eq(patients.organizationId, organizationId), isNull(patients.mergedIntoId))).limit(1);
  if (!owner) return false;
  // A merge between the read and the insert is refused by the database (atrium_patient_merged).
  return ctx.db.batch([
    ctx.db.insert(patientHealthItems).values({
      id,
      organizationId,
      patientId,
      kind: v.kind,
      name: v.name,
      detail: blank(v.detail),
      severity: v.kind === "allergy" ? (v.severity ?? null) : null,
      // Allergies are always alerts; a medication or condition when staff say so.
      alert: v.kind === "allergy" || v.kind === "contraindication" ? true : v.alert,
      createdBy: session.user.id,
      createdAt: ctx.clock.now(),
    }),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "patient.health_item_add", entityType: "patient", entityId: patientId, reason: v.kind }, "not_found"),
  ]).then(
    () => true,
    (error: unknown) => {
      if (isMergedAway(error)) return false;
      throw error;
    },
  );
}

/** The database refused a write naming a record that was merged into another. */
export function isMergedAway(error: unknown) {
  return refusedWith(error, "atrium_patient_merged");
}

/** Removes one entry from the lists; only this patient's, in this organization. */
export async function removeHealthItem(ctx: AppContext, session: AuthedSession, patientId: string, itemId: string) {
  const [result] = await ctx.db.batch([
    ctx.db.delete(patientHealthItems).where(and(eq(patientHealthItems.id, itemId.slice(0, 64)), eq(patientHealthItems.patientId, patientId), eq(patientHealthItems.organizationId, session.user.organizationId))),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "patient.health_item_remove", entityType: "patient", entityId: patientId }, "not_found"),
  ]);
  return result.rowsAffected > 0;
}
