import { parseWithZod } from "@conform-to/zod";
import { eq } from "drizzle-orm";
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import type { AppContext } from "../lib/context.server";
import { users, type Role } from "../../db/schema";
import { audit, auditInsert } from "../audit/audit.server";
import { LoginSchema } from "./schemas";
import { getDummyHash, hashPassword, needsRehash, verifyPassword } from "./password.server";
import { signInLookup } from "./memberships.server";
import { beginAttempt, settleAttemptWrite, throttleMessage } from "./throttle.server";

function parseLogin(form: FormData) {
  return parseWithZod(form, { schema: LoginSchema });
}
type LoginSubmission = ReturnType<typeof parseLogin>;

export type LoginOutcome =
  | { kind: "ok"; user: { id: string; organizationId: string; role: Role; mfaEnabled: boolean }; redirectTo: string | null }
  | { kind: "invalid"; submission: LoginSubmission }
  | { kind: "refused"; submission: LoginSubmission; message: string; status: number };

/** remix-auth's form strategy, bound to this request's context (Workers have no globals to hold a db). */
export function createAuthenticator(ctx: AppContext) {
  const authenticator = new Authenticator<LoginOutcome>();
  authenticator.use(new FormStrategy(({ form }) => verifyCredentials(ctx, form)), "password");
  return authenticator;
}

const GENERIC = "That email and password do not match an active account.";

async function verifyCredentials(ctx: AppContext, form: FormData): Promise<LoginOutcome> {
  const submission = parseLogin(form);
  if (submission.status !== "success") return { kind: "invalid", submission };
  const email = submission.value.email;

  // The attempt is counted and the account looked up at once (two requests in flight together).
  const [throttle, { user, membership, anyOrganizationId }] = await Promise.all([beginAttempt(ctx, "password", email), signInLookup(ctx, email)]);
  if (!throttle.allowed) {
    await audit(ctx, { action: "auth.sign_in", outcome: "denied", reason: "throttled" });
    return { kind: "refused", submission, message: throttleMessage(throttle.retryAfterMs), status: 429 };
  }

  // Always run one hash, so response time does not tell whether the email exists.
  const ok = await verifyPassword(submission.value.password, user?.passwordHash ?? (await getDummyHash()));
  if (!user || !ok || !membership) {
    await audit(ctx, {
      organizationId: membership?.organizationId ?? anyOrganizationId,
      actor: null,
      action: "auth.sign_in",
      entityType: "user",
      entityId: user?.id,
      outcome: "denied",
      reason: !user ? "unknown_account" : !ok ? "bad_password" : "no_active_membership",
    });
    return { kind: "refused", submission, message: GENERIC, status: 400 };
  }

  const updates: Partial<typeof users.$inferInsert> = { lastSignInAt: ctx.clock.now() };
  if (user.passwordHash && needsRehash(user.passwordHash)) updates.passwordHash = await hashPassword(submission.value.password);
  // The attempt settled, the account touched and the sign-in audited: one batch.
  await ctx.db.batch([
    settleAttemptWrite(ctx, throttle.attemptId),
    ctx.db.update(users).set(updates).where(eq(users.id, user.id)),
    auditInsert(ctx, ctx.db, {
      actor: { id: user.id, role: membership.role, organizationId: membership.organizationId },
      action: "auth.sign_in",
      entityType: "user",
      entityId: user.id,
      outcome: "allowed",
      reason: user.mfaEnabledAt ? "password_ok_mfa_pending" : "password_ok",
    }),
  ]);
  return {
    kind: "ok",
    user: { id: user.id, organizationId: membership.organizationId, role: membership.role, mfaEnabled: Boolean(user.mfaEnabledAt) },
    redirectTo: submission.value.redirectTo ?? null,
  };
}
