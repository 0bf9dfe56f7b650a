import { and, asc, eq, gte, inArray, isNull, lte, or } from "drizzle-orm";
import { workingIntervals } from "../scheduling/availability";
import { addDays, instantAt, localDay, localToInstant } from "../scheduling/local-time";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import { locations, scheduleExceptions, shifts } from "../../db/schema";
import { auditInsert, auditInsertByChange, commitAudited } from "../audit/audit.server";
import { exclusiveWrite, type Commit, type ExclusiveDb } from "../lib/exclusive-write.server";
import type { AuthedSession } from "../auth/guards.server";
import type { ExtraHoursSchema, ShiftSchema, TimeOffSchema } from "./schemas";

const scope = (session: AuthedSession) => eq(shifts.organizationId, session.user.organizationId);

export async function listShifts(ctx: AppContext, session: AuthedSession, userId: string) {
  return shiftsOf(ctx.db, session, userId);
}

function shiftsOf(db: ExclusiveDb, session: AuthedSession, userId: string) {
  return db
    .select({ id: shifts.id, weekday: shifts.weekday, startMinute: shifts.startMinute, endMinute: shifts.endMinute, effectiveFrom: shifts.effectiveFrom, effectiveTo: shifts.effectiveTo, locationName: locations.name, timeZone: locations.timeZone })
    .from(shifts)
    .innerJoin(locations, eq(locations.id, shifts.locationId))
    .where(and(scope(session), eq(shifts.userId, userId)))
    .orderBy(asc(shifts.weekday), asc(shifts.startMinute));
}

type WeeklyShift = { weekday: number; startMinute: number; endMinute: number; effectiveFrom: string; effectiveTo: string | null; timeZone?: string };

/**
 * Pure rule: two weekly shifts clash when, on some date both are in effect, they overlap in real
 * time. At one location (or two in the same zone) that is the same weekday and overlapping local
 * minutes. Across zones the local minutes say nothing (9–12 in New York is 6–9 in Los Angeles),
 * so the actual instants are compared over a year of occurrences, which meets every daylight-saving
 * combination the two zones have.
 */
export function shiftsClash(a: WeeklyShift, b: WeeklyShift) {
  const from = a.effectiveFrom > b.effectiveFrom ? a.effectiveFrom : b.effectiveFrom;
  const to = a.effectiveTo === null ? b.effectiveTo : b.effectiveTo === null || a.effectiveTo < b.effectiveTo ? a.effectiveTo : b.effectiveTo;
  if (to !== null && from > to) return false;
  if (!a.timeZone || !b.timeZone || a.timeZone === b.timeZone) return a.weekday === b.weekday && a.startMinute < b.endMinute && b.startMinute < a.endMinute;
  const inEffect = (shift: WeeklyShift, date: string) => date >= shift.effectiveFrom && (shift.effectiveTo === null || date <= shift.effectiveTo);
  const last = to === null || to > addDays(from, 371) ? addDays(from, 371) : to;
  // A shift's local day can meet the other zone's previous, same or next local day.
  for (let date = addDays(from, -1); date <= addDays(last, 1); date = addDays(date, 1)) {
    if (!inEffect(a, date) || localDay(a.timeZone, date).weekday !== a.weekday) continue;
    const aStart = localToInstant(a.timeZone, date, a.startMinute);
    const aEnd = localToInstant(a.timeZone, date, a.endMinute);
    for (const other of [addDays(date, -1), date, addDays(date, 1)]) {
      if (!inEffect(b, other) || localDay(b.timeZone, other).weekday !== b.weekday) continue;
      if (aStart < localToInstant(b.timeZone, other, b.endMinute) && localToInstant(b.timeZone, other, b.startMinute) < aEnd) return true;
    }
  }
  return false;
}

export type ScheduleChange = { ok: true } | { ok: false; status: 400 | 404 | 409; message: string };

/** Whether the provider is this organization's staff member: a read the caller started, awaited with the write's own checks. */
type MemberCheck = Promise<unknown | null>;
const NOT_STAFF: ScheduleChange = { ok: false, status: 404, message: "No staff member with that id in your organization." };

/**
 * Adds a weekly shift unless it clashes with one the provider already has. The check and the
 * insert are one exclusive write (ADR 009): two managers adding clashing shifts at once can't
 * both pass the check.
 */
export async function addShift(ctx: AppContext, session: AuthedSession, userId: string, input: z.infer<typeof ShiftSchema>, member: MemberCheck): Promise<ScheduleChange> {
  return exclusiveWrite(ctx, async (db, commit): Promise<ScheduleChange> => {
    // The checks' reads at once (each is a round trip on Turso).
    const [staff, [location], existing] = await Promise.all([member, db.select({ id: locations.id, timeZone: locations.timeZone }).from(locations).where(and(eq(locations.id, input.locationId), eq(locations.organizationId, session.user.organizationId))), shiftsOf(db, session, userId)]);
    if (!staff) return NOT_STAFF;
    if (!location) return { ok: false, status: 400, message: "Choose a location from the list." };
    const candidate = { weekday: input.weekday, startMinute: input.startMinute, endMinute: input.endMinute, effectiveFrom: input.effectiveFrom, effectiveTo: input.effectiveTo ?? null };
    const clash = existing.find((s) => shiftsClash({ ...candidate, timeZone: location.timeZone }, s));
    if (clash) return { ok: false, status: 409, message: `That overlaps an existing shift at ${clash.locationName}. A provider can't be in two places at once.` };
    const id = crypto.randomUUID();
    await commit([
      db.insert(shifts).values({ id, organizationId: session.user.organizationId, locationId: location.id, userId, ...candidate }),
      auditInsert(ctx, db, { actor: session.user, action: "shift.create", entityType: "shift", entityId: id, outcome: "allowed" }),
    ], { locations: [location.id] });
    return { ok: true };
  });
}

export async function removeShift(ctx: AppContext, session: AuthedSession, userId: string, shiftId: string) {
  const [removed] = (await ctx.db.batch([
    ctx.db.delete(shifts).where(and(scope(session), eq(shifts.userId, userId), eq(shifts.id, shiftId))).returning({ id: shifts.id }),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "shift.delete", entityType: "shift", entityId: shiftId.slice(0, 64) }, "not_found"),
  ])) as unknown as [{ id: string }[], unknown];
  return removed.length > 0;
}

/** Upcoming time off and extra hours of one provider. */
export async function listTimeOff(ctx: AppContext, session: AuthedSession, userId: string, fromDate: string) {
  return ctx.db
    .select({ id: scheduleExceptions.id, kind: scheduleExceptions.kind, date: scheduleExceptions.date, startMinute: scheduleExceptions.startMinute, endMinute: scheduleExceptions.endMinute, reason: scheduleExceptions.reason, locationName: locations.name })
    .from(scheduleExceptions)
    .leftJoin(locations, eq(locations.id, scheduleExceptions.locationId))
    .where(and(eq(scheduleExceptions.organizationId, session.user.organizationId), eq(scheduleExceptions.userId, userId), inArray(scheduleExceptions.kind, ["time_off", "extra_hours"]), gte(scheduleExceptions.date, fromDate)))
    .orderBy(asc(scheduleExceptions.date), asc(scheduleExceptions.startMinute));
}

const toMinutes = (v: string) => Number(v.slice(0, 2)) * 60 + Number(v.slice(3));

export async function addTimeOff(ctx: AppContext, session: AuthedSession, userId: string, input: z.infer<typeof TimeOffSchema>) {
  const id = crypto.randomUUID();
  await commitAudited(
    ctx,
    [ctx.db.insert(scheduleExceptions).values({ id, organizationId: session.user.organizationId, locationId: null, userId, date: input.date, kind: "time_off", startMinute: input.start ? toMinutes(input.start) : null, endMinute: input.end ? toMinutes(input.end) : null, reason: input.reason ?? null })],
    { actor: session.user, action: "time_off.create", entityType: "schedule_exception", entityId: id, outcome: "allowed" },
  );
}

/**
 * Extra hours at one location. The availability engine decides whether they can be worked: if
 * time off, a closure, or hours at another location (in its own zone) eat into them, they're refused.
 */
/** Extra hours, checked against everything else the provider has and added in one exclusive write. */
export async function addExtraHours(ctx: AppContext, session: AuthedSession, userId: string, input: z.infer<typeof ExtraHoursSchema>, member: MemberCheck): Promise<ScheduleChange> {
  return exclusiveWrite(ctx, (db, commit) => addExtraHoursExclusively(ctx, db, commit, session, userId, input, member));
}

async function addExtraHoursExclusively(ctx: AppContext, db: ExclusiveDb, commit: Commit, session: AuthedSession, userId: string, input: z.infer<typeof ExtraHoursSchema>, member: MemberCheck): Promise<ScheduleChange> {
  const organizationId = session.user.organizationId;
  // The checks' reads at once (each is a round trip on Turso).
  const [staff, zoneRows, shiftRows, exceptionRows] = await Promise.all([
    member,
    db.select({ id: locations.id, timeZone: locations.timeZone }).from(locations).where(eq(locations.organizationId, organizationId)),
    db.select({ providerId: shifts.userId, locationId: shifts.locationId, weekday: shifts.weekday, startMinute: shifts.startMinute, endMinute: shifts.endMinute, effectiveFrom: shifts.effectiveFrom, effectiveTo: shifts.effectiveTo }).from(shifts).where(and(scope(session), eq(shifts.userId, userId))),
    db
      .select({ providerId: scheduleExceptions.userId, locationId: scheduleExceptions.locationId, date: scheduleExceptions.date, kind: scheduleExceptions.kind, startMinute: scheduleExceptions.startMinute, endMinute: scheduleExceptions.endMinute })
      .from(scheduleExceptions)
      .where(and(eq(scheduleExceptions.organizationId, organizationId), or(eq(scheduleExceptions.userId, userId), isNull(scheduleExceptions.userId)), gte(scheduleExceptions.date, addDays(input.date, -1)), lte(scheduleExceptions.date, addDays(input.date, 1)))),
  ]);
  if (!staff) return NOT_STAFF;
  const location = zoneRows.find((l) => l.id === input.locationId);
  if (!location) return { ok: false, status: 400, message: "Choose a location from the list." };
  const extra = { providerId: userId, locationId: location.id, date: input.date, kind: "extra_hours" as const, startMinute: toMinutes(input.start), endMinute: toMinutes(input.end) };
  const day = localDay(location.timeZone, input.date);
  const wanted = [instantAt(location.timeZone, day, extra.startMinute), instantAt(location.timeZone, day, extra.endMinute)];
  const request = { location: { id: location.id, timeZone: location.timeZone, slotIntervalMinutes: 15, minNoticeMinutes: 0, maxAdvanceDays: 0 }, shifts: shiftRows, exceptions: [...exceptionRows, extra], locationZones: Object.fromEntries(zoneRows.map((z) => [z.id, z.timeZone])) };
  // The new hours are only workable if, with them added, the provider is free here for all of them.
  const workable = workingIntervals(request, userId, day).some(([s, e]) => s <= wanted[0] && wanted[1] <= e);
  if (!workable) return { ok: false, status: 409, message: "Those hours clash with their time off, a closure, or their hours at another location. A provider can't be in two places at once." };
  const id = crypto.randomUUID();
  await commit([
    db.insert(scheduleExceptions).values({ id, organizationId, locationId: location.id, userId, date: input.date, kind: "extra_hours", startMinute: extra.startMinute, endMinute: extra.endMinute, reason: input.reason ?? null }),
    auditInsert(ctx, db, { actor: session.user, action: "extra_hours.create", entityType: "schedule_exception", entityId: id, outcome: "allowed" }),
  ], { locations: [location.id] });
  return { ok: true };
}

export async function removeTimeOff(ctx: AppContext, session: AuthedSession, userId: string, id: string) {
  const [removed] = (await ctx.db.batch([
    ctx.db
      .delete(scheduleExceptions)
      .where(and(eq(scheduleExceptions.organizationId, session.user.organizationId), eq(scheduleExceptions.userId, userId), eq(scheduleExceptions.id, id)))
      .returning({ id: scheduleExceptions.id }),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "time_off.delete", entityType: "schedule_exception", entityId: id.slice(0, 64) }, "not_found"),
  ])) as unknown as [{ id: string }[], unknown];
  return removed.length > 0;
}
