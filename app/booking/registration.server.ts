import { and, eq, gt, lt, sql } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import { authAttempts, LINK_PLACEHOLDER, memberships, patients, pendingSignups, users } from "../../db/schema";
import { auditInsert } from "../audit/audit.server";
import { SIGNUP_TTL_MS, signupCodeHash } from "../auth/account-links.server";
import { hashPassword, timingSafeEqual } from "../auth/password.server";
import { beginAttempt, throttleMessage } from "../auth/throttle.server";
import { queueAccountEmail } from "../messaging/outbox.server";
import type { RegistrationSchema } from "./schemas";

/** Wrong codes a pending sign-up takes before it must be started again. */
export const SIGNUP_CODE_ATTEMPTS = 5;

export type SignupStart = { ok: true; pendingId: string } | { ok: false; message: string; status: 429 };

/**
 * Step one of a new patient's sign-up on the public booking page (issue 9): the answer is the same
 * whether or not the address has an account — "we emailed you a code" — and so is the work done:
 * the attempt is counted (5 per address, 20 per network in 15 minutes), the password hashed, the
 * sign-up kept for 30 minutes, and the email queued. Only when the email is sent is the address
 * looked up: its owner gets a code, or, if they already have an account, a note saying so.
 */
export async function startSignup(ctx: AppContext, organization: { id: string; name: string }, input: z.infer<typeof RegistrationSchema>, booking: { locationId: string; serviceId: string; providerId: string | null; startsAt: number }): Promise<SignupStart> {
  const throttle = await beginAttempt(ctx, "signup", input.email);
  if (!throttle.allowed) return { ok: false, message: throttleMessage(throttle.retryAfterMs), status: 429 };
  const now = ctx.clock.now();
  const pendingId = crypto.randomUUID();
  await ctx.db.insert(pendingSignups).values({
    id: pendingId,
    organizationId: organization.id,
    email: input.email,
    firstName: input.firstName,
    lastName: input.lastName,
    dateOfBirth: input.dateOfBirth,
    phone: input.phone,
    smsConsent: input.smsConsent,
    emailConsent: input.emailConsent,
    passwordHash: await hashPassword(input.password),
    booking,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SIGNUP_TTL_MS),
  });
  await queueAccountEmail(ctx, {
    organizationId: organization.id,
    to: input.email,
    linkPurpose: "signup",
    linkUserId: pendingId,
    subject: `Your ${organization.name} booking code`,
    text: `Hello,\n\nSomeone started booking a visit at ${organization.name} with this address.\n\n${LINK_PLACEHOLDER}\n\nIf it wasn't you, ignore this email.`,
  });
  return { ok: true, pendingId };
}

export type SignupFinish =
  | { ok: true; userId: string; patientId: string; booking: { locationId: string; serviceId: string; providerId: string | null; startsAt: number } }
  | { ok: false; message: string; status: 400 | 409 };

const WRONG = "That code didn't work. Check the newest email we sent and try again.";
const OVER = "That sign-up has expired or had too many wrong codes. Start again from your details.";

/**
 * Step two: the emailed code. Each try is counted by a conditional write (at most 5, while the
 * sign-up is still waiting and fresh); the right code consumes the sign-up by another conditional
 * write, then the account, membership and patient record are created in one batch. An address that
 * has an account meanwhile is refused by the database's unique address, and nothing is written.
 */
export async function finishSignup(ctx: AppContext, organizationId: string, pendingId: string, code: string): Promise<SignupFinish> {
  const now = ctx.clock.now();
  const [pending] = await ctx.db
    .update(pendingSignups)
    .set({ attempts: sql`${pendingSignups.attempts} + 1` })
    .where(and(eq(pendingSignups.id, pendingId), eq(pendingSignups.organizationId, organizationId), eq(pendingSignups.state, "waiting"), lt(pendingSignups.attempts, SIGNUP_CODE_ATTEMPTS), gt(pendingSignups.expiresAt, now)))
    .returning();
  if (!pending) return { ok: false, message: OVER, status: 400 };
  const given = new TextEncoder().encode(await signupCodeHash(pendingId, code));
  if (!pending.codeHash || !timingSafeEqual(new TextEncoder().encode(pending.codeHash), given)) return { ok: false, message: WRONG, status: 400 };
  const [consumed] = await ctx.db.update(pendingSignups).set({ state: "done" }).where(and(eq(pendingSignups.id, pendingId), eq(pendingSignups.state, "waiting"))).returning({ id: pendingSignups.id });
  if (!consumed) return { ok: false, message: OVER, status: 400 };
  const userId = crypto.randomUUID();
  const patientId = crypto.randomUUID();
  const created = await ctx.db
    .batch([
      ctx.db.insert(users).values({ id: userId, email: pending.email, name: `${pending.firstName} ${pending.lastName}`, passwordHash: pending.passwordHash, createdAt: now }),
      ctx.db.insert(memberships).values({ id: crypto.randomUUID(), userId, organizationId, role: "patient", status: "active", createdAt: now }),
      ctx.db.insert(patients).values({ id: patientId, organizationId, firstName: pending.firstName, lastName: pending.lastName, dateOfBirth: pending.dateOfBirth, email: pending.email, phone: pending.phone, userId, smsConsent: pending.smsConsent, emailConsent: pending.emailConsent, createdAt: now }),
      auditInsert(ctx, ctx.db, { actor: { id: userId, role: "patient", organizationId }, action: "patient.create", entityType: "patient", entityId: patientId, outcome: "allowed", reason: "self_registration" }),
    ])
    .then(
      () => true,
      (error: unknown) => {
        // The address got an account since (another sign-up finished first): the batch is undone.
        if (String((error as { cause?: Error }).cause?.message ?? (error as Error).message).includes("users.email")) return false;
        throw error;
      },
    );
  if (!created) return { ok: false, message: "This address already has an Atrium account. Sign in to book with it.", status: 409 };
  // The address is proven theirs: its sign-up attempts no longer count against it.
  await ctx.db.update(authAttempts).set({ success: true }).where(and(eq(authAttempts.kind, "signup"), eq(authAttempts.accountKey, pending.email), eq(authAttempts.success, false)));
  return { ok: true, userId, patientId, booking: pending.booking };
}

/** The job forgets sign-ups once they can no longer be finished (they hold a password hash and personal details). */
export async function purgePendingSignups(ctx: Pick<AppContext, "db" | "clock">) {
  const gone = await ctx.db.delete(pendingSignups).where(lt(pendingSignups.expiresAt, ctx.clock.now())).returning({ id: pendingSignups.id });
  return gone.length;
}

