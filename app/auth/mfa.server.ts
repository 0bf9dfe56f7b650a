import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { recoveryCodes, sessions, users } from "../../db/schema";
import { audit } from "../audit/audit.server";
import { sha256Hex } from "./password.server";
import { beginAttempt, settleAttempt, throttleMessage } from "./throttle.server";
import { normalizeRecoveryCode, verifyTotp } from "./totp.server";

export type SecondFactorResult = { ok: true } | { ok: false; message: string; status: number };

/**
 * Checks a TOTP or a one-time recovery code for a user, throttled per account and IP,
 * and audits the outcome. On success the TOTP step (or recovery code) is consumed.
 */
export async function checkSecondFactor(
  ctx: AppContext,
  user: { id: string; organizationId: string; role: string },
  code: string,
  action: string,
): Promise<SecondFactorResult> {
  const throttle = await beginAttempt(ctx, "mfa", user.id);
  if (!throttle.allowed) {
    await audit(ctx, { actor: user, action, entityType: "user", entityId: user.id, outcome: "denied", reason: "throttled" });
    return { ok: false, message: throttleMessage(throttle.retryAfterMs), status: 429 };
  }
  const [row] = await ctx.db.select({ secret: users.mfaSecret, lastStep: users.mfaLastStep }).from(users).where(eq(users.id, user.id));
  let method: "totp" | "recovery_code" | null = null;
  if (row?.secret) {
    const step = verifyTotp(row.secret, code, ctx.clock.now().getTime(), row.lastStep);
    // The step is taken by a conditional write: of two requests with one code, only one wins.
    if (step !== null && (await consumeTotpStep(ctx, user.id, step))) method = "totp";
  }
  if (!method && normalizeRecoveryCode(code).length === 10) {
    const hash = await sha256Hex(normalizeRecoveryCode(code));
    const used = await ctx.db
      .update(recoveryCodes)
      .set({ usedAt: ctx.clock.now() })
      .where(and(eq(recoveryCodes.userId, user.id), eq(recoveryCodes.codeHash, hash), isNull(recoveryCodes.usedAt)))
      .returning({ id: recoveryCodes.id });
    if (used.length) method = "recovery_code";
  }
  await settleAttempt(ctx, throttle.attemptId, Boolean(method));
  await audit(ctx, { actor: user, action, entityType: "user", entityId: user.id, outcome: method ? "allowed" : "denied", reason: method ?? "bad_code" });
  return method ? { ok: true } : { ok: false, message: "That code didn't work. Check your authenticator app and try again.", status: 400 };
}

/** Records `step` as the last one used, only if it is later than the last; true when this call took it. */
export async function consumeTotpStep(ctx: Pick<AppContext, "db">, userId: string, step: number) {
  const taken = await ctx.db
    .update(users)
    .set({ mfaLastStep: step })
    .where(and(eq(users.id, userId), or(isNull(users.mfaLastStep), lt(users.mfaLastStep, step))))
    .returning({ id: users.id });
  return taken.length > 0;
}

export async function markSessionVerified(ctx: AppContext, sessionId: string) {
  await ctx.db.update(sessions).set({ mfaVerifiedAt: ctx.clock.now() }).where(eq(sessions.id, sessionId));
}
