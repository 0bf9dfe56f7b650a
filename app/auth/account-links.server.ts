import { and, eq } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { publicLink } from "../lib/origin";
import { accountTokens, memberships, pendingSignups, users, type LinkPurpose } from "../../db/schema";
import { auditInsert } from "../audit/audit.server";
import { signInMembership } from "./memberships.server";
import { issueToken, TOKEN_TTL_MS } from "./tokens.server";
import { sha256Hex } from "./password.server";

type LinkContext = Pick<AppContext, "db" | "clock" | "env">;
const JOB = { ip: "message-job", userAgent: "Atrium message job" };

/** A sign-up's code lives as long as its pending sign-up: half an hour. */
export const SIGNUP_TTL_MS = 30 * 60 * 1000;
const LINK_TTL_MS: Record<LinkPurpose, number> = { ...TOKEN_TTL_MS, signup: SIGNUP_TTL_MS };

/** What goes where the placeholder was: a link (or a sign-up code), and the token to withdraw if the send fails. */
export type MintedLink = { url: string; tokenId: string | null } | { skipped: "no_account" | "expired" };

/**
 * Mints the one-time link an account email carries, at the moment it is sent: the raw token
 * lives only in the outgoing copy, the database keeps its hash. A reset names an address, not a
 * user (the request answered the same whether or not an account exists); it is resolved here.
 */
export async function mintAccountLink(ctx: LinkContext, message: { linkPurpose: LinkPurpose; toAddress: string; linkUserId: string | null; organizationId: string | null; createdAt: Date }): Promise<MintedLink> {
  const now = ctx.clock.now();
  if (now.getTime() - message.createdAt.getTime() > LINK_TTL_MS[message.linkPurpose]) return { skipped: "expired" };
  const auditCtx = { ...ctx, ...JOB };
  if (message.linkPurpose === "signup") return signupCode(ctx, message.linkUserId);
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
export function withdrawAccountLinkWrite(ctx: Pick<AppContext, "db">, tokenId: string) {
  return ctx.db.delete(accountTokens).where(eq(accountTokens.id, tokenId));
}

/**
 * A sign-up's email: for an address with no account, a 6-digit code (its hash kept on the pending
 * sign-up); for one that has an account, a note saying so with how to sign in, and no code at all.
 */
async function signupCode(ctx: LinkContext, pendingId: string | null): Promise<MintedLink> {
  if (!pendingId) return { skipped: "no_account" };
  const [pending] = await ctx.db.select().from(pendingSignups).where(and(eq(pendingSignups.id, pendingId), eq(pendingSignups.state, "waiting")));
  if (!pending || pending.expiresAt.getTime() <= ctx.clock.now().getTime()) return { skipped: "expired" };
  const [account] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, pending.email));
  if (account) {
    await ctx.db.update(pendingSignups).set({ state: "existing" }).where(eq(pendingSignups.id, pendingId));
    return {
      url: `This address already has an Atrium account, so no new one was made and no code is needed. To book, sign in: ${publicLink(ctx.env, "/login")}\nForgot your password? ${publicLink(ctx.env, "/forgot-password")}`,
      tokenId: null,
    };
  }
  const code = String(crypto.getRandomValues(new Uint32Array(1))[0] % 1_000_000).padStart(6, "0");
  await ctx.db.update(pendingSignups).set({ codeHash: await signupCodeHash(pendingId, code) }).where(eq(pendingSignups.id, pendingId));
  return { url: `Your code: ${code.slice(0, 3)} ${code.slice(3)}\nEnter it on the booking page within 30 minutes to create your account and book.`, tokenId: null };
}

export function signupCodeHash(pendingId: string, code: string) {
  return sha256Hex(`${pendingId}:${code.replace(/\D/g, "")}`);
}
