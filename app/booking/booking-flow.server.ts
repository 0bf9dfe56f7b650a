import { and, asc, eq, type SQL } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { locations, memberships, organizations, serviceProviders, services, userLocations, users } from "../../db/schema";
import { computeAvailability } from "../scheduling/availability";
import { loadAvailabilityRequest } from "../scheduling/availability.server";
import { addDays, localDateOf } from "../scheduling/local-time";
import type { Step } from "./step-url";

export const BOOKING_WINDOW_DAYS = 14;

export async function findOrganization(ctx: AppContext, slug: string) {
  const [org] = await ctx.db.select({ id: organizations.id, name: organizations.name, slug: organizations.slug }).from(organizations).where(eq(organizations.slug, slug));
  return org ?? null;
}

/** Active staff at a location who perform a service, by name. */
export function providersFor(ctx: Pick<AppContext, "db">, organizationId: string, locationId: string | SQL, serviceId: string | SQL) {
  return ctx.db
    .select({ id: users.id, name: users.name })
    .from(serviceProviders)
    .innerJoin(users, eq(users.id, serviceProviders.userId))
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.organizationId, organizationId), eq(memberships.status, "active")))
    .innerJoin(userLocations, and(eq(userLocations.userId, users.id), eq(userLocations.locationId, locationId)))
    .where(eq(serviceProviders.serviceId, serviceId))
    .orderBy(asc(users.name));
}

/**
 * What the current step shows: chosen items (validated against the organization, so a tampered
 * id simply stops the flow at that step) and the options for the next choice.
 */
export async function loadBookingStep(ctx: AppContext, organizationId: string, step: Step, opts: { staffView?: boolean } = {}) {
  const now = ctx.clock.now().getTime();
  const locationRows = await ctx.db.select({ id: locations.id, name: locations.name, timeZone: locations.timeZone, addressLine1: locations.addressLine1, city: locations.city, region: locations.region, phone: locations.phone }).from(locations).where(eq(locations.organizationId, organizationId)).orderBy(asc(locations.name));
  const location = locationRows.find((l) => l.id === step.location) ?? null;
  if (!location) return { stage: "location" as const, locations: locationRows };

  const serviceRows = await ctx.db
    .select({ id: services.id, name: services.name, category: services.category, description: services.description, durationMinutes: services.durationMinutes, priceCents: services.priceCents, autoConfirm: services.autoConfirm, newPatientsAllowed: services.newPatientsAllowed })
    .from(services)
    .where(and(eq(services.organizationId, organizationId), eq(services.active, true), opts.staffView ? undefined : eq(services.onlineBookable, true)))
    .orderBy(asc(services.category), asc(services.name));
  const service = serviceRows.find((s) => s.id === step.service) ?? null;
  if (!service) return { stage: "service" as const, location, services: serviceRows };

  const providerRows = await providersFor(ctx, organizationId, location.id, service.id);
  const provider = step.provider === "any" ? ("any" as const) : providerRows.find((p) => p.id === step.provider) ?? null;
  if (!provider) return { stage: "provider" as const, location, service, providers: providerRows };

  const today = localDateOf(location.timeZone, now);
  const req = await loadAvailabilityRequest(ctx.db, { organizationId, locationId: location.id, serviceId: service.id, providerId: provider === "any" ? null : provider.id, fromDate: today, toDate: addDays(today, BOOKING_WINDOW_DAYS - 1), now });
  const days = req ? computeAvailability(req) : [];
  const date = days.find((d) => d.date === step.date) ?? null;
  const summary = { location, service, provider, providerNames: Object.fromEntries(providerRows.map((p) => [p.id, p.name])) };
  if (!date) return { stage: "date" as const, ...summary, days: days.map((d) => ({ date: d.date, count: d.slots.length })) };
  const slot = date.slots.find((s) => s.start === step.start) ?? null;
  if (!slot) return { stage: "time" as const, ...summary, date: date.date, slots: date.slots.map((s) => s.start) };
  return { stage: "details" as const, ...summary, date: date.date, start: slot.start };
}

export type BookingStep = Awaited<ReturnType<typeof loadBookingStep>>;

