import { and, asc, eq, gte } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import { locations, scheduleExceptions, shifts } from "../../db/schema";
import { audit } from "../audit/audit.server";
import type { AuthedSession } from "../auth/guards.server";
import type { ShiftSchema, TimeOffSchema } from "./schemas";

const scope = (session: AuthedSession) => eq(shifts.organizationId, session.user.organizationId);

export async function listShifts(ctx: AppContext, session: AuthedSession, userId: string) {
  return ctx.db
    .select({ id: shifts.id, weekday: shifts.weekday, startMinute: shifts.startMinute, endMinute: shifts.endMinute, effectiveFrom: shifts.effectiveFrom, effectiveTo: shifts.effectiveTo, locationName: locations.name })
    .from(shifts)
    .innerJoin(locations, eq(locations.id, shifts.locationId))
    .where(and(scope(session), eq(shifts.userId, userId)))
    .orderBy(asc(shifts.weekday), asc(shifts.startMinute));
}

/** Pure rule: two weekly shifts clash when they share a weekday, overlap in time and in effective dates. */
export function shiftsClash(a: { weekday: number; startMinute: number; endMinute: number; effectiveFrom: string; effectiveTo: string | null }, b: typeof a) {
  const datesOverlap = (a.effectiveTo === null || b.effectiveFrom <= a.effectiveTo) && (b.effectiveTo === null || a.effectiveFrom <= b.effectiveTo);
  return a.weekday === b.weekday && a.startMinute < b.endMinute && b.startMinute < a.endMinute && datesOverlap;
}

export async function addShift(ctx: AppContext, session: AuthedSession, userId: string, input: z.infer<typeof ShiftSchema>): Promise<{ ok: true } | { ok: false; message: string }> {
  const [location] = await ctx.db.select({ id: locations.id }).from(locations).where(and(eq(locations.id, input.locationId), eq(locations.organizationId, session.user.organizationId)));
  if (!location) return { ok: false, message: "Choose a location from the list." };
  const candidate = { weekday: input.weekday, startMinute: input.startMinute, endMinute: input.endMinute, effectiveFrom: input.effectiveFrom, effectiveTo: input.effectiveTo ?? null };
  const existing = await listShifts(ctx, session, userId);
  const clash = existing.find((s) => shiftsClash(candidate, s));
  if (clash) return { ok: false, message: `That overlaps an existing shift at ${clash.locationName}. A provider can't be in two places at once.` };
  const id = crypto.randomUUID();
  await ctx.db.insert(shifts).values({ id, organizationId: session.user.organizationId, locationId: location.id, userId, ...candidate });
  await audit(ctx, { actor: session.user, action: "shift.create", entityType: "shift", entityId: id, outcome: "allowed" });
  return { ok: true };
}

export async function removeShift(ctx: AppContext, session: AuthedSession, userId: string, shiftId: string) {
  const removed = await ctx.db.delete(shifts).where(and(scope(session), eq(shifts.userId, userId), eq(shifts.id, shiftId))).returning({ id: shifts.id });
  if (removed.length) await audit(ctx, { actor: session.user, action: "shift.delete", entityType: "shift", entityId: shiftId, outcome: "allowed" });
  return removed.length > 0;
}

export async function listTimeOff(ctx: AppContext, session: AuthedSession, userId: string, fromDate: string) {
  return ctx.db
    .select({ id: scheduleExceptions.id, date: scheduleExceptions.date, startMinute: scheduleExceptions.startMinute, endMinute: scheduleExceptions.endMinute, reason: scheduleExceptions.reason })
    .from(scheduleExceptions)
    .where(and(eq(scheduleExceptions.organizationId, session.user.organizationId), eq(scheduleExceptions.userId, userId), eq(scheduleExceptions.kind, "time_off"), gte(scheduleExceptions.date, fromDate)))
    .orderBy(asc(scheduleExceptions.date));
}

export async function addTimeOff(ctx: AppContext, session: AuthedSession, userId: string, input: z.infer<typeof TimeOffSchema>) {
  const toMinutes = (v: string) => Number(v.slice(0, 2)) * 60 + Number(v.slice(3));
  const id = crypto.randomUUID();
  await ctx.db.insert(scheduleExceptions).values({ id, organizationId: session.user.organizationId, locationId: null, userId, date: input.date, kind: "time_off", startMinute: input.start ? toMinutes(input.start) : null, endMinute: input.end ? toMinutes(input.end) : null, reason: input.reason ?? null });
  await audit(ctx, { actor: session.user, action: "time_off.create", entityType: "schedule_exception", entityId: id, outcome: "allowed" });
}

export async function removeTimeOff(ctx: AppContext, session: AuthedSession, userId: string, id: string) {
  const removed = await ctx.db
    .delete(scheduleExceptions)
    .where(and(eq(scheduleExceptions.organizationId, session.user.organizationId), eq(scheduleExceptions.userId, userId), eq(scheduleExceptions.id, id)))
    .returning({ id: scheduleExceptions.id });
  return removed.length > 0;
}
