import { and, asc, eq } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { locations, memberships, serviceProviders, services, users, type Role } from "../../db/schema";
import { withinActorLocations } from "../auth/scope.server";

/**
 * Choices for the join form: the locations (for staff, only those they work at), services and the
 * providers who perform them.
 */
export async function waitlistOptions(ctx: AppContext, actor: { id: string; role: Role; organizationId: string }, { onlineOnly }: { onlineOnly: boolean }) {
  const organizationId = actor.organizationId;
  const [locationRows, serviceRows, providerRows] = await Promise.all([
    ctx.db.select({ id: locations.id, name: locations.name }).from(locations).where(and(eq(locations.organizationId, organizationId), withinActorLocations(actor, locations.id))).orderBy(asc(locations.name)),
    ctx.db.select({ id: services.id, name: services.name }).from(services).where(and(eq(services.organizationId, organizationId), eq(services.active, true), onlineOnly ? eq(services.onlineBookable, true) : undefined)).orderBy(asc(services.name)),
    ctx.db
      .selectDistinct({ id: users.id, name: users.name })
      .from(serviceProviders)
      .innerJoin(users, eq(users.id, serviceProviders.userId))
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.organizationId, organizationId), eq(memberships.status, "active")))
      .orderBy(asc(users.name)),
  ]);
  return { locations: locationRows, services: serviceRows, providers: providerRows };
}

export type WaitlistOptions = Awaited<ReturnType<typeof waitlistOptions>>;
