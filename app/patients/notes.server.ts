import { and, desc, eq, isNull } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { audit, auditInsertByChange } from "../audit/audit.server";
import { patientNotes, patients, users } from "../../db/schema";
import { isMergedAway } from "./details.server";
import type { NoteSchema } from "./record-schemas";

/** A patient's staff notes, pinned first, then newest first, with who wrote each. */
export async function listNotes(ctx: AppContext, session: AuthedSession, patientId: string) {
  const rows = await ctx.db
    .select({ id: patientNotes.id, body: patientNotes.body, pinned: patientNotes.pinned, createdAt: patientNotes.createdAt, authorName: users.name })
    .from(patientNotes)
    .innerJoin(users, eq(users.id, patientNotes.authorId))
    .where(and(eq(patientNotes.patientId, patientId), eq(patientNotes.organizationId, session.user.organizationId)))
    .orderBy(desc(patientNotes.pinned), desc(patientNotes.createdAt))
    .limit(200);
  await audit(ctx, { actor: session.user, action: "patient.notes_read", entityType: "patient", entityId: patientId, outcome: "allowed" });
  return rows;
}

export async function addNote(ctx: AppContext, session: AuthedSession, patientId: string, v: z.infer<typeof NoteSchema>) {
  const organizationId = session.user.organizationId;
  const [owner] = await ctx.db.select({ id: patients.id }).from(patients).where(and(eq(patients.id, patientId), eq(patients.organizationId, organizationId), isNull(patients.mergedIntoId))).limit(1);
  if (!owner) return false;
  return ctx.db
    .batch([
      ctx.db.insert(patientNotes).values({ id: crypto.randomUUID(), organizationId, patientId, authorId: session.user.id, body: v.body, pinned: v.pinned, createdAt: ctx.clock.now() }),
      auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "patient.note_add", entityType: "patient", entityId: patientId, reason: v.pinned ? "pinned" : undefined }, "not_found"),
    ])
    .then(
      () => true,
      (error: unknown) => {
        if (isMergedAway(error)) return false;
        throw error;
      },
    );
}

/** Pins or unpins one of this patient's notes (pinned notes show in the record's header). */
export async function setNotePinned(ctx: AppContext, session: AuthedSession, patientId: string, noteId: string, pinned: boolean) {
  const [result] = await ctx.db.batch([
    ctx.db.update(patientNotes).set({ pinned }).where(and(eq(patientNotes.id, noteId.slice(0, 64)), eq(patientNotes.patientId, patientId), eq(patientNotes.organizationId, session.user.organizationId))),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: pinned ? "patient.note_pin" : "patient.note_unpin", entityType: "patient", entityId: patientId }, "not_found"),
  ]);
  return result.rowsAffected > 0;
}
