import { and, eq } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { publicLink } from "../lib/origin";
import { accountTokens, memberships, users, type LinkPurpose } from "../../db/schema";
import { auditInsert } from "../audit/audit.server";
import { signInMembership } from "./memberships.server";
import { issueToken, TOKEN_TTL_MS } from "./tokens.server";

type LinkContext = Pick<AppContext, "db" | "clock" | "env">;
const JOB = { ip: "message-job", userAgent: "Atrium message job" };

export type MintedLink = { url: string; tokenId: string } | { skipped: "no_account" | "expired" };

/**
 * Mints the one-time link an account email carries, at the moment it is sent: the raw token
 * lives only in the outgoing copy, the database keeps its hash. A reset names an address, not a
 * user (the request answered the same whether or not an account exists); it is resolved here.
 */
export async function mintAccountLink(ctx: LinkContext, message: { linkPurpose: LinkPurpose; toAddress: string; linkUserId: string | null; organizationId: string | null; createdAt: Date }): Promise<MintedLink> {
  const now = ctx.clock.now();
  if (now.getTime() - message.createdAt.getTime() > TOKEN_TTL_MS[message.linkPurpose]) return { skipped: "expired" };
  const auditCtx = { ...ctx, ...JOB };
  if (message.linkPurpose === "password_reset") {
    const [user] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, message.toAddress));
    const membership = user ? await signInMembership(ctx, user.id) : null;
    if (!user || !membership) {
      await auditInsert(auditCtx, ctx.db, { action: "auth.password_reset_requested", outcome: "denied", reason: user ? "no_active_membership" : "unknown_account" });
      return { skipped: "no_account" };
    }
    const token = await issueToken(ctx, user.id, "password_reset");
    await auditInsert(auditCtx, ctx.db, { actor: { id: user.id, ...membership }, action: "auth.password_reset_requested", entityType: "user", entityId: user.id, outcome: "allowed" });
    return { url: publicLink(ctx.env, `/reset-password?token=${token.raw}`), tokenId: token.id };
  }
  // An invitation: still pending in its organization (not disabled or accepted meanwhile)?
  if (!message.linkUserId || !message.organizationId) return { skipped: "no_account" };
  const [pending] = await ctx.db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, message.linkUserId), eq(memberships.organizationId, message.organizationId), eq(memberships.status, "invited")));
  if (!pending) return { skipped: "no_account" };
  const token = await issueToken(ctx, message.linkUserId, "invite", message.organizationId);
  return { url: publicLink(ctx.env, `/invite?token=${token.raw}`), tokenId: token.id };
}

/** A link whose email could not be sent is withdrawn at once. */
export async function withdrawAccountLink(ctx: Pick<AppContext, "db">, tokenId: string) {
  await ctx.db.delete(accountTokens).where(eq(accountTokens.id, tokenId));
}
