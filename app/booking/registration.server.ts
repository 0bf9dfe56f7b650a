import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import { memberships, patients, users } from "../../db/schema";
import { audit } from "../audit/audit.server";
import { hashPassword } from "../auth/password.server";
import { beginAttempt, settleAttempt, throttleMessage } from "../auth/throttle.server";
import type { RegistrationSchema } from "./schemas";

export type RegistrationResult = { ok: true; userId: string; patientId: string } | { ok: false; field: "email"; message: string; status: 409 | 429 };

const TAKEN = "That email already has an Atrium account. Sign in to book with it.";

/**
 * A new patient account from the public booking page. Every attempt is counted first (5 per
 * address, 20 per network in 15 minutes, ADR 017), and the password is hashed before anything is
 * looked up, so an address that has an account takes no less time to answer than one that doesn't.
 */
export async function registerPatient(ctx: AppContext, organizationId: string, input: z.infer<typeof RegistrationSchema>): Promise<RegistrationResult> {
  const throttle = await beginAttempt(ctx, "signup", input.email);
  if (!throttle.allowed) return { ok: false, field: "email", message: throttleMessage(throttle.retryAfterMs), status: 429 };
  const passwordHash = await hashPassword(input.password);
  const [existing] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (existing) return { ok: false, field: "email", message: TAKEN, status: 409 };
  const userId = crypto.randomUUID();
  const patientId = crypto.randomUUID();
  const now = ctx.clock.now();
  const created = await ctx.db.batch([
    ctx.db.insert(users).values({ id: userId, email: input.email, name: `${input.firstName} ${input.lastName}`, passwordHash, createdAt: now }),
    ctx.db.insert(memberships).values({ id: crypto.randomUUID(), userId, organizationId, role: "patient", status: "active", createdAt: now }),
    ctx.db.insert(patients).values({
      id: patientId,
      organizationId,
      firstName: input.firstName,
      lastName: input.lastName,
      dateOfBirth: input.dateOfBirth,
      email: input.email,
      phone: input.phone,
      userId,
      smsConsent: input.smsConsent,
      emailConsent: input.emailConsent,
      createdAt: now,
    }),
  ]).then(() => true, (error: unknown) => {
    // Two sign-ups with one address at once: the database's unique address decides, the batch is undone.
    if (String((error as { cause?: Error }).cause?.message ?? (error as Error).message).includes("users.email")) return false;
    throw error;
  });
  if (!created) return { ok: false, field: "email", message: TAKEN, status: 409 };
  await settleAttempt(ctx, throttle.attemptId, true);
  await audit(ctx, { actor: { id: userId, role: "patient", organizationId }, action: "patient.create", entityType: "patient", entityId: patientId, outcome: "allowed", reason: "self_registration" });
  return { ok: true, userId, patientId };
}

/** The patient record behind a signed-in patient's account in this organization. */
export async function patientIdForUser(ctx: AppContext, userId: string, organizationId: string) {
  const [row] = await ctx.db.select({ id: patients.id }).from(patients).where(and(eq(patients.userId, userId), eq(patients.organizationId, organizationId)));
  return row?.id ?? null;
}
