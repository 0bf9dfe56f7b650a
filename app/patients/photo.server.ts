import { and, eq, isNull } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { audit, auditInsertByChange } from "../audit/audit.server";
import { patients } from "../../db/schema";
import { ImageError, sniffImage, stripImageMetadata } from "../lib/image-metadata";
import { PATIENT_PHOTO_BYTES } from "../lib/body-limits";

export const PHOTO_MAX_BYTES = PATIENT_PHOTO_BYTES;

export type PhotoResult = { ok: true } | { ok: false; status: number; message: string };

/**
 * A patient's portrait: the real type checked from the bytes (JPEG or PNG), every piece of
 * metadata removed (image-metadata.ts), stored through the storage seam under a fresh key (never
 * public: served by the record's audited photo route), and the record pointed at it in one
 * conditional update with its audit. The previous file is removed after the change commits.
 */
export async function savePatientPhoto(ctx: AppContext, session: AuthedSession, patientId: string, file: File): Promise<PhotoResult> {
  if (file.size === 0) return { ok: false, status: 400, message: "Choose a photo to upload." };
  if (file.size > PHOTO_MAX_BYTES) return { ok: false, status: 413, message: "That photo is larger than 8 MB. Choose a smaller one." };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const kind = sniffImage(bytes);
  if (!kind) return { ok: false, status: 415, message: "Use a JPEG or PNG photo." };
  let clean: Uint8Array;
  try {
    clean = stripImageMetadata(bytes, kind);
  } catch (error) {
    if (error instanceof ImageError) return { ok: false, status: 400, message: `${error.message} Choose another photo.` };
    throw error;
  }
  const organizationId = session.user.organizationId;
  const [current] = await ctx.db.select({ photoKey: patients.photoKey }).from(patients).where(and(eq(patients.id, patientId), eq(patients.organizationId, organizationId), isNull(patients.mergedIntoId))).limit(1);
  if (!current) return { ok: false, status: 404, message: "That patient was not found." };
  const key = `patients/${organizationId}/${patientId}/photo-${crypto.randomUUID()}.${kind === "jpeg" ? "jpg" : "png"}`;
  await ctx.storage.put(key, clean, kind === "jpeg" ? "image/jpeg" : "image/png");
  const [result] = await ctx.db.batch([
    ctx.db.update(patients).set({ photoKey: key }).where(and(eq(patients.id, patientId), eq(patients.organizationId, organizationId), isNull(patients.mergedIntoId))),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "patient.photo_set", entityType: "patient", entityId: patientId }, "not_found"),
  ]);
  if (result.rowsAffected === 0) {
    await ctx.storage.delete(key);
    return { ok: false, status: 404, message: "That patient was not found." };
  }
  if (current.photoKey) ctx.afterResponse(() => ctx.storage.delete(current.photoKey!));
  return { ok: true };
}

export async function removePatientPhoto(ctx: AppContext, session: AuthedSession, patientId: string): Promise<PhotoResult> {
  const organizationId = session.user.organizationId;
  const [current] = await ctx.db.select({ photoKey: patients.photoKey }).from(patients).where(and(eq(patients.id, patientId), eq(patients.organizationId, organizationId))).limit(1);
  if (!current) return { ok: false, status: 404, message: "That patient was not found." };
  await ctx.db.batch([
    ctx.db.update(patients).set({ photoKey: null }).where(and(eq(patients.id, patientId), eq(patients.organizationId, organizationId))),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "patient.photo_remove", entityType: "patient", entityId: patientId }, "not_found"),
  ]);
  if (current.photoKey) ctx.afterResponse(() => ctx.storage.delete(current.photoKey!));
  return { ok: true };
}

/** The portrait's bytes for a viewer of this organization, audited; null when there is none. */
export async function readPatientPhoto(ctx: AppContext, session: AuthedSession, patientId: string) {
  const [row] = await ctx.db.select({ photoKey: patients.photoKey }).from(patients).where(and(eq(patients.id, patientId), eq(patients.organizationId, session.user.organizationId))).limit(1);
  await audit(ctx, { actor: session.user, action: "patient.photo_read", entityType: "patient", entityId: patientId, outcome: row?.photoKey ? "allowed" : "denied", reason: row?.photoKey ? undefined : "not_found" });
  if (!row?.photoKey) return null;
  return ctx.storage.get(row.photoKey);
}
