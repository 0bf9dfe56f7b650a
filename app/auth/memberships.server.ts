import { and, asc, desc, eq } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { memberships, organizations, sessions } from "../../db/schema";

/**
 * The organization a sign-in acts in: where the user last worked, if that membership is
 * still active, otherwise their oldest active membership. Null when none is active.
 */
export async function signInMembership(ctx: Pick<AppContext, "db">, userId: string) {
  const active = await ctx.db
    .select({ organizationId: memberships.organizationId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "active")))
    .orderBy(asc(memberships.createdAt));
  if (active.length <= 1) return active[0] ?? null;
  const [last] = await ctx.db.select({ organizationId: sessions.organizationId }).from(sessions).where(eq(sessions.userId, userId)).orderBy(desc(sessions.createdAt)).limit(1);
  return active.find((m) => m.organizationId === last?.organizationId) ?? active[0];
}

export async function anyMembership(ctx: AppContext, userId: string) {
  const [m] = await ctx.db.select({ organizationId: memberships.organizationId }).from(memberships).where(eq(memberships.userId, userId)).orderBy(asc(memberships.createdAt)).limit(1);
  return m ?? null;
}

/** Organizations the user may switch to (active memberships), for the switcher. */
export async function activeOrganizations(ctx: AppContext, userId: string) {
  return ctx.db
    .select({ id: organizations.id, name: organizations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "active")))
    .orderBy(asc(organizations.name));
}

export async function activeMembership(ctx: AppContext, userId: string, organizationId: string) {
  const [m] = await ctx.db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.organizationId, organizationId), eq(memberships.status, "active")));
  return m ?? null;
}
