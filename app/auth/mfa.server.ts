import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { authAttempts, recoveryCodes, sessions, users } from "../../db/schema";
import { audit, auditInsertByChange } from "../audit/audit.server";
import { sha256Hex } from "./password.server";
import { beginAttempt, throttleMessage } from "./throttle.server";
import { normalizeRecoveryCode, verifyTotp } from "./totp.server";

export type SecondFactorResult = { ok: true } | { ok: false; message: string; status: number };

/**
 * Checks a TOTP or a one-time recovery code for a user, throttled per account and IP, and audits
 * the outcome. On success the TOTP step (or recovery code) is consumed and, given `verifySession`,
 * that session is marked as having passed its second factor.
 *
 * Two round trips: the attempt is counted while the secret is read; then one batch consumes the
 * code with a conditional write whose result decides, settles the attempt, verifies the session
 * and writes the audit event, each conditioned on the statement before it having changed its row
 * (SQLite's changes(): a batch runs in order on one connection). Of two requests with one code,
 * only one gets past the consuming write; the other's batch changes nothing and is audited denied.
 */
export async function checkSecondFactor(
  ctx: AppContext,
  user: { id: string; organizationId: string; role: string },
  code: string,
  action: string,
  verifySession?: string,
): Promise<SecondFactorResult> {
  const [throttle, [row]] = await Promise.all([beginAttempt(ctx, "mfa", user.id), ctx.db.select({ secret: users.mfaSecret, lastStep: users.mfaLastStep }).from(users).where(eq(users.id, user.id))]);
  if (!throttle.allowed) {
    await audit(ctx, { actor: user, action, entityType: "user", entityId: user.id, outcome: "denied", reason: "throttled" });
    return { ok: false, message: throttleMessage(throttle.retryAfterMs), status: 429 };
  }
  const now = ctx.clock.now();
  const step = row?.secret ? verifyTotp(row.secret, code, now.getTime(), row.lastStep) : null;
  const recovery = step === null && normalizeRecoveryCode(code).length === 10 ? await sha256Hex(normalizeRecoveryCode(code)) : null;
  const method = step !== null ? "totp" : recovery ? "recovery_code" : null;
  if (!method) {
    await audit(ctx, { actor: user, action, entityType: "user", entityId: user.id, outcome: "denied", reason: "bad_code" });
    return { ok: false, message: WRONG_CODE, status: 400 };
  }
  const consume =
    step !== null
      ? ctx.db.update(users).set({ mfaLastStep: step }).where(and(eq(users.id, user.id), or(isNull(users.mfaLastStep), lt(users.mfaLastStep, step))))
      : ctx.db.update(recoveryCodes).set({ usedAt: now }).where(and(eq(recoveryCodes.userId, user.id), eq(recoveryCodes.codeHash, recovery!), isNull(recoveryCodes.usedAt)));
  const ifConsumed = sql`changes() > 0`;
  const [consumed] = (await ctx.db.batch([
    consume,
    ctx.db.update(authAttempts).set({ success: true }).where(and(eq(authAttempts.id, throttle.attemptId), ifConsumed)),
    ...(verifySession ? [ctx.db.update(sessions).set({ mfaVerifiedAt: now }).where(and(eq(sessions.id, verifySession), ifConsumed))] : []),
    auditInsertByChange(ctx, ctx.db, { actor: user, action, entityType: "user", entityId: user.id, reason: method }, "code_already_used"),
  ])) as unknown as [{ rowsAffected: number }];
  return consumed.rowsAffected > 0 ? { ok: true } : { ok: false, message: WRONG_CODE, status: 400 };
}

const WRONG_CODE = "That code didn't work. Check your authenticator app and try again.";
