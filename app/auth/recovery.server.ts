import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "../lib/context.server";
import { accountTokens, memberships, users } from "../../db/schema";
import { auditInsertByChange } from "../audit/audit.server";
import { accountEmailWrite, queueAccountEmail } from "../messaging/outbox.server";
import { LINK_PLACEHOLDER } from "../../db/schema";
import { signInMembership } from "./memberships.server";
import { hashPassword, verifyPassword } from "./password.server";
import { revokeAllSessions } from "./session.server";
import { beginAttempt, settleAttempt, throttleMessage } from "./throttle.server";
import { findLiveToken, type TokenKind } from "./tokens.server";

/**
 * Queues a reset email for the address. The request does the same work whether or not an
 * account exists (nothing is looked up here): the message job resolves the address when it
 * sends, mints the link then, and skips an address with no active account. The caller always
 * shows the same answer, so the form can't be used to discover accounts, by text or by timing.
 */
export async function requestPasswordReset(ctx: AppContext, _request: Request, email: string) {
  // Every request counts (never settled), so one address can't be flooded.
  const throttle = await beginAttempt(ctx, "reset", email);
  if (!throttle.allowed) return;
  await queueAccountEmail(ctx, {
    organizationId: null,
    to: email,
    linkPurpose: "password_reset",
    subject: "Reset your Atrium password",
    text: `Hello,\n\nSomeone asked to reset the password for the Atrium account of this address. If it was you, open this link within an hour:\n\n${LINK_PLACEHOLDER}\n\nIf it wasn't you, ignore this email; your password stays the same.`,
  });
}

export type TokenOutcome = { ok: true } | { ok: false; reason: "expired" | "wrong_password" } | { ok: false; reason: "throttled"; message: string };

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
    // Proving an existing account's password is a sign-in attempt, throttled like one.
    const throttle = await beginAttempt(ctx, "password", live.email);
    if (!throttle.allowed) return { ok: false, reason: "throttled", message: throttleMessage(throttle.retryAfterMs) };
    const [row] = await ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, live.userId));
    if (!(await verifyPassword(password, row?.hash))) return { ok: false, reason: "wrong_password" };
    await settleAttempt(ctx, throttle.attemptId, true);
  }
  const now = ctx.clock.now();
  const newHash = existingAccount ? null : await hashPassword(password);
  const membership = kind === "invite" ? { organizationId: live.organizationId!, role: live.role! } : await signInMembership(ctx, live.userId);
  // One batch: a conditional write consumes the token (of two requests with the same token, only
  // one does), and the password, the membership, the ended sessions and the audit event follow
  // only if it did (each conditioned on the statement before it changing its row: changes()).
  const ifConsumed = sql`changes() > 0`;
  const writes: BatchItem<"sqlite">[] = [];
  if (newHash) writes.push(ctx.db.update(users).set({ passwordHash: newHash }).where(and(eq(users.id, live.userId), ifConsumed)));
  if (kind === "invite") writes.push(ctx.db.update(memberships).set({ status: "active" }).where(and(eq(memberships.userId, live.userId), eq(memberships.organizationId, live.organizationId!), ifConsumed)));
  const [consumed] = (await ctx.db.batch([
    ctx.db.update(accountTokens).set({ usedAt: now }).where(and(eq(accountTokens.id, live.tokenId), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, now))),
    ...writes,
    auditInsertByChange(ctx, ctx.db, { actor: membership ? { id: live.userId, ...membership } : null, organizationId: membership?.organizationId ?? null, action: kind === "invite" ? "auth.invite_accepted" : "auth.password_reset", entityType: "user", entityId: live.userId }, "token_already_used"),
  ] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as unknown as [{ rowsAffected: number }];
  if (!consumed.rowsAffected) return { ok: false, reason: "expired" };
  // A new password ends every session (and its board sockets) the old one opened.
  if (kind === "password_reset") await revokeAllSessions(ctx, live.userId);
  return { ok: true };
}

/** Queues an invitation; its one-time link is minted when it is sent, and stored only as a hash. */
export async function sendInvitation(
  ctx: AppContext,
  _request: Request,
  invitee: { id: string; email: string; name: string },
  organization: { id: string; name: string },
  invitedBy: string,
) {
  const email = invitationEmail(ctx, invitee, organization, invitedBy);
  await email.write;
  email.sendAfterResponse();
}

/** The invitation email as a write for the batch that creates the membership (see accountEmailWrite). */
export function invitationEmail(ctx: AppContext, invitee: { id: string; email: string; name: string }, organization: { id: string; name: string }, invitedBy: string) {
  return accountEmailWrite(ctx, {
    organizationId: organization.id,
    to: invitee.email,
    linkPurpose: "invite",
    linkUserId: invitee.id,
    subject: `${organization.name} invited you to Atrium`,
    text: `Hello ${invitee.name},\n\n${invitedBy} invited you to ${organization.name} on Atrium. Accept within 7 days here:\n\n${LINK_PLACEHOLDER}\n`,
  });
}
