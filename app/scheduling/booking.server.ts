import type { AppContext } from "../lib/context.server";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQL } from "drizzle-orm";
import { exclusiveWrite, whenTaken, type ExclusiveDb } from "../lib/exclusive-write.server";
import { appointmentEvents, appointments } from "../../db/schema";
import type { Role } from "../../db/schema/accounts";
import { audit, auditInsert } from "../audit/audit.server";
import { computeAvailability, workingIntervals } from "./availability";
import { loadAvailabilityRequest } from "./availability.server";
import { overlapsAny, normalize, type Interval } from "./intervals";
import { addDays, localDateOf, localDay, minuteOfDayAt } from "./local-time";
import { composeAppointmentMessages, queueAppointmentMessages, type AppointmentMessageFacts, type AppointmentMessageKind } from "../messaging/appointment-messages.server";
import { messageInsert } from "../messaging/outbox.server";

export interface BookingActor {
  id: string;
  role: Role;
  organizationId: string;
}

export interface BookingInput {
  locationId: string;
  serviceId: string;
  /** Null for "any provider". */
  providerId: string | null;
  patientId: string;
  startsAt: number;
  /** Staff only: book outside shifts and notice rules (never over another appointment), with a reason. */
  overrideReason?: string | null;
  seriesId?: string | null;
  /** Rescheduling: the appointment being moved, whose own time is not in the way. */
  excludeAppointmentId?: string | null;
  /** A length other than the service's (a visit lengthened or shortened on the day grid), in minutes. */
  durationMinutes?: number;
}

export type BookingResult =
  | { ok: true; appointmentId: string; status: "requested" | "confirmed"; providerId: string; roomId: string | null }
  | { ok: false; code: "not_found" | "in_past" | "unavailable" | "slot_taken" | "forbidden"; message: string; alternatives: number[] };

const MINUTE = 60_000;
const STAFF_OVERRIDE: Role[] = ["owner", "manager", "front_desk"];

/** A refusal; one that names "the nearest open times" says so only when there are some. */
const fail = (code: Exclude<BookingResult, { ok: true }>["code"], message: string, alternatives: number[] = []): BookingResult => ({
  ok: false,
  code,
  message: alternatives.length === 0 ? message.replace(" Here are the nearest open times.", " Nothing else is open that day.") : message,
  alternatives,
});

export type PlanResult =
  | { ok: true; appointment: typeof appointments.$inferInsert; event: typeof appointmentEvents.$inferInsert; providerId: string; roomId: string | null; status: "requested" | "confirmed"; facts: AppointmentMessageFacts }
  | Exclude<BookingResult, { ok: true }>;

/**
 * What checking a booking reads, in one statement: the location's zone decides the local day, so
 * the UTC days around the start are loaded and narrowed once the zone is known. The location,
 * service and patient may be subqueries (a move reads them by the visit, with the visit).
 */
export function loadBookingInputs(tx: ExclusiveDb, actor: BookingActor, input: { locationId: string | SQL; serviceId: string | SQL; providerId: string | null; patientId: string | SQL; startsAt: number; excludeAppointmentId?: string | null }, now: number) {
  if (!Number.isFinite(input.startsAt)) return Promise.resolve(null);
  const utcDay = new Date(input.startsAt).toISOString().slice(0, 10);
  return loadAvailabilityRequest(tx, { organizationId: actor.organizationId, locationId: input.locationId, serviceId: input.serviceId, providerId: input.providerId, fromDate: addDays(utcDay, -1), toDate: addDays(utcDay, 1), now, excludeAppointmentId: input.excludeAppointmentId, patientId: input.patientId });
}

/** Checks one booking against the database as it is now and builds its rows; writes nothing. */
export async function planBooking(tx: ExclusiveDb, actor: BookingActor, input: BookingInput, now: number, preloaded?: Awaited<ReturnType<typeof loadBookingInputs>>): Promise<PlanResult> {
  const organizationId = actor.organizationId;
  const loaded = preloaded === undefined ? await loadBookingInputs(tx, actor, input, now) : preloaded;
  if (!loaded || !loaded.details.patient) return fail("not_found", "That location, service or patient was not found.") as PlanResult;
  if (input.startsAt <= now) return fail("in_past", "That time has already passed. Choose a time in the future.") as PlanResult;
  const date = localDateOf(loaded.location.timeZone, input.startsAt);
  const req = { ...loaded, fromDate: date, toDate: date };
  if (req.providers.length === 0) return fail("not_found", "Nobody at this location performs that service.") as PlanResult;

  const before = req.service.bufferBeforeMinutes * MINUTE;
  const after = req.service.bufferAfterMinutes * MINUTE;
  const busyOf = (key: "providerId" | "roomId", id: string) => normalize(req.busy.filter((b) => b[key] === id).map((b): Interval => [b.start, b.end]));
  const standardMinutes = (providerId: string | null) => req.providers.find((p) => p.id === providerId)?.durationMinutes ?? req.service.durationMinutes;
  const blockFor = (providerId: string) => {
    const minutes = input.durationMinutes ?? standardMinutes(providerId);
    return { start: input.startsAt - before, end: input.startsAt + minutes * MINUTE + after, endsAt: input.startsAt + minutes * MINUTE };
  };
  const freeRoom = (block: { start: number; end: number }) => {
    if (req.service.roomType === null) return null;
    return req.rooms.find((r) => r.roomType === req.service.roomType && !overlapsAny(busyOf("roomId", r.id), block.start, block.end))?.id ?? undefined;
  };

  const [day] = computeAvailability(req);
  const alternatives = day.slots.map((s) => s.start).sort((a, b) => Math.abs(a - input.startsAt) - Math.abs(b - input.startsAt)).slice(0, 5).sort((a, b) => a - b);
  let providerId: string | undefined;
  if (input.overrideReason) {
    providerId = input.providerId ?? undefined;
    if (!providerId) return fail("unavailable", "Choose a provider when booking outside availability.") as PlanResult;
    const block = blockFor(providerId);
    if (overlapsAny(busyOf("providerId", providerId), block.start, block.end)) return fail("slot_taken", "That provider already has an appointment then. Overrides never double-book.", alternatives) as PlanResult;
  } else if (input.durationMinutes !== undefined && input.durationMinutes !== standardMinutes(input.providerId)) {
    // Its own length: a start on the location's grid, the whole block inside the provider's hours
    // and the notice rule, and nothing else in the way.
    const localDayOf = localDay(req.location.timeZone, date);
    const onGrid = minuteOfDayAt(req.location.timeZone, input.startsAt) % req.location.slotIntervalMinutes === 0;
    const noticed = input.startsAt >= now + req.location.minNoticeMinutes * MINUTE;
    const candidates = input.providerId ? req.providers.filter((p) => p.id === input.providerId) : req.providers;
    const inHours = (id: string) => {
      const b = blockFor(id);
      return workingIntervals(req, id, localDayOf).some(([s, e]) => s <= b.start && b.end <= e);
    };
    const clear = (id: string) => !overlapsAny(busyOf("providerId", id), blockFor(id).start, blockFor(id).end);
    providerId = onGrid && noticed ? candidates.find((p) => inHours(p.id) && clear(p.id))?.id : undefined;
    if (!providerId) {
      return (candidates.some((p) => !clear(p.id)) ? fail("slot_taken", "That would run into another appointment. Here are the nearest open times.", alternatives) : fail("unavailable", "That length runs outside the provider's hours or the booking rules.", alternatives)) as PlanResult;
    }
  } else {
    const slot = day.slots.find((s) => s.start === input.startsAt);
    if (!slot) {
      const [unbooked] = computeAvailability({ ...req, busy: [] });
      const wasOpen = unbooked.slots.some((s) => s.start === input.startsAt);
      return (wasOpen ? fail("slot_taken", "That time was just taken. Here are the nearest open times.", alternatives) : fail("unavailable", "That time isn't available for this service. Here are the nearest open times.", alternatives)) as PlanResult;
    }
    providerId = slot.providerIds[0];
  }
  const block = blockFor(providerId);
  const roomId = freeRoom(block);
  if (roomId === undefined) return fail("slot_taken", "No room of the right type is free then. Here are the nearest open times.", alternatives) as PlanResult;

  const { details } = req;
  const id = crypto.randomUUID();
  const status = details.service.autoConfirm || STAFF_OVERRIDE.includes(actor.role) ? ("confirmed" as const) : ("requested" as const);
  const createdAt = new Date(now);
  const priceCents = req.providers.find((p) => p.id === providerId)?.priceCents ?? details.service.priceCents;
  return {
    ok: true,
    providerId,
    roomId,
    status,
    appointment: { id, organizationId, locationId: input.locationId, patientId: input.patientId, providerId, serviceId: input.serviceId, roomId, status, startsAt: new Date(input.startsAt), endsAt: new Date(block.endsAt), blockStart: new Date(block.start), blockEnd: new Date(block.end), priceCents, seriesId: input.seriesId ?? null, createdAt },
    event: { appointmentId: id, actorUserId: actor.id, fromStatus: null, toStatus: status, reason: input.overrideReason ? `override: ${input.overrideReason.slice(0, 200)}` : null, createdAt },
    facts: { appointmentId: id, organizationId, startsAt: input.startsAt, timeZone: req.location.timeZone, service: details.service.name, provider: details.providerNames[providerId] ?? "", location: details.location.name, address: details.location.address, phone: details.location.phone, patient: { id: input.patientId, ...details.patient! } },
  };
}

/**
 * Books one appointment. The availability check and the insert happen inside one exclusive
 * write (docs/decisions/009-exclusive-writes.md), so two requests can never both take the same
 * time: the second sees the first's row and gets "just taken" with fresh alternatives. The
 * appointment, its history, its audit event and the patient's confirmation (a transactional
 * outbox) commit together.
 */
/**
 * `alongside`: a conditional write that must have won for the booking to commit (accepting a
 * waitlist offer), sent with the booking's reads; `alsoCommit`: writes for the same batch.
 */
export interface BookingOptions {
  alongside?: Promise<boolean>;
  alsoCommit?: (appointmentId: string) => BatchItem<"sqlite">[];
}

export async function bookAppointment(ctx: AppContext, actor: BookingActor, input: BookingInput, options: BookingOptions = {}): Promise<BookingResult> {
  const now = ctx.clock.now().getTime();
  if (input.overrideReason && !STAFF_OVERRIDE.includes(actor.role)) return fail("forbidden", "Only the front desk or a manager can book outside availability.");
  const action = input.overrideReason ? "appointment.create_override" : "appointment.create";
  const result = await exclusiveWrite(ctx, async (tx, commit): Promise<BookingResult> => {
    const [plan, proceed] = await Promise.all([planBooking(tx, actor, input, now), options.alongside ?? true]);
    if (!proceed) return fail("forbidden", "This offer has ended.");
    if (!plan.ok) return plan;
    const outgoing = await composeAppointmentMessages(ctx, plan.status === "confirmed" ? "confirmation" : "request_received", plan.facts);
    await commit([
      tx.insert(appointments).values(plan.appointment),
      tx.insert(appointmentEvents).values(plan.event),
      auditInsert(ctx, tx, { actor, action, entityType: "appointment", entityId: plan.appointment.id, outcome: "allowed" }),
      ...outgoing.map((m) => messageInsert(tx, m, new Date(now))),
      ...(options.alsoCommit?.(plan.appointment.id) ?? []),
    ], { locations: [input.locationId] });
    return { ok: true, appointmentId: plan.appointment.id, status: plan.status, providerId: plan.providerId, roomId: plan.roomId };
  }).catch(whenTaken((taken) => fail("slot_taken", taken.what === "room" ? "The room this visit needs was just booked for that time. Choose another time." : "That time was just taken. Choose another time.")));
  if (!result.ok) await audit(ctx, { actor, action, entityType: "appointment", outcome: "denied", reason: result.code });
  return result;
}

/** Messages go out after the commit; a failure to queue one never undoes the booking. */
async function notify(ctx: AppContext, appointmentId: string, kind: AppointmentMessageKind) {
  try {
    await queueAppointmentMessages(ctx, appointmentId, kind);
  } catch (error) {
    ctx.logger.error("message_queue_failed", { appointmentId, kind, error: (error as Error).message });
  }
}

export type SeriesResult = { ok: true; appointmentIds: string[]; seriesId: string } | { ok: false; conflicts: { startsAt: number; message: string }[] };

/**
 * A recurring series: every occurrence is checked first; if any cannot be booked, nothing is
 * saved and every conflict is reported. Otherwise all are written in one batch.
 */
export async function bookSeries(ctx: AppContext, actor: BookingActor, input: Omit<BookingInput, "startsAt" | "seriesId">, starts: number[]): Promise<SeriesResult> {
  const now = ctx.clock.now().getTime();
  const seriesId = crypto.randomUUID();
  const result = await exclusiveWrite(ctx, async (tx, commit): Promise<SeriesResult> => {
    const plans = [];
    for (const startsAt of starts) plans.push({ startsAt, plan: await planBooking(tx, actor, { ...input, startsAt, seriesId }, now) });
    // Each date once, with its reason (a list of dates has no room for each one's nearby times).
    const conflicts = plans.filter((p) => !p.plan.ok).map((p) => ({ startsAt: p.startsAt, message: (p.plan as Exclude<PlanResult, { ok: true }>).message.replace(/ (Here are the nearest open times|Nothing else is open that day)\.$/, "") }));
    if (conflicts.length) return { ok: false, conflicts };
    const ok = plans.map((p) => p.plan as Extract<PlanResult, { ok: true }>);
    const writes = ok.flatMap((p) => [tx.insert(appointments).values(p.appointment), tx.insert(appointmentEvents).values(p.event)]);
    await commit(writes as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]], { locations: [input.locationId] });
    return { ok: true, appointmentIds: ok.map((p) => p.appointment.id), seriesId };
  }).catch(whenTaken((): SeriesResult => ({ ok: false, conflicts: starts.slice(0, 1).map((startsAt) => ({ startsAt, message: "A time in this series was just taken. Try again to see which." })) })));
  await audit(ctx, { actor, action: "appointment.create_series", entityType: "appointment_series", entityId: seriesId, outcome: result.ok ? "allowed" : "denied", reason: result.ok ? `${starts.length}` : "conflicts" });
  // One confirmation for the series (its first visit); each visit still gets its own reminders.
  if (result.ok) await notify(ctx, result.appointmentIds[0], "confirmation");
  return result;
}
