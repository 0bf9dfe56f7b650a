import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import { organizations } from "../../db/schema";
import { commitAudited } from "../audit/audit.server";
import type { AuthedSession } from "../auth/guards.server";
import type { OrganizationSchema } from "./schemas";

export async function getOrganization(ctx: AppContext, session: AuthedSession) {
  const [org] = await ctx.db
    .select({ name: organizations.name, phone: organizations.phone, email: organizations.email, website: organizations.website, staffIdleMinutes: organizations.staffIdleMinutes, patientIdleMinutes: organizations.patientIdleMinutes, mfaRequiredForAllStaff: organizations.mfaRequiredForAllStaff })
    .from(organizations)
    .where(eq(organizations.id, session.user.organizationId));
  return org;
}

export async function updateOrganization(ctx: AppContext, session: AuthedSession, input: z.infer<typeof OrganizationSchema>) {
  await commitAudited(
    ctx,
    [ctx.db.update(organizations).set({ ...input, phone: input.phone ?? null, email: input.email ?? null, website: input.website ?? null }).where(eq(organizations.id, session.user.organizationId))],
    { actor: session.user, action: "organization.update", entityType: "organization", entityId: session.user.organizationId, outcome: "allowed" },
  );
}
