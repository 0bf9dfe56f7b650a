import { type LoaderFunctionArgs } from "@remix-run/node";
import { accessibleLocations, currentLocation, requirePermission } from "~/auth/guards.server";
import { boardToken } from "~/board/board.server";

/** A fresh, short-lived token for the live board's room (the socket asks when it reconnects). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  // The socket asks with fetch: a session that ended is told so plainly (401), not sent to sign in.
  const session = await requirePermission(request, context, "read:schedule:location", { allowPrivacyScreen: true }).catch((thrown: unknown) => {
    if (thrown instanceof Response && thrown.status === 302) throw Response.json({ message: "Your session has ended. Sign in again." }, { status: 401, headers: { "Cache-Control": "no-store" } });
    throw thrown;
  });
  const url = new URL(request.url);
  const wanted = url.searchParams.get("location");
  const options = await accessibleLocations(context, session);
  const location = options.find((l) => l.id === wanted) ?? currentLocation(session, options);
  // A privacy screen gets initials whatever it asks for.
  const privacy = session.privacyScreen || url.searchParams.get("privacy") === "1";
  const issued = location ? await boardToken(context, session, location.id, privacy) : null;
  if (!issued) return Response.json({ message: "Live updates aren't configured here." }, { status: 404, headers: { "Cache-Control": "no-store" } });
  return Response.json({ token: issued.token, exp: issued.exp }, { headers: { "Cache-Control": "no-store" } });
}
