import { eq } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { accountTokens, users } from "../../db/schema";
import { audit } from "../audit/audit.server";
import { sendEmail } from "../mail/outbox.server";
import { hashPassword } from "./password.server";
import { revokeAllSessions } from "./session.server";
import { checkThrottle, recordAttempt } from "./throttle.server";
import { findLiveToken, issueToken, type TokenKind } from "./tokens.server";

function linkFor(request: Request, ctx: AppContext, path: string) {
  return new URL(path, ctx.env.APP_ORIGIN ?? new URL(request.url).origin).toString();
}

/**
 * Emails a reset link when the address belongs to an active account. The caller always
 * shows the same answer, so the form cannot be used to discover accounts.
 */
export async function requestPasswordReset(ctx: AppContext, request: Request, email: string) {
  const throttle = await checkThrottle(ctx, "reset", email);
  if (!throttle.allowed) return;
  await recordAttempt(ctx, "reset", email, false); // counts requests, so one address cannot be flooded
  const [user] = await ctx.db.select({ id: users.id, organizationId: users.organizationId, role: users.role, status: users.status, name: users.name }).from(users).where(eq(users.email, email));
  if (!user || user.status !== "active") {
    await audit(ctx, { action: "auth.password_reset_requested", outcome: "denied", reason: user ? `status_${user.status}` : "unknown_account" });
    return;
  }
  const token = await issueToken(ctx, user.id, "password_reset");
  await sendEmail(ctx, {
    organizationId: user.organizationId,
    to: email,
    kind: "password_reset",
    subject: "Reset your Atrium password",
    text: `Hello ${user.name},\n\nSomeone asked to reset the password for this Atrium account. If it was you, open this link within an hour:\n\n${linkFor(request, ctx, `/reset-password?token=${token}`)}\n\nIf it wasn't you, ignore this email; your password stays the same.`,
  });
  await audit(ctx, { actor: user, action: "auth.password_reset_requested", entityType: "user", entityId: user.id, outcome: "allowed" });
}

/** Sets a password from an emailed token (reset or invitation), once; ends every other session. */
export async function completeWithToken(ctx: AppContext, kind: TokenKind, rawToken: string, password: string) {
  const live = await findLiveToken(ctx, rawToken, kind);
  if (!live || live.status === "disabled") return null;
  const passwordHash = await hashPassword(password);
  const now = ctx.clock.now();
  await ctx.db.batch([
    ctx.db.update(users).set({ passwordHash, status: "active" }).where(eq(users.id, live.userId)),
    ctx.db.update(accountTokens).set({ usedAt: now }).where(eq(accountTokens.id, live.tokenId)),
  ]);
  await revokeAllSessions(ctx, live.userId);
  await audit(ctx, {
    actor: { id: live.userId, role: live.role, organizationId: live.organizationId },
    action: kind === "invite" ? "auth.invite_accepted" : "auth.password_reset",
    entityType: "user",
    entityId: live.userId,
    outcome: "allowed",
  });
  return live;
}

export async function sendInvitation(ctx: AppContext, request: Request, invitee: { id: string; email: string; name: string; organizationId: string }, orgName: string, invitedBy: string) {
  const token = await issueToken(ctx, invitee.id, "invite");
  await sendEmail(ctx, {
    organizationId: invitee.organizationId,
    to: invitee.email,
    kind: "invite",
    subject: `${orgName} invited you to Atrium`,
    text: `Hello ${invitee.name},\n\n${invitedBy} invited you to ${orgName} on Atrium. Choose your password within 7 days here:\n\n${linkFor(request, ctx, `/invite?token=${token}`)}\n`,
  });
}
