import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { commitAudited } from "../audit/audit.server";
import { locations, memberships, organizations, users } from "../../db/schema";
import type { BillingPolicySchema, GiftCardPolicySchema, LocationTaxSchema, PayPeriodSchema, ProviderBillingSchema } from "./schemas";

/** The organization's checkout policy and each location's tax, as the billing settings show them. */
export async function billingSettings(ctx: AppContext, session: AuthedSession) {
  const organizationId = session.user.organizationId;
  const [[org], places] = await ctx.db.batch([
    ctx.db.select({ deskDiscountLimit: organizations.deskDiscountLimit, tipPresets: organizations.tipPresets, giftCardAmounts: organizations.giftCardAmounts, giftCardMinCents: organizations.giftCardMinCents, giftCardMaxCents: organizations.giftCardMaxCents, giftCardExpiryMonths: organizations.giftCardExpiryMonths, giftCardBulkTiers: organizations.giftCardBulkTiers, lateCancelFeeCents: organizations.lateCancelFeeCents, lateFeeCents: organizations.lateFeeCents, lateFeeAfterDays: organizations.lateFeeAfterDays, noShowFeeCents: organizations.noShowFeeCents, giftCardOnline: organizations.giftCardOnline, taxId: organizations.taxId, payPeriod: organizations.payPeriod, payPeriodAnchor: organizations.payPeriodAnchor }).from(organizations).where(eq(organizations.id, organizationId)),
    ctx.db.select({ id: locations.id, name: locations.name, taxMode: locations.taxMode, taxServicesRate: locations.taxServicesRate, taxRetailRate: locations.taxRetailRate }).from(locations).where(eq(locations.organizationId, organizationId)).orderBy(asc(locations.name)),
  ]);
  return { org, locations: places };
}

/** One location's tax; false when the location isn't the organization's. */
export async function updateLocationTax(ctx: AppContext, session: AuthedSession, v: z.infer<typeof LocationTaxSchema>) {
  const [changed] = await commitAudited(ctx, [ctx.db.update(locations).set({ taxMode: v.taxMode, taxServicesRate: v.servicesRate, taxRetailRate: v.retailRate }).where(and(eq(locations.id, v.locationId), eq(locations.organizationId, session.user.organizationId)))], { actor: session.user, action: "billing.location_tax", entityType: "location", entityId: v.locationId, outcome: "allowed" });
  return (changed as { rowsAffected: number }).rowsAffected > 0;
}

export async function updateBillingPolicy(ctx: AppContext, session: AuthedSession, v: z.infer<typeof BillingPolicySchema>) {
  await commitAudited(ctx, [ctx.db.update(organizations).set({ deskDiscountLimit: v.deskDiscountLimit, tipPresets: v.tipPresets, lateCancelFeeCents: v.lateCancelFee, noShowFeeCents: v.noShowFee, lateFeeCents: v.lateFee, lateFeeAfterDays: v.lateFeeAfterDays }).where(eq(organizations.id, session.user.organizationId))], { actor: session.user, action: "billing.policy", entityType: "organization", entityId: session.user.organizationId, outcome: "allowed" });
}

export async function updateGiftCardPolicy(ctx: AppContext, session: AuthedSession, v: z.infer<typeof GiftCardPolicySchema>) {
  await commitAudited(ctx, [ctx.db.update(organizations).set({ giftCardAmounts: v.amounts.join(","), giftCardMinCents: v.min, giftCardMaxCents: v.max, giftCardExpiryMonths: v.expiryMonths, giftCardBulkTiers: v.bulkTiers, giftCardOnline: v.online }).where(eq(organizations.id, session.user.organizationId))], { actor: session.user, action: "billing.gift_cards", entityType: "organization", entityId: session.user.organizationId, outcome: "allowed" });
}

/** The organization's providers (and medical directors) with what superbills print about them. */
export async function superbillProviders(ctx: AppContext, session: AuthedSession) {
  return ctx.db
    .select({ id: users.id, name: users.name, credentials: users.credentials, npi: users.npi })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, session.user.organizationId), inArray(memberships.role, ["provider", "medical_director"]), eq(memberships.status, "active")))
    .orderBy(asc(users.name));
}

export async function updateClinicTaxId(ctx: AppContext, session: AuthedSession, taxId: string | null) {
  await commitAudited(ctx, [ctx.db.update(organizations).set({ taxId }).where(eq(organizations.id, session.user.organizationId))], { actor: session.user, action: "billing.tax_id", entityType: "organization", entityId: session.user.organizationId, outcome: "allowed" });
}

/** A provider's credentials and NPI; false when they aren't one of this organization's providers. */
export async function updateProviderBilling(ctx: AppContext, session: AuthedSession, v: z.infer<typeof ProviderBillingSchema>) {
  const isProvider = sql`exists (select 1 from memberships where user_id = ${v.userId} and organization_id = ${session.user.organizationId} and role in ('provider', 'medical_director') and status = 'active')`;
  const [changed] = await commitAudited(ctx, [ctx.db.update(users).set({ credentials: v.credentials, npi: v.npi }).where(and(eq(users.id, v.userId), isProvider))], { actor: session.user, action: "billing.provider", entityType: "user", entityId: v.userId, outcome: "allowed" });
  return (changed as { rowsAffected: number }).rowsAffected > 0;
}

export async function updatePayPeriod(ctx: AppContext, session: AuthedSession, v: z.infer<typeof PayPeriodSchema>) {
  await commitAudited(ctx, [ctx.db.update(organizations).set({ payPeriod: v.payPeriod, payPeriodAnchor: v.payPeriodAnchor }).where(eq(organizations.id, session.user.organizationId))], { actor: session.user, action: "billing.pay_period", entityType: "organization", entityId: session.user.organizationId, outcome: "allowed" });
}
