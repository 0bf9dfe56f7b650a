import { and, asc, eq, gt, gte, inArray, isNotNull, lt, lte, or, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { randomToken, sha256Hex } from "../auth/password.server";
import { audit, auditInsert, auditInsertByChange } from "../audit/audit.server";
import { locations, patients, services, users, waitlistEntries, waitlistOffers } from "../../db/schema";
import type { JobContext } from "../messaging/appointment-messages.server";
import { enqueue } from "../messaging/outbox.server";
import { unsubscribeUrl } from "../messaging/unsubscribe.server";
import { publicLink } from "../lib/origin";
import { computeAvailability } from "../scheduling/availability";
import { loadAvailabilityRequest } from "../scheduling/availability.server";
import { noteScheduleVersions } from "../lib/exclusive-write.server";
import { bookAppointment } from "../scheduling/booking.server";
import { formatDateTime } from "../scheduling/format";
import { localDateOf } from "../scheduling/local-time";
import { eligibleEntries, offerExpiry, startInside, type FreedTime } from "./rules";

export type OfferContext = JobContext;


/**
 * A booked time was given up (cancelled or moved away): offer it to the first eligible waiting
 * patient, by message with a private link. Returns the offer id, or null when nobody fits.
 */
export async function offerFreedTime(ctx: OfferContext, organizationId: string, locationId: string, block: Omit<FreedTime, "date">) {
  const now = ctx.clock.now().getTime();
  const [location] = await ctx.db.select({ timeZone: locations.timeZone, minNotice: locations.minNoticeMinutes }).from(locations).where(and(eq(locations.id, locationId), eq(locations.organizationId, organizationId)));
  if (!location || block.start <= now) return null;
  const freed: FreedTime = { ...block, date: localDateOf(location.timeZone, block.start) };
  const waiting = await ctx.db
    .select({ id: waitlistEntries.id, providerId: waitlistEntries.providerId, fromDate: waitlistEntries.fromDate, toDate: waitlistEntries.toDate, createdAt: waitlistEntries.createdAt, serviceId: waitlistEntries.serviceId, patientId: waitlistEntries.patientId })
    .from(waitlistEntries)
    // Only patients we may message can be offered a time: an offer nobody hears of would just hold it.
    .innerJoin(patients, and(eq(patients.id, waitlistEntries.patientId), or(and(eq(patients.emailConsent, true), isNotNull(patients.email)), and(eq(patients.smsConsent, true), isNotNull(patients.phone)))))
    .where(and(eq(waitlistEntries.organizationId, organizationId), eq(waitlistEntries.locationId, locationId), eq(waitlistEntries.status, "waiting"), lte(waitlistEntries.fromDate, freed.date), gte(waitlistEntries.toDate, freed.date)))
    .orderBy(asc(waitlistEntries.createdAt))
    .limit(100);
  if (!waiting.length) return null;
  // Nobody holds two offers at once, and nobody is offered the same time twice.
  const offers = await ctx.db.select({ entryId: waitlistOffers.entryId, status: waitlistOffers.status, providerId: waitlistOffers.providerId, startsAt: waitlistOffers.startsAt }).from(waitlistOffers).where(inArray(waitlistOffers.entryId, waiting.map((w) => w.id)));
  const skip = new Set(offers.filter((o) => o.status === "open" || (o.providerId === freed.providerId && o.startsAt.getTime() >= freed.start && o.startsAt.getTime() < freed.end)).map((o) => o.entryId));
  for (const entry of eligibleEntries(waiting.map((w) => ({ ...w, createdAt: w.createdAt.getTime() })), freed, skip)) {
    const req = await loadAvailabilityRequest(ctx.db, { organizationId, locationId, serviceId: entry.serviceId, providerId: freed.providerId, fromDate: freed.date, toDate: freed.date, now });
    const startsAt = req ? startInside(freed, computeAvailability(req)[0]?.slots ?? []) : null;
    const expiresAt = startsAt === null ? null : offerExpiry(now, startsAt, location.minNotice);
    if (startsAt === null || expiresAt === null) continue;
    const token = randomToken();
    const id = crypto.randomUUID();
    await ctx.db.insert(waitlistOffers).values({ id, entryId: entry.id, providerId: freed.providerId, startsAt: new Date(startsAt), tokenHash: await sha256Hex(token), expiresAt: new Date(expiresAt), createdAt: new Date(now) });
    await sendOffer(ctx, { offerId: id, token, organizationId, patientId: entry.patientId, serviceId: entry.serviceId, providerId: freed.providerId, locationId, startsAt, expiresAt, timeZone: location.timeZone });
    return id;
  }
  return null;
}

async function sendOffer(ctx: OfferContext, o: { offerId: string; token: string; organizationId: string; patientId: string; serviceId: string; providerId: string; locationId: string; startsAt: number; expiresAt: number; timeZone: string }) {
  const [p] = await ctx.db.select({ firstName: patients.firstName, email: patients.email, phone: patients.phone, emailConsent: patients.emailConsent, smsConsent: patients.smsConsent }).from(patients).where(eq(patients.id, o.patientId));
  const [s] = await ctx.db.select({ name: services.name }).from(services).where(eq(services.id, o.serviceId));
  const [u] = await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, o.providerId));
  const [l] = await ctx.db.select({ name: locations.name }).from(locations).where(eq(locations.id, o.locationId));
  if (!p || !s || !u || !l) return;
  const link = publicLink(ctx.env, `/waitlist/offers/${o.token}`);
  const when = formatDateTime(o.startsAt, o.timeZone);
  const until = formatDateTime(o.expiresAt, o.timeZone);
  const base = { organizationId: o.organizationId, kind: "waitlist_offer", subject: `A time opened up: ${s.name} on ${when}` };
  if (p.emailConsent && p.email) {
    const unsubscribe = await unsubscribeUrl(ctx, o.patientId);
    const body = `Hello ${p.firstName},\n\nA time you were waiting for opened up: ${s.name} with ${u.name} on ${when} at ${l.name}.\n\nIt goes to the first person to accept. Accept or pass here (open until ${until}):\n${link}\n\nTo stop these emails: ${unsubscribe}`;
    await enqueue(ctx, { ...base, channel: "email", to: p.email, body, dedupeKey: `waitlist:${o.offerId}:email`, unsubscribeUrl: unsubscribe });
  }
  if (p.smsConsent && p.phone) {
    await enqueue(ctx, { ...base, channel: "sms", to: p.phone, body: `${l.name}: ${s.name} on ${when} opened up. First to accept gets it: ${link} Reply STOP to opt out.`, dedupeKey: `waitlist:${o.offerId}:sms` });
  }
}

async function findOffer(ctx: Pick<AppContext, "db" | "scheduleVersions">, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const [row] = await ctx.db
    .select({
      id: waitlistOffers.id,
      status: waitlistOffers.status,
      startsAt: waitlistOffers.startsAt,
      expiresAt: waitlistOffers.expiresAt,
      providerId: waitlistOffers.providerId,
      entryId: waitlistEntries.id,
      organizationId: waitlistEntries.organizationId,
      locationId: waitlistEntries.locationId,
      serviceId: waitlistEntries.serviceId,
      patientId: waitlistEntries.patientId,
      patientUserId: patients.userId,
      firstName: patients.firstName,
      serviceName: services.name,
      providerName: users.name,
      locationName: locations.name,
      timeZone: locations.timeZone,
      phone: locations.phone,
      scheduleVersion: locations.scheduleVersion,
    })
    .from(waitlistOffers)
    .innerJoin(waitlistEntries, eq(waitlistEntries.id, waitlistOffers.entryId))
    .innerJoin(patients, eq(patients.id, waitlistEntries.patientId))
    .innerJoin(services, eq(services.id, waitlistEntries.serviceId))
    .innerJoin(users, eq(users.id, waitlistOffers.providerId))
    .innerJoin(locations, eq(locations.id, waitlistEntries.locationId))
    .where(eq(waitlistOffers.tokenHash, await sha256Hex(token)));
  // Read before an accept's checks: the booking's guard uses it (ADR 020).
  if (row) noteScheduleVersions(ctx, [{ id: row.locationId, scheduleVersion: row.scheduleVersion }]);
  return row ?? null;
}

/** What the offer page shows: the time and whether it can still be taken. */
export async function viewOffer(ctx: AppContext, token: string) {
  const offer = await findOffer(ctx, token);
  if (!offer) return null;
  const open = offer.status === "open" && offer.expiresAt.getTime() > ctx.clock.now().getTime();
  await audit(ctx, { organizationId: offer.organizationId, action: "waitlist.offer_view", entityType: "waitlist_offer", entityId: offer.id, outcome: "allowed" });
  return { ...offer, status: open ? ("open" as const) : offer.status === "open" ? ("expired" as const) : offer.status, when: formatDateTime(offer.startsAt.getTime(), offer.timeZone), until: formatDateTime(offer.expiresAt.getTime(), offer.timeZone) };
}

export type OfferAnswer = { ok: true; appointmentId: string } | { ok: false; status: number; message: string };

/**
 * Accepting first takes the offer with one conditional write (still open, not expired, its entry
 * still waiting): a second click, a decline or the expiry job racing it can't both win. Then it
 * books the time like any booking, in one exclusive write: if someone else took the time first,
 * this patient is told so and stays on the waitlist.
 */
export async function acceptOffer(ctx: AppContext, token: string): Promise<OfferAnswer> {
  const offer = await findOffer(ctx, token);
  const now = ctx.clock.now().getTime();
  if (!offer) return { ok: false, status: 404, message: "This offer link is not valid." };
  const ended = { ok: false as const, status: 410, message: offer.status === "accepted" ? "You already accepted this time." : "This offer has ended. You're still on the waitlist if you haven't left it." };
  // Taking the offer (one conditional write) goes out with the booking's reads; the booking, the
  // entry marked booked and the audit event then commit in one batch, only if this request took it.
  let taken = false;
  const take = ctx.db
    .update(waitlistOffers)
    .set({ status: "accepted", respondedAt: new Date(now) })
    .where(and(eq(waitlistOffers.id, offer.id), eq(waitlistOffers.status, "open"), gt(waitlistOffers.expiresAt, new Date(now)), sql`exists (select 1 from ${waitlistEntries} where ${waitlistEntries.id} = ${offer.entryId} and ${waitlistEntries.status} = 'waiting')`))
    .returning({ id: waitlistOffers.id })
    .then((rows) => (taken = rows.length > 0));
  const actor = { id: offer.patientUserId ?? `waitlist:${offer.entryId}`, role: "patient" as const, organizationId: offer.organizationId };
  const booked = await bookAppointment(ctx, actor, { locationId: offer.locationId, serviceId: offer.serviceId, providerId: offer.providerId, patientId: offer.patientId, startsAt: offer.startsAt.getTime() }, {
    alongside: take,
    alsoCommit: (appointmentId) => [
      ctx.db.update(waitlistEntries).set({ status: "booked", appointmentId }).where(eq(waitlistEntries.id, offer.entryId)),
      auditInsert(ctx, ctx.db, { organizationId: offer.organizationId, action: "waitlist.offer_accept", entityType: "waitlist_offer", entityId: offer.id, outcome: "allowed" }),
    ],
  });
  if (!taken) return ended;
  if (!booked.ok) {
    await ctx.db.update(waitlistOffers).set({ status: "taken" }).where(eq(waitlistOffers.id, offer.id));
    return { ok: false, status: 409, message: "Sorry, someone else accepted that time first. You're still on the waitlist, and we'll message you when another time opens." };
  }
  return { ok: true, appointmentId: booked.appointmentId };
}

/** Passing keeps the patient on the waitlist and offers the time to the next in line. */
export async function declineOffer(ctx: AppContext & { origin?: string }, token: string): Promise<OfferAnswer | { ok: true; appointmentId: null }> {
  const offer = await findOffer(ctx, token);
  if (!offer) return { ok: false, status: 404, message: "This offer link is not valid." };
  // The decline decides by its own condition; its audit event commits with it and says whether it did.
  const [updated] = (await ctx.db.batch([
    ctx.db.update(waitlistOffers).set({ status: "declined", respondedAt: ctx.clock.now() }).where(and(eq(waitlistOffers.id, offer.id), eq(waitlistOffers.status, "open"))).returning({ id: waitlistOffers.id }),
    auditInsertByChange(ctx, ctx.db, { organizationId: offer.organizationId, action: "waitlist.offer_decline", entityType: "waitlist_offer", entityId: offer.id }, "already_ended"),
  ])) as unknown as [{ id: string }[], unknown];
  if (!updated.length) return { ok: false, status: 410, message: "This offer has already ended." };
  // The next in line is offered the time once this answer has gone (as after a cancellation).
  ctx.afterResponse(() => passOn(ctx, offer).catch((error) => ctx.logger.error("waitlist_offer_failed", { error: (error as Error).message })));
  return { ok: true, appointmentId: null };
}

/** Offers a declined or expired time to the next waiting patient. */
function passOn(ctx: OfferContext, offer: { organizationId: string; locationId: string; providerId: string; startsAt: Date }) {
  const start = offer.startsAt.getTime();
  return offerFreedTime(ctx, offer.organizationId, offer.locationId, { providerId: offer.providerId, start, end: start + 60_000 });
}

/** Background job: close offers past their time (passing them on) and entries whose dates have gone by. */
/** Ends offers past their time and passes each on (at most `maxOffers` in one run: each costs a dozen statements). */
export async function expireWaitlist(ctx: OfferContext, maxOffers = 100) {
  if (maxOffers <= 0) return 0;
  const now = ctx.clock.now();
  const due = await ctx.db
    .select({ id: waitlistOffers.id, providerId: waitlistOffers.providerId, startsAt: waitlistOffers.startsAt, organizationId: waitlistEntries.organizationId, locationId: waitlistEntries.locationId })
    .from(waitlistOffers)
    .innerJoin(waitlistEntries, eq(waitlistEntries.id, waitlistOffers.entryId))
    .where(and(eq(waitlistOffers.status, "open"), lte(waitlistOffers.expiresAt, now)))
    .limit(maxOffers);
  for (const offer of due) {
    const closed = await ctx.db.update(waitlistOffers).set({ status: "expired" }).where(and(eq(waitlistOffers.id, offer.id), eq(waitlistOffers.status, "open"))).returning({ id: waitlistOffers.id });
    if (closed.length) await passOn(ctx, offer);
  }
  // An entry is over once its last day has passed (UTC date: at most a day late, never early).
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  await ctx.db.update(waitlistEntries).set({ status: "expired" }).where(and(eq(waitlistEntries.status, "waiting"), lt(waitlistEntries.toDate, yesterday)));
  return due.length;
}

/** After a visit is cancelled or moved away from its time, offer that time (if still ahead). */
export async function offerAppointmentTime(ctx: OfferContext, appointment: { organizationId: string; locationId: string; providerId: string; blockStart: Date; blockEnd: Date }) {
  try {
    return await offerFreedTime(ctx, appointment.organizationId, appointment.locationId, { providerId: appointment.providerId, start: appointment.blockStart.getTime(), end: appointment.blockEnd.getTime() });
  } catch (error) {
    ctx.logger.error("waitlist_offer_failed", { error: (error as Error).message });
    return null;
  }
}
