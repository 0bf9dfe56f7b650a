import { eq } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { audit } from "../audit/audit.server";
import { checkSecondFactor } from "../auth/mfa.server";
import { verifyPassword } from "../auth/password.server";
import { beginAttempt, settleAttempt, throttleMessage } from "../auth/throttle.server";
import { users } from "../../db/schema";
import { PIN_PATTERN, pinCheck, sameCheck } from "./signing-pin";

export type SignerCheck = { ok: true; method: "password" | "totp" | "pin" } | { ok: false; status: 400 | 429; field: "password" | "code" | "pin"; message: string };

/**
 * A signature needs a fresh confirmation from the signer, not just their session (issue 11): an
 * authenticator code when they use one, else their password. Throttled and audited as sign-in
 * attempts are, so a stolen unlocked tablet can't guess its way to a signature.
 */
export async function confirmSigner(ctx: AppContext, session: AuthedSession, given: { password?: string; code?: string; pin?: string }, action: string): Promise<SignerCheck> {
  const code = given.code?.replace(/\s+/g, "") ?? "";
  // Signed offline on the tablet with the signing PIN, applied now that it synced (ADR 029).
  if (!code && !given.password && given.pin) return confirmPin(ctx, session, given.pin, action);
  if (code) {
    if (!session.user.mfaEnabled) return { ok: false, status: 400, field: "code", message: "You don't use an authenticator app; enter your password instead." };
    const result = await checkSecondFactor(ctx, session.user, code, action);
    return result.ok ? { ok: true, method: "totp" } : { ok: false, status: result.status === 429 ? 429 : 400, field: "code", message: result.message };
  }
  const password = given.password ?? "";
  if (!password) return { ok: false, status: 400, field: session.user.mfaEnabled ? "code" : "password", message: session.user.mfaEnabled ? "Enter the code from your authenticator app, or your password, to sign." : "Enter your password to sign." };
  const throttle = await beginAttempt(ctx, "password", session.user.id);
  if (!throttle.allowed) {
    await audit(ctx, { actor: session.user, action, entityType: "user", entityId: session.user.id, outcome: "denied", reason: "throttled" });
    return { ok: false, status: 429, field: "password", message: throttleMessage(throttle.retryAfterMs) };
  }
  const [row] = await ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, session.user.id));
  const ok = await verifyPassword(password, row?.hash);
  await settleAttempt(ctx, throttle.attemptId, ok);
  if (!ok) {
    await audit(ctx, { actor: session.user, action, entityType: "user", entityId: session.user.id, outcome: "denied", reason: "bad_password" });
    return { ok: false, status: 400, field: "password", message: "That password is not right. Try again." };
  }
  return { ok: true, method: "password" };
}

async function confirmPin(ctx: AppContext, session: AuthedSession, pin: string, action: string): Promise<SignerCheck> {
  const throttle = await beginAttempt(ctx, "password", session.user.id);
  if (!throttle.allowed) {
    await audit(ctx, { actor: session.user, action, entityType: "user", entityId: session.user.id, outcome: "denied", reason: "throttled" });
    return { ok: false, status: 429, field: "pin", message: throttleMessage(throttle.retryAfterMs) };
  }
  const [row] = await ctx.db.select({ check: users.signingPinCheck }).from(users).where(eq(users.id, session.user.id));
  const ok = Boolean(row?.check) && PIN_PATTERN.test(pin) && sameCheck(await pinCheck(session.user.id, pin), row!.check!);
  await settleAttempt(ctx, throttle.attemptId, ok);
  if (!ok) {
    await audit(ctx, { actor: session.user, action, entityType: "user", entityId: session.user.id, outcome: "denied", reason: row?.check ? "bad_pin" : "no_pin" });
    return { ok: false, status: 400, field: "pin", message: row?.check ? "That signing PIN is not right. Sign again with your password." : "You have no signing PIN. Set one in My account to sign offline." };
  }
  return { ok: true, method: "pin" };
}
