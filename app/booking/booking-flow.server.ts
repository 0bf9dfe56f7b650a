import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { noteScheduleVersions } from "../lib/exclusive-write.server";
import type { AppContext } from "../lib/context.server";
import { locations, memberships, organizations, serviceProviders, services, userLocations, users } from "../../db/schema";
import { computeAvailability } from "../scheduling/availability";
import { loadAvailabilityRequest } from "../scheduling/availability.server";
import { addDays, localDateOf } from "../scheduling/local-time";
import type { Step } from "./step-url";

export const BOOKING_WINDOW_DAYS = 14;

/** An organization's id by its booking address, as a subquery (to read a booking step with the organization, not after it). */
export function organizationIdBySlug(slug: string) {
  return sql`(select ${organizations.id} from ${organizations} where ${organizations.slug} = ${slug})`;
}

export async function findOrganization(ctx: AppContext, slug: string) {
  const [org] = await ctx.db.select({ id: organizations.id, name: organizations.name, slug: organizations.slug }).from(organizations).where(eq(organizations.slug, slug));
  return org ?? null;
}

/** Active staff at a location who perform a service, by name. */
export function providersFor(ctx: Pick<AppContext, "db">, organizationId: string | SQL, locationId: string | SQL, serviceId: string | SQL) {
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
export async function loadBookingStep(ctx: AppContext, organizationId: string | SQL, step: Step, opts: { staffView?: boolean } = {}) {
  const now = ctx.clock.now().getTime();
  // Everything the step may need, read at once from the ids in the link (each query is a round
  // trip on Turso), then checked in order: a tampered id stops the flow at its step. The open
  // times cover the UTC days around the window and are narrowed once the location's zone is known.
  const utcToday = new Date(now).toISOString().slice(0, 10);
  const [locationRows, serviceRows, providerRows, loaded] = await Promise.all([
    ctx.db.select({ id: locations.id, name: locations.name, timeZone: locations.timeZone, scheduleVersion: locations.scheduleVersion, addressLine1: locations.addressLine1, city: locations.city, region: locations.region, phone: locations.phone }).from(locations).where(eq(locations.organizationId, organizationId)).orderBy(asc(locations.name)),
    step.location
      ? ctx.db
          .select({ id: services.id, name: services.name, category: services.category, description: services.description, durationMinutes: services.durationMinutes, priceCents: services.priceCents, autoConfirm: services.autoConfirm, newPatientsAllowed: services.newPatientsAllowed, depositCents: services.depositCents, cardRequired: services.cardRequired })
          .from(services)
          .where(and(eq(services.organizationId, organizationId), eq(services.active, true), opts.staffView ? undefined : eq(services.onlineBookable, true)))
          .orderBy(asc(services.category), asc(services.name))
      : [],
    step.location && step.service ? providersFor(ctx, organizationId, step.location, step.service) : [],
    step.location && step.service && step.provider
      ? loadAvailabilityRequest(ctx.db, { organizationId, locationId: step.location, serviceId: step.service, providerId: step.provider === "any" ? null : step.provider, fromDate: addDays(utcToday, -1), toDate: addDays(utcToday, BOOKING_WINDOW_DAYS), now })
      : null,
  ]);
  // Read before any booking's checks: an exclusive write guards with them (ADR 020).
  noteScheduleVersions(ctx, locationRows);
  const location = locationRows.find((l) => l.id === step.location) ?? null;
  if (!location) return { stage: "location" as const, locations: locationRows };
  const service = serviceRows.find((s) => s.id === step.service) ?? null;
  if (!service) return { stage: "service" as const, location, services: serviceRows };
  const provider = step.provider === "any" ? ("any" as const) : providerRows.find((p) => p.id === step.provider) ?? null;
  if (!provider) return { stage: "provider" as const, location, service, providers: providerRows };

  const today = localDateOf(location.timeZone, now);
  const req = loaded && { ...loaded, fromDate: today, toDate: addDays(today, BOOKING_WINDOW_DAYS - 1) };
  const days = req ? computeAvailability(req) : [];
  const date = days.find((d) => d.date === step.date) ?? null;
  const summary = { location, service, provider, providerNames: Object.fromEntries(providerRows.map((p) => [p.id, p.name])) };
  if (!date) return { stage: "date" as const, ...summary, days: days.map((d) => ({ date: d.date, count: d.slots.length })) };
  const slot = date.slots.find((s) => s.start === step.start) ?? null;
  if (!slot) return { stage: "time" as const, ...summary, date: date.date, slots: date.slots.map((s) => s.start) };
  return { stage: "details" as const, ...summary, date: date.date, start: slot.start };
}

export type BookingStep = Awaited<ReturnType<typeof loadBookingStep>>;

