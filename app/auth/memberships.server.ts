import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { memberships, sessions, users } from "../../db/schema";

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

/**
 * Everything a password sign-in needs about an account, in one round trip: the user, their
 * memberships (oldest first) and the organization of their last session. Keyed by email, so it
 * can go out with the attempt's throttle count.
 */
export async function signInLookup(ctx: Pick<AppContext, "db">, email: string) {
  const userId = ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  const [[user], all, [last]] = await ctx.db.batch([
    ctx.db.select({ id: users.id, passwordHash: users.passwordHash, mfaEnabledAt: users.mfaEnabledAt }).from(users).where(eq(users.email, email)).limit(1),
    ctx.db.select({ organizationId: memberships.organizationId, role: memberships.role, status: memberships.status }).from(memberships).where(inArray(memberships.userId, userId)).orderBy(asc(memberships.createdAt)),
    ctx.db.select({ organizationId: sessions.organizationId }).from(sessions).where(inArray(sessions.userId, userId)).orderBy(desc(sessions.createdAt)).limit(1),
  ]);
  const active = all.filter((m) => m.status === "active").map(({ organizationId, role }) => ({ organizationId, role }));
  // Where the user last worked, if still active there; otherwise their oldest active membership.
  const membership = active.find((m) => m.organizationId === last?.organizationId) ?? active[0] ?? null;
  return { user: user ?? null, membership, anyOrganizationId: all[0]?.organizationId ?? null };
}

export async function activeMembership(ctx: AppContext, userId: string, organizationId: string) {
  const [m] = await ctx.db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.organizationId, organizationId), eq(memberships.status, "active")));
  return m ?? null;
}
