import { and, eq, gt, isNull } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { accountTokens, memberships, organizations, users } from "../../db/schema";
import { randomToken, sha256Hex } from "./password.server";

export type TokenKind = "password_reset" | "invite";
export const TOKEN_TTL_MS: Record<TokenKind, number> = {
  password_reset: 60 * 60 * 1000,
  invite: 7 * 24 * 60 * 60 * 1000,
};

/** Issues a single-use token; the raw value goes in the emailed link, only its hash is stored. */
export async function issueToken(ctx: Pick<AppContext, "db" | "clock">, userId: string, kind: TokenKind, organizationId: string | null = null) {
  const raw = randomToken(32);
  const now = ctx.clock.now();
  const id = crypto.randomUUID();
  await ctx.db.insert(accountTokens).values({
    id,
    userId,
    organizationId,
    kind,
    tokenHash: await sha256Hex(raw),
    expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[kind]),
    createdAt: now,
  });
  return { raw, id };
}

/**
 * The live token's user (and, for invitations, the organization and the pending membership),
 * or null when unknown, used, expired, or the membership was disabled meanwhile.
 */
export async function findLiveToken(ctx: AppContext, raw: string, kind: TokenKind) {
  if (!raw || raw.length > 100) return null;
  const [row] = await ctx.db
    .select({
      tokenId: accountTokens.id,
      userId: users.id,
      email: users.email,
      name: users.name,
      hasPassword: users.passwordHash,
      organizationId: accountTokens.organizationId,
      organizationName: organizations.name,
      role: memberships.role,
      membershipStatus: memberships.status,
    })
    .from(accountTokens)
    .innerJoin(users, eq(users.id, accountTokens.userId))
    .leftJoin(organizations, eq(organizations.id, accountTokens.organizationId))
    .leftJoin(memberships, and(eq(memberships.userId, accountTokens.userId), eq(memberships.organizationId, accountTokens.organizationId)))
    .where(and(eq(accountTokens.tokenHash, await sha256Hex(raw)), eq(accountTokens.kind, kind), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, ctx.clock.now())))
    .limit(1);
  if (!row) return null;
  if (kind === "invite" && (!row.organizationId || row.membershipStatus === "disabled" || !row.role)) return null;
  return { ...row, hasPassword: Boolean(row.hasPassword) };
}
