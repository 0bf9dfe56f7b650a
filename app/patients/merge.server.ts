import { and, eq, inArray, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { auditInsertByChange } from "../audit/audit.server";
import { appointments, messages, patientHealthItems, patientNotes, patients, recentPatients, waitlistEntries, encounters, encounterPhotos, patientConsents, goodFaithExams } from "../../db/schema";

/** Columns the kept record takes from the duplicate when it has none of its own. */
const FILLED = ["email", "phone", "preferred_name", "pronouns", "sex_at_birth", "address_line1", "address_line2", "city", "region", "postal_code", "country", "emergency_name", "emergency_relationship", "emergency_phone", "photo_key", "preferred_location_id"] as const;

export type MergeResult = { ok: true; moved: number } | { ok: false; status: number; message: string };

/**
 * Folds `duplicateId` into `keepId` (the record the desk is on): the duplicate's visits, waitlist
 * places, notes, health lists and messages move over, blank details are filled from it, its
 * cancellation and no-show counts are added, and it is marked merged (links to it lead to the kept
 * record; search no longer finds it). One batch: the first two statements decide — each only
 * changes a row when both records are this organization's, neither is merged already and they
 * don't both have a portal sign-in — and every later statement only moves rows of a duplicate now
 * merged into this record. Two desks merging the same pair at once, or each into the other, get one
 * merge: SQLite runs the batches one after the other, and the second finds the duplicate merged.
 * Both ids go in the audit.
 */
export async function mergePatients(ctx: AppContext, session: AuthedSession, keepId: string, duplicateId: string): Promise<MergeResult> {
  const organizationId = session.user.organizationId;
  const keep = keepId.slice(0, 64);
  const dup = duplicateId.slice(0, 64);
  if (keep === dup) return { ok: false, status: 400, message: "Choose a different record: a record can't be merged into itself." };
  const pair = await ctx.db
    .select({ id: patients.id, userId: patients.userId, mergedIntoId: patients.mergedIntoId })
    .from(patients)
    .where(and(inArray(patients.id, [keep, dup]), eq(patients.organizationId, organizationId)));
  const kept = pair.find((p) => p.id === keep);
  const other = pair.find((p) => p.id === dup);
  if (!kept || kept.mergedIntoId) return { ok: false, status: 404, message: "That patient was not found." };
  if (!other) return { ok: false, status: 404, message: "The record to merge was not found in your organization." };
  if (other.mergedIntoId) return { ok: false, status: 409, message: "That record was already merged into another." };
  if (kept.userId && other.userId && kept.userId !== other.userId)
    return { ok: false, status: 409, message: "Both records have their own portal sign-in, so they can't be merged here. Ask the patient which one they use and contact support to combine them." };

  const dupCol = (column: string) => sql.raw(`(select d.${column} from patients d where d.id = `);
  const fills = sql.join(
    FILLED.map((c) => sql`${sql.raw(c)} = coalesce(${sql.raw(c)}, ${dupCol(c)}${dup}))`),
    sql`, `,
  );
  const stillMergeable = sql`exists (select 1 from patients d where d.id = ${dup} and d.organization_id = ${organizationId} and d.merged_into_id is null)
    and not (patients.user_id is not null and (select d.user_id from patients d where d.id = ${dup}) is not null and patients.user_id <> (select d.user_id from patients d where d.id = ${dup}))`;
  const mergedHere = sql`(select merged_into_id from patients where id = ${dup}) = ${keep}`;
  const results = await ctx.db.batch([
    ctx.db.run(sql`update patients set ${fills},
        user_id = coalesce(user_id, (select d.user_id from patients d where d.id = ${dup})),
        late_cancellations = late_cancellations + (select d.late_cancellations from patients d where d.id = ${dup}),
        no_shows = no_shows + (select d.no_shows from patients d where d.id = ${dup})
      where id = ${keep} and organization_id = ${organizationId} and merged_into_id is null and ${stillMergeable}`),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "patient.merge", entityType: "patient", entityId: keep, reason: `merged_from:${dup}` }, "not_mergeable"),
    ctx.db.run(sql`update patients set merged_into_id = ${keep}, user_id = null
      where id = ${dup} and organization_id = ${organizationId} and merged_into_id is null
        and exists (select 1 from patients k where k.id = ${keep} and k.organization_id = ${organizationId} and k.merged_into_id is null
          and not (k.user_id is not null and patients.user_id is not null and k.user_id <> patients.user_id))`),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "patient.merged_into", entityType: "patient", entityId: dup, reason: `merged_into:${keep}` }, "not_mergeable"),
    ctx.db.update(appointments).set({ patientId: keep }).where(and(eq(appointments.patientId, dup), mergedHere)),
    ctx.db.update(waitlistEntries).set({ patientId: keep }).where(and(eq(waitlistEntries.patientId, dup), mergedHere)),
    ctx.db.update(patientNotes).set({ patientId: keep }).where(and(eq(patientNotes.patientId, dup), mergedHere)),
    ctx.db.update(patientHealthItems).set({ patientId: keep }).where(and(eq(patientHealthItems.patientId, dup), mergedHere)),
    ctx.db.update(messages).set({ patientId: keep }).where(and(eq(messages.patientId, dup), mergedHere)),
    ctx.db.delete(recentPatients).where(and(eq(recentPatients.patientId, dup), mergedHere)),
    // The clinical record follows (the database allows these rows only this one change: migration 0028).
    ctx.db.update(encounters).set({ patientId: keep }).where(and(eq(encounters.patientId, dup), mergedHere)),
    ctx.db.update(encounterPhotos).set({ patientId: keep }).where(and(eq(encounterPhotos.patientId, dup), mergedHere)),
    ctx.db.update(patientConsents).set({ patientId: keep }).where(and(eq(patientConsents.patientId, dup), mergedHere)),
    ctx.db.update(goodFaithExams).set({ patientId: keep }).where(and(eq(goodFaithExams.patientId, dup), mergedHere)),
  ]);
  const merged = (results[2] as { rowsAffected: number }).rowsAffected > 0;
  if (!merged) return { ok: false, status: 409, message: "Those records changed while you were looking (one was merged or given a portal sign-in). Check them and try again." };
  return { ok: true, moved: (results[4] as { rowsAffected: number }).rowsAffected };
}
