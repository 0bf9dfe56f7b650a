import { and, asc, eq, notInArray } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import { memberships, serviceProviders, services, users } from "../../db/schema";
import { commitAudited } from "../audit/audit.server";
import type { AuthedSession } from "../auth/guards.server";
import type { ProviderOverridesSchema, ServiceSchema } from "./schemas";

type ServiceInput = z.infer<typeof ServiceSchema>;

export async function listServices(ctx: AppContext, session: AuthedSession) {
  return ctx.db.select().from(services).where(eq(services.organizationId, session.user.organizationId)).orderBy(asc(services.category), asc(services.name));
}

export async function organizationProviders(ctx: AppContext, session: AuthedSession) {
  return ctx.db
    .select({ id: users.id, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, session.user.organizationId), eq(memberships.role, "provider"), eq(memberships.status, "active")))
    .orderBy(asc(users.name));
}

export async function getService(ctx: AppContext, session: AuthedSession, serviceId: string) {
  // Both at once (a round trip each on Turso); the providers through the organization's service only.
  const [[service], providers] = await Promise.all([
    ctx.db.select().from(services).where(and(eq(services.id, serviceId), eq(services.organizationId, session.user.organizationId))),
    ctx.db
      .select({ userId: serviceProviders.userId, name: users.name, durationMinutes: serviceProviders.durationMinutes, priceCents: serviceProviders.priceCents })
      .from(serviceProviders)
      .innerJoin(users, eq(users.id, serviceProviders.userId))
      .innerJoin(services, and(eq(services.id, serviceProviders.serviceId), eq(services.organizationId, session.user.organizationId)))
      .where(eq(serviceProviders.serviceId, serviceId))
      .orderBy(asc(users.name)),
  ]);
  if (!service) return null;
  return { service, providerIds: providers.map((p) => p.userId), providers };
}

function columns(input: ServiceInput) {
  return {
    name: input.name,
    category: input.category,
    description: input.description,
    durationMinutes: input.durationMinutes,
    bufferBeforeMinutes: input.bufferBeforeMinutes,
    bufferAfterMinutes: input.bufferAfterMinutes,
    priceCents: input.price,
    depositCents: input.deposit ?? 0,
    roomType: input.roomType ?? null,
    onlineBookable: input.onlineBookable,
    autoConfirm: input.autoConfirm,
    newPatientsAllowed: input.newPatientsAllowed,
    intakeFormRequired: input.intakeFormRequired,
    billedByProduct: input.billedByProduct,
    hsaEligible: input.hsaEligible,
    cardRequired: input.cardRequired,
    procedureCode: input.procedureCode ?? null,
    diagnosisCode: input.diagnosisCode ?? null,
    active: input.active,
  };
}

/** Saves a service and who performs it, in one batch; providers must be this organization's. */
export async function saveService(ctx: AppContext, session: AuthedSession, serviceId: string | null, input: ServiceInput): Promise<{ ok: true; id: string } | { ok: false; message: string }> {
  const allowed = new Set((await organizationProviders(ctx, session)).map((p) => p.id));
  // (saveService's caller has read the service with the providers: see the service route.)
  if (!input.providerIds.every((id) => allowed.has(id))) return { ok: false, message: "Choose providers from the list." };
  if (input.deposit !== undefined && input.deposit > input.price) return { ok: false, message: "The deposit can't be more than the price." };
  const id = serviceId ?? crypto.randomUUID();
  const organizationId = session.user.organizationId;
  const write = serviceId
    ? ctx.db.update(services).set(columns(input)).where(and(eq(services.id, id), eq(services.organizationId, organizationId)))
    : ctx.db.insert(services).values({ id, organizationId, ...columns(input), createdAt: ctx.clock.now() });
  // Providers who keep the service keep their own duration and price.
  const clear = ctx.db.delete(serviceProviders).where(and(eq(serviceProviders.serviceId, id), input.providerIds.length ? notInArray(serviceProviders.userId, input.providerIds) : undefined));
  const assign = input.providerIds.length ? [ctx.db.insert(serviceProviders).values(input.providerIds.map((userId) => ({ serviceId: id, userId }))).onConflictDoNothing()] : [];
  await commitAudited(ctx, [write, clear, ...assign], { actor: session.user, action: serviceId ? "service.update" : "service.create", entityType: "service", entityId: id, outcome: "allowed" });
  return { ok: true, id };
}

/** Per-provider duration and price for a service; only providers who perform it can have them. */
export async function saveProviderOverrides(ctx: AppContext, session: AuthedSession, service: { id: string; providerIds: string[] }, input: z.infer<typeof ProviderOverridesSchema>): Promise<{ ok: true } | { ok: false; message: string }> {
  // Who performs it was read with the service (getService); each update is scoped to the service too.
  const serviceId = service.id;
  const assigned = new Set(service.providerIds);
  if (!input.overrides.every((o) => assigned.has(o.userId))) return { ok: false, message: "Only providers who perform this service can have their own duration or price." };
  if (!input.overrides.length) return { ok: true };
  const updates = input.overrides.map((o) => ctx.db.update(serviceProviders).set({ durationMinutes: o.durationMinutes ?? null, priceCents: o.price ?? null }).where(and(eq(serviceProviders.serviceId, serviceId), eq(serviceProviders.userId, o.userId))));
  await commitAudited(ctx, updates, { actor: session.user, action: "service.provider_overrides", entityType: "service", entityId: serviceId, outcome: "allowed" });
  return { ok: true };
}
