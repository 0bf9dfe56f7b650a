import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "../lib/context.server";
import { accountTokens, memberships, users } from "../../db/schema";
import { audit } from "../audit/audit.server";
import { sendEmail } from "../messaging/outbox.server";
import { signInMembership } from "./memberships.server";
import { hashPassword, verifyPassword } from "./password.server";
import { revokeAllSessions } from "./session.server";
import { checkThrottle, recordAttempt } from "./throttle.server";
import { findLiveToken, issueToken, type TokenKind } from "./tokens.server";

function linkFor(request: Request, ctx: AppContext, path: string) {
  return new URL(path, ctx.env.APP_ORIGIN ?? new URL(request.url).origin).toString();
}

/**
 * Emails a reset link when the address belongs to a user with an active membership. The
 * caller always shows the same answer, so the form cannot be used to discover accounts.
 */
export async function requestPasswordReset(ctx: AppContext, request: Request, email: string) {
  const throttle = await checkThrottle(ctx, "reset", email);
  if (!throttle.allowed) return;
  await recordAttempt(ctx, "reset", email, false); // counts requests, so one address cannot be flooded
  const [user] = await ctx.db.select({ id: users.id, name: users.name }).from(users).where(eq(users.email, email));
  const membership = user ? await signInMembership(ctx, user.id) : null;
  if (!user || !membership) {
    await audit(ctx, { action: "auth.password_reset_requested", outcome: "denied", reason: user ? "no_active_membership" : "unknown_account" });
    return;
  }
  const token = await issueToken(ctx, user.id, "password_reset");
  await sendEmail(ctx, {
    organizationId: membership.organizationId,
    to: email,
    kind: "password_reset",
    subject: "Reset your Atrium password",
    text: `Hello ${user.name},\n\nSomeone asked to reset the password for this Atrium account. If it was you, open this link within an hour:\n\n${linkFor(request, ctx, `/reset-password?token=${token}`)}\n\nIf it wasn't you, ignore this email; your password stays the same.`,
  });
  await audit(ctx, { actor: { id: user.id, ...membership }, action: "auth.password_reset_requested", entityType: "user", entityId: user.id, outcome: "allowed" });
}

export type TokenOutcome = { ok: true } | { ok: false; reason: "expired" | "wrong_password" };

/**
 * Completes an emailed token, once. A reset sets a new password and ends every session.
 * An invitation activates the membership: a new user chooses a password; someone who
 * already has an Atrium account (another clinic) proves it with their current password.
 */
export async function completeWithToken(ctx: AppContext, kind: TokenKind, rawToken: string, password: string): Promise<TokenOutcome> {
  const live = await findLiveToken(ctx, rawToken, kind);
  if (!live) return { ok: false, reason: "expired" };
  const existingAccount = kind === "invite" && live.hasPassword;
  if (existingAccount) {
    const [row] = await ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, live.userId));
    if (!(await verifyPassword(password, row?.hash))) return { ok: false, reason: "wrong_password" };
  }
  const now = ctx.clock.now();
  const writes: BatchItem<"sqlite">[] = [ctx.db.update(accountTokens).set({ usedAt: now }).where(eq(accountTokens.id, live.tokenId))];
  if (!existingAccount) writes.push(ctx.db.update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.id, live.userId)));
  if (kind === "invite") {
    writes.push(ctx.db.update(memberships).set({ status: "active" }).where(and(eq(memberships.userId, live.userId), eq(memberships.organizationId, live.organizationId!))));
  }
  await ctx.db.batch(writes as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  if (kind === "password_reset") await revokeAllSessions(ctx, live.userId);
  const membership = kind === "invite" ? { organizationId: live.organizationId!, role: live.role! } : await signInMembership(ctx, live.userId);
  await audit(ctx, {
    actor: membership ? { id: live.userId, ...membership } : null,
    organizationId: membership?.organizationId ?? null,
    action: kind === "invite" ? "auth.invite_accepted" : "auth.password_reset",
    entityType: "user",
    entityId: live.userId,
    outcome: "allowed",
  });
  return { ok: true };
}

export async function sendInvitation(
  ctx: AppContext,
  request: Request,
  invitee: { id: string; email: string; name: string },
  organization: { id: string; name: string },
  invitedBy: string,
) {
  const token = await issueToken(ctx, invitee.id, "invite", organization.id);
  await sendEmail(ctx, {
    organizationId: organization.id,
    to: invitee.email,
    kind: "invite",
    subject: `${organization.name} invited you to Atrium`,
    text: `Hello ${invitee.name},\n\n${invitedBy} invited you to ${organization.name} on Atrium. Accept within 7 days here:\n\n${linkFor(request, ctx, `/invite?token=${token}`)}\n`,
  });
}
