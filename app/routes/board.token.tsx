import { type LoaderFunctionArgs } from "@remix-run/node";
import { accessibleLocations, currentLocation, requirePermission } from "~/auth/guards.server";
import { boardToken } from "~/board/board.server";

/** A fresh, short-lived token for the live board's room (the socket asks when it reconnects). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:schedule:location");
  const wanted = new URL(request.url).searchParams.get("location");
  const options = await accessibleLocations(context, session);
  const location = options.find((l) => l.id === wanted) ?? currentLocation(session, options);
  const issued = location ? await boardToken(context, session.user, location.id, new URL(request.url).searchParams.get("privacy") === "1") : null;
  if (!issued) return Response.json({ message: "Live updates aren't configured here." }, { status: 404, headers: { "Cache-Control": "no-store" } });
  return Response.json({ token: issued.token, exp: issued.exp }, { headers: { "Cache-Control": "no-store" } });
}
