import { eq } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { organizations, patients } from "../../db/schema";
import { commitAudited } from "../audit/audit.server";
import { verifyUnsubscribeToken } from "./unsubscribe.server";

/** Who an unsubscribe link is for (first name and clinic only), or null for a bad link. */
export async function unsubscribeTarget(ctx: AppContext, token: string) {
  const patientId = await verifyUnsubscribeToken(ctx.env.SESSION_SECRET, token);
  if (!patientId) return null;
  const [row] = await ctx.db.select({ id: patients.id, organizationId: patients.organizationId, firstName: patients.firstName, emailConsent: patients.emailConsent, clinic: organizations.name }).from(patients).innerJoin(organizations, eq(organizations.id, patients.organizationId)).where(eq(patients.id, patientId));
  return row ?? null;
}

/** Turns a patient's emails off (the stored consent), audited without content. */
export async function optOutOfEmail(ctx: AppContext, target: { id: string; organizationId: string }, via: "link" | "one_click") {
  await commitAudited(ctx, [ctx.db.update(patients).set({ emailConsent: false }).where(eq(patients.id, target.id))], { organizationId: target.organizationId, action: "patient.email_opt_out", entityType: "patient", entityId: target.id, outcome: "allowed", reason: via });
}
