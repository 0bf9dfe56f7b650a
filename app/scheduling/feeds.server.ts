import { and, asc, eq, gte, inArray, isNull, lte } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { appointments, calendarFeeds, locations, memberships, patients, services, users } from "../../db/schema";
import { audit, commitAudited } from "../audit/audit.server";
import type { BookingActor } from "./booking.server";
import { randomToken, sha256Hex } from "../auth/password.server";
import { calendarDocument } from "./ics.server";

const DAY = 86_400_000;

export async function activeFeed(ctx: AppContext, actor: BookingActor) {
  const [feed] = await ctx.db.select({ id: calendarFeeds.id, createdAt: calendarFeeds.createdAt }).from(calendarFeeds).where(and(eq(calendarFeeds.userId, actor.id), eq(calendarFeeds.organizationId, actor.organizationId), isNull(calendarFeeds.revokedAt)));
  return feed ?? null;
}

/** Turns the user's feed off, and (unless `off`) issues a new private token; returns it once. */
export async function replaceFeed(ctx: AppContext, actor: BookingActor, { off = false } = {}) {
  const now = ctx.clock.now();
  const token = off ? null : randomToken(32);
  await commitAudited(
    ctx,
    [
      ctx.db.update(calendarFeeds).set({ revokedAt: now }).where(and(eq(calendarFeeds.userId, actor.id), eq(calendarFeeds.organizationId, actor.organizationId), isNull(calendarFeeds.revokedAt))),
      ...(token ? [ctx.db.insert(calendarFeeds).values({ id: crypto.randomUUID(), userId: actor.id, organizationId: actor.organizationId, tokenHash: await sha256Hex(token), createdAt: now })] : []),
    ],
    { actor, action: off ? "calendar_feed.revoke" : "calendar_feed.create", entityType: "calendar_feed", outcome: "allowed" },
  );
  return token;
}

/**
 * The feed behind a token: a provider's own visits (patients as initials only, since the
 * calendar lives outside Atrium) or a patient's own visits; 30 days back to 180 ahead.
 */
export async function feedDocument(ctx: AppContext, token: string) {
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  const [feed] = await ctx.db
    .select({ userId: calendarFeeds.userId, organizationId: calendarFeeds.organizationId, role: memberships.role, status: memberships.status })
    .from(calendarFeeds)
    .innerJoin(memberships, and(eq(memberships.userId, calendarFeeds.userId), eq(memberships.organizationId, calendarFeeds.organizationId)))
    .where(and(eq(calendarFeeds.tokenHash, await sha256Hex(token)), isNull(calendarFeeds.revokedAt)));
  if (!feed || feed.status !== "active" || !["provider", "patient"].includes(feed.role)) return null;
  const now = ctx.clock.now().getTime();
  const own = feed.role === "provider" ? eq(appointments.providerId, feed.userId) : eq(patients.userId, feed.userId);
  const rows = await ctx.db
    .select({ id: appointments.id, status: appointments.status, startsAt: appointments.startsAt, endsAt: appointments.endsAt, service: services.name, location: locations.name, address: locations.addressLine1, city: locations.city, first: patients.firstName, last: patients.lastName, provider: users.name })
    .from(appointments)
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .innerJoin(services, eq(services.id, appointments.serviceId))
    .innerJoin(locations, eq(locations.id, appointments.locationId))
    .innerJoin(users, eq(users.id, appointments.providerId))
    .where(and(eq(appointments.organizationId, feed.organizationId), own, gte(appointments.startsAt, new Date(now - 30 * DAY)), lte(appointments.startsAt, new Date(now + 180 * DAY)), inArray(appointments.status, ["requested", "confirmed", "checked_in", "in_room", "completed", "cancelled"])))
    .orderBy(asc(appointments.startsAt));
  await audit(ctx, { organizationId: feed.organizationId, actor: { id: feed.userId, role: feed.role, organizationId: feed.organizationId }, action: "calendar_feed.read", entityType: "calendar_feed", outcome: "allowed", reason: String(rows.length) });
  return calendarDocument(
    feed.role === "provider" ? "Atrium — my appointments" : "My appointments",
    rows.map((r) => ({
      id: r.id,
      start: r.startsAt,
      end: r.endsAt,
      summary: feed.role === "provider" ? `${r.service} — ${r.first[0]}.${r.last[0]}.` : `${r.service} at ${r.location}`,
      location: `${r.address}, ${r.city}`,
      description: feed.role === "provider" ? undefined : `With ${r.provider}.`,
      cancelled: r.status === "cancelled",
    })),
  );
}
