import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { recoveryCodes, sessions, users } from "../../db/schema";
import { audit, commitAudited } from "../audit/audit.server";
import type { AuthedSession } from "../auth/guards.server";
import { hashPassword, verifyPassword } from "../auth/password.server";
import { beginAttempt, settleAttemptWrite, throttleMessage } from "../auth/throttle.server";
import { newRecoveryCodes, newTotpSecret, otpauthUri, qrSvg, verifyTotp } from "../auth/totp.server";

export async function changePassword(ctx: AppContext, session: AuthedSession, current: string, next: string): Promise<{ ok: true } | { ok: false; field: "current"; message: string; status: number }> {
  // The attempt is counted and the current hash read at once.
  const [throttle, [row]] = await Promise.all([beginAttempt(ctx, "password", session.user.email), ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, session.user.id))]);
  if (!throttle.allowed) return { ok: false, field: "current", message: throttleMessage(throttle.retryAfterMs), status: 429 };
  if (!(await verifyPassword(current, row?.hash))) {
    await audit(ctx, { actor: session.user, action: "account.password_change", entityType: "user", entityId: session.user.id, outcome: "denied", reason: "bad_password" });
    return { ok: false, field: "current", message: "That is not your current password.", status: 400 };
  }
  const passwordHash = await hashPassword(next);
  await commitAudited(
    ctx,
    [
      settleAttemptWrite(ctx, throttle.attemptId),
      ctx.db.update(users).set({ passwordHash }).where(eq(users.id, session.user.id)),
      // Other devices signed in with the old password are signed out; this one stays.
      ctx.db.update(sessions).set({ revokedAt: ctx.clock.now() }).where(and(eq(sessions.userId, session.user.id), isNull(sessions.revokedAt), ne(sessions.id, session.id))),
    ],
    { actor: session.user, action: "account.password_change", entityType: "user", entityId: session.user.id, outcome: "allowed" },
  );
  return { ok: true };
}

/** Starts (or restarts) enrolment: a fresh pending secret, shown as a QR code and a manual key. */
export async function startMfaEnrolment(ctx: AppContext, session: AuthedSession) {
  // One statement: keep the pending secret if there is one, else store a new one; either way it comes back.
  const [row] = await ctx.db.update(users).set({ mfaPendingSecret: sql`coalesce(${users.mfaPendingSecret}, ${newTotpSecret()})` }).where(eq(users.id, session.user.id)).returning({ pending: users.mfaPendingSecret });
  const secret = row!.pending!;
  const uri = otpauthUri(secret, session.user.email);
  return { secret, uri, qr: qrSvg(uri) };
}

export async function confirmMfaEnrolment(ctx: AppContext, session: AuthedSession, code: string): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false; message: string; status: number }> {
  const [throttle, [row]] = await Promise.all([beginAttempt(ctx, "mfa", session.user.id), ctx.db.select({ pending: users.mfaPendingSecret }).from(users).where(eq(users.id, session.user.id))]);
  if (!throttle.allowed) return { ok: false, message: throttleMessage(throttle.retryAfterMs), status: 429 };
  if (!row?.pending) return { ok: false, message: "Start again: the setup key expired.", status: 400 };
  const step = verifyTotp(row.pending, code, ctx.clock.now().getTime(), null);
  if (step === null) {
    await audit(ctx, { actor: session.user, action: "auth.mfa_enrol", entityType: "user", entityId: session.user.id, outcome: "denied", reason: "bad_code" });
    return { ok: false, message: "That code didn't match. Check the time on your device and enter the newest code.", status: 400 };
  }
  const { codes, hashes } = await newRecoveryCodes();
  const now = ctx.clock.now();
  await commitAudited(ctx, [
    settleAttemptWrite(ctx, throttle.attemptId),
    ctx.db.update(users).set({ mfaSecret: row.pending, mfaPendingSecret: null, mfaEnabledAt: now, mfaLastStep: step }).where(eq(users.id, session.user.id)),
    ctx.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, session.user.id)),
    ctx.db.insert(recoveryCodes).values(hashes.map((codeHash) => ({ id: crypto.randomUUID(), userId: session.user.id, codeHash }))),
    // This session proved the second factor just now.
    ctx.db.update(sessions).set({ mfaVerifiedAt: now, mfaRequired: true }).where(eq(sessions.id, session.id)),
  ], { actor: session.user, action: "auth.mfa_enrol", entityType: "user", entityId: session.user.id, outcome: "allowed" });
  return { ok: true, recoveryCodes: codes };
}

export async function disableMfa(ctx: AppContext, session: AuthedSession) {
  await commitAudited(ctx, [
    ctx.db.update(users).set({ mfaSecret: null, mfaPendingSecret: null, mfaEnabledAt: null, mfaLastStep: null }).where(eq(users.id, session.user.id)),
    ctx.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, session.user.id)),
  ], { actor: session.user, action: "auth.mfa_disable", entityType: "user", entityId: session.user.id, outcome: "allowed" });
}

export async function unusedRecoveryCodeCount(ctx: AppContext, userId: string) {
  const rows = await ctx.db.select({ id: recoveryCodes.id }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return rows.length;
}
