import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import { memberships, patients, users } from "../../db/schema";
import { audit } from "../audit/audit.server";
import { hashPassword } from "../auth/password.server";
import type { RegistrationSchema } from "./schemas";

export type RegistrationResult = { ok: true; userId: string; patientId: string } | { ok: false; field: "email"; message: string };

export async function registerPatient(ctx: AppContext, organizationId: string, input: z.infer<typeof RegistrationSchema>): Promise<RegistrationResult> {
  const [existing] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (existing) return { ok: false, field: "email", message: "That email already has an Atrium account. Sign in to book with it." };
  const userId = crypto.randomUUID();
  const patientId = crypto.randomUUID();
  const now = ctx.clock.now();
  await ctx.db.batch([
    ctx.db.insert(users).values({ id: userId, email: input.email, name: `${input.firstName} ${input.lastName}`, passwordHash: await hashPassword(input.password), createdAt: now }),
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
  ]);
  await audit(ctx, { actor: { id: userId, role: "patient", organizationId }, action: "patient.create", entityType: "patient", entityId: patientId, outcome: "allowed", reason: "self_registration" });
  return { ok: true, userId, patientId };
}

/** The patient record behind a signed-in patient's account in this organization. */
export async function patientIdForUser(ctx: AppContext, userId: string, organizationId: string) {
  const [row] = await ctx.db.select({ id: patients.id }).from(patients).where(and(eq(patients.userId, userId), eq(patients.organizationId, organizationId)));
  return row?.id ?? null;
}
