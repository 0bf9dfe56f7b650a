import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requirePermission } from "~/auth/guards.server";
import { readPatientPhoto } from "~/patients/photo.server";

/**
 * The patient's portrait, served only to staff of the organization, audited, never cached by
 * anything shared (it is uploaded and removed on the Details tab).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:organization");
  const photo = await readPatientPhoto(context, session, (params.patientId ?? "").slice(0, 64));
  if (!photo) throw notFound("This patient has no photo.");
  return new Response(photo.body as BodyInit, { headers: { "content-type": photo.contentType, "cache-control": "private, no-store", "x-content-type-options": "nosniff", "content-disposition": "inline" } });
}
