import { and, eq, inArray, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { audit } from "../audit/audit.server";
import { appointments, patientNotes, patients } from "../../db/schema";
import { listColumns } from "./patients.server";

/** Both records side by side before a merge: who each is and what would move. */
export async function mergePreview(ctx: AppContext, session: AuthedSession, keepId: string, duplicateId: string) {
  const organizationId = session.user.organizationId;
  const ids = [keepId.slice(0, 64), duplicateId.slice(0, 64)];
  const rows = await ctx.db
    .select({
      ...listColumns,
      portal: sql<number>`${patients.userId} is not null`,
      mergedIntoId: patients.mergedIntoId,
      visits: sql<number>`(select count(*) from ${appointments} where ${appointments.patientId} = ${patients.id})`,
      notes: sql<number>`(select count(*) from ${patientNotes} where ${patientNotes.patientId} = ${patients.id})`,
    })
    .from(patients)
    .where(and(inArray(patients.id, ids), eq(patients.organizationId, organizationId)));
  await audit(ctx, { actor: session.user, action: "patient.read", entityType: "patient", entityId: ids[1], outcome: rows.length === 2 ? "allowed" : "denied", reason: rows.length === 2 ? "merge_preview" : "not_found" });
  const keep = rows.find((r) => r.id === ids[0]);
  const duplicate = rows.find((r) => r.id === ids[1]);
  if (!keep || !duplicate || duplicate.mergedIntoId || ids[0] === ids[1]) return null;
  return { keep: { ...keep, portal: Boolean(keep.portal) }, duplicate: { ...duplicate, portal: Boolean(duplicate.portal) } };
}
