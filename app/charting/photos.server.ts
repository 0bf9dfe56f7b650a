import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "../lib/context.server";
import { accessibleLocations, type AuthedSession } from "../auth/guards.server";
import { audit, auditInsert, auditInsertByChange } from "../audit/audit.server";
import { encounterPhotos, encounters, PHOTO_ANGLES, PHOTO_STAGES } from "../../db/schema";
import { CHART_PHOTO_BYTES } from "../lib/body-limits";
import { IMAGE_CONTENT_TYPES, IMAGE_EXTENSIONS, ImageError, isHeif, sniffImage, stripImageMetadata } from "../lib/image-metadata";
import { refusedWith } from "../lib/db-refusal";
import { photoConsentId } from "../consents/consents.server";

/** The longer side of a preview: sharp on a tablet's retina grid, small enough to list many. */
export const THUMB_SIZE = 480;

export const photoFieldsSchema = z.object({
  // Made on the tablet when the photo is taken; a replay of the same upload carries the same one.
  clientId: z.string({ required_error: "This photo has no id; take it again." }).regex(/^[A-Za-z0-9-]{8,64}$/, "This photo's id is not valid; take it again."),
  stage: z.enum(PHOTO_STAGES, { errorMap: () => ({ message: "Choose before, during or after." }) }),
  angle: z.enum(PHOTO_ANGLES, { errorMap: () => ({ message: "Choose the angle." }) }),
  caption: z.string().trim().max(200, "Keep the caption under 200 characters.").optional().transform((v) => v || null),
});

export type PhotoOutcome = { ok: true; photoId: string; duplicate: boolean } | { ok: false; status: number; message: string; field?: string };

const refuse = (status: number, message: string, field?: string): PhotoOutcome => ({ ok: false, status, message, field });

/** Whether the patient's photography consent (signed at, valid for months) allows photos now; a clinic without the form isn't gated. */
export function photoConsentCurrent(signedAt: number | null, validMonths: number | null, now: Date) {
  if (validMonths === null) return true;
  if (signedAt === null) return false;
  const from = new Date(now);
  from.setUTCMonth(from.getUTCMonth() - validMonths);
  return signedAt >= from.getTime() && signedAt <= now.getTime();
}

/**
 * Adds a clinical photo to a draft chart, only while the patient's clinical photography consent is current. The file's real type is read from its bytes (JPEG, PNG
 * or WebP; HEIC is named so the provider knows what to change), every piece of metadata is dropped
 * (GPS position, device, time: image-metadata.ts), a preview is made, both are stored under keys
 * the app made, and the row with its audit event commits in one batch. An upload replayed with the
 * same client id (the tablet's outbox, a lost answer) finds the photo it made the first time.
 */
export async function addPhoto(ctx: AppContext, session: AuthedSession, encounterId: string, form: FormData): Promise<PhotoOutcome> {
  const id = encounterId.slice(0, 64);
  const fields = photoFieldsSchema.safeParse({ clientId: form.get("clientId") ?? undefined, stage: form.get("stage") ?? undefined, angle: form.get("angle") ?? undefined, caption: form.get("caption") ?? undefined });
  if (!fields.success) {
    const issue = fields.error.issues[0];
    return refuse(400, issue.message, String(issue.path[0]));
  }
  const [draft] = await ctx.db
    .select({
      providerId: encounters.providerId,
      status: encounters.status,
      patientId: encounters.patientId,
      existing: encounterPhotos.id,
      // The patient's clinical photography consent, read with the chart (one round trip, ADR 020).
      photoConsentAt: sql<number | null>`(select max(pc.signed_at) from patient_consents pc where pc.patient_id = ${encounters.patientId} and pc.template_id = ${photoConsentId(session.user.organizationId)})`,
      photoConsentMonths: sql<number | null>`(select valid_months from consent_templates where id = ${photoConsentId(session.user.organizationId)})`,
    })
    .from(encounters)
    .leftJoin(encounterPhotos, and(eq(encounterPhotos.encounterId, encounters.id), eq(encounterPhotos.clientId, fields.data.clientId)))
    .where(and(eq(encounters.id, id), eq(encounters.organizationId, session.user.organizationId)));
  if (!draft) return refuse(404, "That chart was not found.");
  if (draft.providerId !== session.user.id) return refuse(403, "Only the visit's provider can add photos to this chart.");
  if (draft.existing) return { ok: true, photoId: draft.existing, duplicate: true };
  if (draft.status === "signed") return refuse(409, "This chart is signed; photos can't be added to it.");
  if (!photoConsentCurrent(draft.photoConsentAt, draft.photoConsentMonths, ctx.clock.now())) return refuse(409, "Photos need the patient's clinical photography consent, and none is current. Have the patient sign it first (Before signing, on the chart).", "photo");

  const file = form.get("photo");
  if (!(file instanceof File) || file.size === 0) return refuse(400, "Choose or take a photo.", "photo");
  if (file.size > CHART_PHOTO_BYTES) return refuse(413, `That photo is larger than ${CHART_PHOTO_BYTES / 1024 / 1024} MB.`, "photo");
  const bytes = new Uint8Array(await file.arrayBuffer());
  const kind = sniffImage(bytes);
  if (!kind) {
    const message = isHeif(bytes) ? "That is a HEIC photo, which can't be read here. Take it with Atrium's camera, or set the camera to “Most Compatible” (JPEG)." : "That file is not a photo. Use a JPEG, PNG or WebP image.";
    return refuse(415, message, "photo");
  }
  const damaged = refuse(400, "That photo is damaged or incomplete. Take it again.", "photo");
  let clean: Uint8Array;
  try {
    clean = stripImageMetadata(bytes, kind);
  } catch (error) {
    if (error instanceof ImageError) return damaged;
    throw error;
  }
  const thumb = await ctx.images.thumbnail(clean, THUMB_SIZE);
  if (!thumb) return damaged;

  const photoId = crypto.randomUUID();
  const base = `encounters/${session.user.organizationId}/${id}/photo-${photoId}`;
  const fileKey = `${base}.${IMAGE_EXTENSIONS[kind]}`;
  const thumbKey = `${base}-thumb.jpg`;
  await Promise.all([ctx.storage.put(fileKey, clean, IMAGE_CONTENT_TYPES[kind]), ctx.storage.put(thumbKey, thumb.bytes, "image/jpeg")]);
  const forget = () => Promise.all([ctx.storage.delete(fileKey), ctx.storage.delete(thumbKey)]);
  const now = ctx.clock.now();
  try {
    const [inserted] = await ctx.db.batch([
      ctx.db
        .insert(encounterPhotos)
        .values({ id: photoId, organizationId: session.user.organizationId, encounterId: id, patientId: draft.patientId, clientId: fields.data.clientId, stage: fields.data.stage, angle: fields.data.angle, caption: fields.data.caption, fileKey, thumbKey, contentType: IMAGE_CONTENT_TYPES[kind], width: thumb.width, height: thumb.height, byteSize: clean.length, takenBy: session.user.id, createdAt: now })
        .onConflictDoNothing({ target: [encounterPhotos.encounterId, encounterPhotos.clientId] }),
      auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "encounter.photo_add", entityType: "encounter_photo", entityId: photoId }, "duplicate"),
    ]);
    if (inserted.rowsAffected === 0) {
      // The same upload, twice at once: the first one's photo stands.
      await forget();
      const [first] = await ctx.db.select({ id: encounterPhotos.id }).from(encounterPhotos).where(and(eq(encounterPhotos.encounterId, id), eq(encounterPhotos.clientId, fields.data.clientId)));
      return { ok: true, photoId: first.id, duplicate: true };
    }
  } catch (error) {
    await forget();
    if (refusedWith(error, "atrium_encounter_signed")) return refuse(409, "This chart was signed meanwhile; photos can't be added to it.");
    throw error;
  }
  return { ok: true, photoId, duplicate: false };
}

/** Removes a photo from a draft chart (the database refuses once it is signed). */
export async function removePhoto(ctx: AppContext, session: AuthedSession, encounterId: string, photoId: string): Promise<PhotoOutcome> {
  const [row] = await ctx.db
    .select({ fileKey: encounterPhotos.fileKey, thumbKey: encounterPhotos.thumbKey, providerId: encounters.providerId, status: encounters.status })
    .from(encounterPhotos)
    .innerJoin(encounters, eq(encounters.id, encounterPhotos.encounterId))
    .where(and(eq(encounterPhotos.id, photoId.slice(0, 64)), eq(encounterPhotos.encounterId, encounterId.slice(0, 64)), eq(encounterPhotos.organizationId, session.user.organizationId)));
  if (!row) return refuse(404, "That photo was not found.");
  if (row.providerId !== session.user.id) return refuse(403, "Only the visit's provider can remove photos from this chart.");
  if (row.status === "signed") return refuse(409, "This chart is signed; its photos stay with it.");
  try {
    await ctx.db.batch([
      ctx.db.delete(encounterPhotos).where(eq(encounterPhotos.id, photoId)),
      auditInsert(ctx, ctx.db, { actor: session.user, action: "encounter.photo_remove", entityType: "encounter_photo", entityId: photoId, outcome: "allowed" }),
    ]);
  } catch (error) {
    if (refusedWith(error, "atrium_encounter_signed")) return refuse(409, "This chart was signed meanwhile; its photos stay with it.");
    throw error;
  }
  ctx.afterResponse(() => Promise.all([ctx.storage.delete(row.fileKey), ctx.storage.delete(row.thumbKey)]));
  return { ok: true, photoId, duplicate: false };
}

/** A chart's photos in the order they were taken (metadata only; the bytes come from readPhoto). */
export async function photosOf(ctx: Pick<AppContext, "db">, organizationId: string, encounterId: string) {
  return ctx.db
    .select({ id: encounterPhotos.id, stage: encounterPhotos.stage, angle: encounterPhotos.angle, caption: encounterPhotos.caption, width: encounterPhotos.width, height: encounterPhotos.height, createdAt: encounterPhotos.createdAt, thumbKey: encounterPhotos.thumbKey })
    .from(encounterPhotos)
    .where(and(eq(encounterPhotos.encounterId, encounterId), eq(encounterPhotos.organizationId, organizationId)))
    .orderBy(asc(encounterPhotos.createdAt), asc(encounterPhotos.id));
}

/**
 * One photo's bytes (the file or its preview) for someone who may read charts at its location,
 * with an audit event naming the photo and never anything in it. Null when it is not theirs to see.
 */
export async function readPhoto(ctx: AppContext, session: AuthedSession, encounterId: string, photoId: string, size: "full" | "thumb") {
  const [row] = await ctx.db
    .select({ fileKey: encounterPhotos.fileKey, thumbKey: encounterPhotos.thumbKey, locationId: encounters.locationId })
    .from(encounterPhotos)
    .innerJoin(encounters, eq(encounters.id, encounterPhotos.encounterId))
    .where(and(eq(encounterPhotos.id, photoId.slice(0, 64)), eq(encounterPhotos.encounterId, encounterId.slice(0, 64)), eq(encounterPhotos.organizationId, session.user.organizationId)));
  const allowed = !!row && (await accessibleLocations(ctx, session)).some((l) => l.id === row.locationId);
  await audit(ctx, { actor: session.user, action: size === "thumb" ? "encounter.photo_preview_read" : "encounter.photo_read", entityType: "encounter_photo", entityId: photoId.slice(0, 64), outcome: allowed ? "allowed" : "denied", reason: allowed ? undefined : "not_found" });
  if (!allowed) return null;
  return ctx.storage.get(size === "thumb" ? row.thumbKey : row.fileKey);
}

/** A preview's bytes by its storage key (the chart PDF's own read is the audited one). */
export async function previewBytes(ctx: Pick<AppContext, "storage">, thumbKey: string): Promise<Uint8Array | null> {
  const file = await ctx.storage.get(thumbKey);
  if (!file) return null;
  return file.body instanceof Uint8Array ? file.body : new Uint8Array(await new Response(file.body).arrayBuffer());
}
