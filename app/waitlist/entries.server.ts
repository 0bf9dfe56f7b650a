import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { audit, auditInsertByChange } from "../audit/audit.server";
import { locations, patients, services, users, waitlistEntries, waitlistOffers } from "../../db/schema";
import type { BookingActor } from "../scheduling/booking.server";
import { providersFor } from "../booking/booking-flow.server";
import { addDays, localDateOf } from "../scheduling/local-time";
import type { JoinWaitlistInput } from "./schemas";
import { withinActorLocations } from "../auth/scope.server";

/** A patient may wait for this many things at once. */
export const MAX_WAITING_PER_PATIENT = 5;

export type JoinResult = { ok: true; id: string } | { ok: false; status: number; field?: keyof JoinWaitlistInput; message: string };

/**
 * Adds a patient to the waitlist after checking every id against the organization: the
 * location, the service (active), the provider (performs it there), and the dates (from today
 * to the location's booking horizon).
 */
export async function joinWaitlist(ctx: AppContext, actor: BookingActor, patientId: string, input: JoinWaitlistInput): Promise<JoinResult> {
  const org = actor.organizationId;
  const providerId = input.providerId === "any" ? null : input.providerId;
  // Every id is checked at once (each query is a round trip on Turso), then in the form's order.
  const [[location], [service], providers, [patient]] = await Promise.all([
    ctx.db.select({ id: locations.id, timeZone: locations.timeZone, maxAdvanceDays: locations.maxAdvanceDays }).from(locations).where(and(eq(locations.id, input.locationId), eq(locations.organizationId, org), withinActorLocations(actor, locations.id))),
    ctx.db.select({ id: services.id }).from(services).where(and(eq(services.id, input.serviceId), eq(services.organizationId, org), eq(services.active, true), actor.role === "patient" ? eq(services.onlineBookable, true) : undefined)),
    providerId ? providersFor(ctx, org, input.locationId, input.serviceId) : [],
    ctx.db.select({ id: patients.id }).from(patients).where(and(eq(patients.id, patientId), eq(patients.organizationId, org))),
  ]);
  if (!location) return { ok: false, status: 400, field: "locationId", message: "Choose one of the clinic's locations." };
  if (!service) return { ok: false, status: 400, field: "serviceId", message: "Choose one of the services offered." };
  if (providerId && !providers.some((p) => p.id === providerId)) return { ok: false, status: 400, field: "providerId", message: "That provider doesn't offer this service here." };
  const today = localDateOf(location.timeZone, ctx.clock.now().getTime());
  if (input.fromDate < today) return { ok: false, status: 400, field: "fromDate", message: "Choose today or a later day." };
  if (input.toDate > addDays(today, location.maxAdvanceDays)) return { ok: false, status: 400, field: "toDate", message: `We book up to ${location.maxAdvanceDays} days ahead. Choose an earlier last day.` };
  if (!patient) return { ok: false, status: 404, message: "That patient was not found." };
  // The cap and the insert are one statement: two joins racing can't both squeeze under it.
  const id = crypto.randomUUID();
  const [inserted] = (await ctx.db.batch([
    ctx.db.run(sql`
    insert into ${waitlistEntries} (id, organization_id, location_id, patient_id, service_id, provider_id, from_date, to_date, status, created_by, created_at)
    select ${id}, ${org}, ${location.id}, ${patientId}, ${service.id}, ${providerId}, ${input.fromDate}, ${input.toDate}, 'waiting', ${actor.id}, ${ctx.clock.now().getTime()}
    where (select count(*) from ${waitlistEntries} where patient_id = ${patientId} and status = 'waiting') < ${MAX_WAITING_PER_PATIENT}`),
    auditInsertByChange(ctx, ctx.db, { actor, action: "waitlist.join", entityType: "waitlist_entry", entityId: id }, "cap_reached"),
  ])) as [{ rowsAffected: number }, unknown];
  if (inserted.rowsAffected === 0) return { ok: false, status: 409, message: `You can wait for up to ${MAX_WAITING_PER_PATIENT} things at once. Leave one of them first.` };
  return { ok: true, id };
}

/** Takes a waiting entry off the list (patients: only their own); any open offer ends with it. */
export async function leaveWaitlist(ctx: AppContext, actor: BookingActor, entryId: string, ownPatientId: string | null) {
  // One batch: the entry leaves (if it is this actor's to take off), its audit says whether it did,
  // and any open offer of an entry that has left ends with it.
  const [updated] = (await ctx.db.batch([
    ctx.db
      .update(waitlistEntries)
      .set({ status: "left" })
      .where(and(eq(waitlistEntries.id, entryId), eq(waitlistEntries.organizationId, actor.organizationId), withinActorLocations(actor, waitlistEntries.locationId), eq(waitlistEntries.status, "waiting"), ownPatientId ? eq(waitlistEntries.patientId, ownPatientId) : undefined))
      .returning({ id: waitlistEntries.id }),
    auditInsertByChange(ctx, ctx.db, { actor, action: "waitlist.leave", entityType: "waitlist_entry", entityId: entryId.slice(0, 64) }, "not_found"),
    ctx.db
      .update(waitlistOffers)
      .set({ status: "declined", respondedAt: ctx.clock.now() })
      .where(and(eq(waitlistOffers.entryId, entryId), eq(waitlistOffers.status, "open"), inArray(waitlistOffers.entryId, ctx.db.select({ id: waitlistEntries.id }).from(waitlistEntries).where(and(eq(waitlistEntries.id, entryId), eq(waitlistEntries.status, "left")))))),
  ])) as unknown as [{ id: string }[], unknown, unknown];
  return updated.length > 0;
}

const listColumns = {
  id: waitlistEntries.id,
  status: waitlistEntries.status,
  fromDate: waitlistEntries.fromDate,
  toDate: waitlistEntries.toDate,
  createdAt: waitlistEntries.createdAt,
  patientId: waitlistEntries.patientId,
  patientName: sql<string>`${patients.firstName} || ' ' || ${patients.lastName}`,
  serviceName: services.name,
  providerName: users.name,
  locationName: locations.name,
  timeZone: locations.timeZone,
};

function listQuery(ctx: AppContext) {
  return ctx.db
    .select(listColumns)
    .from(waitlistEntries)
    .innerJoin(patients, eq(patients.id, waitlistEntries.patientId))
    .innerJoin(services, eq(services.id, waitlistEntries.serviceId))
    .innerJoin(locations, eq(locations.id, waitlistEntries.locationId))
    .leftJoin(users, eq(users.id, waitlistEntries.providerId));
}

/**
 * The entries `where` picks, each with its open offer (if any), so people see who is holding a
 * time right now. Entries and offers are read at once (a round trip each on Turso).
 */
async function entriesWithOpenOffers(ctx: AppContext, where: SQL | undefined, order: SQL, limit: number) {
  const [rows, offers] = await Promise.all([
    listQuery(ctx).where(where).orderBy(order).limit(limit),
    ctx.db
      .select({ entryId: waitlistOffers.entryId, startsAt: waitlistOffers.startsAt, expiresAt: waitlistOffers.expiresAt })
      .from(waitlistOffers)
      .where(and(inArray(waitlistOffers.entryId, ctx.db.select({ id: waitlistEntries.id }).from(waitlistEntries).where(where)), eq(waitlistOffers.status, "open"))),
  ]);
  const byEntry = new Map(offers.map((o) => [o.entryId, o]));
  return rows.map((r) => ({ ...r, offer: byEntry.get(r.id) ?? null }));
}

/** A patient's entries; `patientId` may be a subquery (the portal reads them with the patient's own record). */
export async function waitlistForPatient(ctx: AppContext, actor: BookingActor, patientId: string | SQL) {
  await audit(ctx, { actor, action: "waitlist.list", entityType: "waitlist_entry", outcome: "allowed", reason: "patient" });
  return entriesWithOpenOffers(ctx, and(eq(waitlistEntries.patientId, patientId), eq(waitlistEntries.organizationId, actor.organizationId)), desc(waitlistEntries.createdAt), 20);
}

export async function waitlistForLocation(ctx: AppContext, actor: BookingActor, locationId: string) {
  await audit(ctx, { actor, action: "waitlist.list", entityType: "waitlist_entry", outcome: "allowed", reason: "location" });
  return entriesWithOpenOffers(ctx, and(eq(waitlistEntries.locationId, locationId), eq(waitlistEntries.organizationId, actor.organizationId), eq(waitlistEntries.status, "waiting")), asc(waitlistEntries.createdAt), 200);
}
