import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requirePermission } from "~/auth/guards.server";
import { readPhoto } from "~/charting/photos.server";

/**
 * One clinical photo (or its preview with ?size=thumb), for staff who read charts at its location;
 * every read is audited; never cached by anything shared, never sniffed as another type.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:chart:organization");
  const size = new URL(request.url).searchParams.get("size") === "thumb" ? "thumb" : "full";
  const photo = await readPhoto(context, session, params.encounterId ?? "", params.photoId ?? "", size);
  if (!photo) throw notFound("No photo with that id on this chart.");
  return new Response(photo.body as BodyInit, { headers: { "content-type": photo.contentType, "cache-control": "private, no-store", "x-content-type-options": "nosniff", "content-disposition": "inline" } });
}
