import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearCookieHeader, loadSession, revokeAllSessions, revokeSession } from "~/auth/session.server";

/** Sign-out is a POST only (a GET could be triggered by any page). */
export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const loaded = await loadSession(context, request);
  const everywhere = (await request.formData()).get("scope") === "everywhere";
  if (loaded && "session" in loaded) {
    const { session } = loaded;
    const entry = { actor: session.user, action: everywhere ? "auth.sign_out_everywhere" : "auth.sign_out", entityType: "user", entityId: session.user.id, outcome: "allowed" as const };
    if (everywhere) await revokeAllSessions(context, session.user.id, undefined, entry);
    else await revokeSession(context, session.id, entry);
  }
  return redirect("/login?reason=signed_out", { headers: { "Set-Cookie": await clearCookieHeader(context), "Cache-Control": "no-store" } });
}
