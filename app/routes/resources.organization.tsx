import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { audit, commitAudited } from "~/audit/audit.server";
import { requireUser } from "~/auth/guards.server";
import { homePathFor } from "~/auth/permissions";
import { sessions } from "../../db/schema";

const Schema = z.object({ organizationId: z.string().max(64) });

export async function loader() {
  return redirect("/");
}

/** Switches the organization this session acts in, among the user's active memberships. */
export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context, { allowMfaSetup: true });
  const parsed = Schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response("Choose an organization from the list.", { status: 400 });
  // The user's active memberships were read with the session.
  const membership = session.organizations.find((o) => o.id === parsed.data.organizationId);
  if (!membership) {
    await audit(context, { actor: session.user, action: "auth.organization_switch", entityType: "organization", entityId: parsed.data.organizationId, outcome: "denied", reason: "no_active_membership" });
    throw new Response("You are not a member of that organization.", { status: 403 });
  }
  await commitAudited(context, [context.db.update(sessions).set({ organizationId: parsed.data.organizationId, currentLocationId: null }).where(eq(sessions.id, session.id))], { actor: { ...session.user, organizationId: parsed.data.organizationId, role: membership.role }, action: "auth.organization_switch", entityType: "organization", entityId: parsed.data.organizationId, outcome: "allowed" });
  return redirect(homePathFor(membership.role));
}
