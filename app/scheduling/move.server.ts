import { z } from "zod";
import { calendarDate, isCalendarDate } from "../lib/calendar-date";
import type { AppContext } from "../lib/context.server";
import type { BookingActor } from "./booking.server";
import { formatDate, formatTime } from "./format";
import { movableSlots, rescheduleAppointment } from "./reschedule.server";


export const MoveSchema = z
  .object({
    intent: z.literal("move"),
    providerId: z.string().max(64).default("any"),
    slot: z.coerce.number().int().positive("Choose one of the open times.").optional(),
    override: z.literal("on").optional(),
    date: calendarDate("Use a real date like 2026-11-23.").optional(),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a time like 14:30.").optional(),
    reason: z.string().trim().max(200, "Keep the reason under 200 characters.").optional(),
    /** A new length (dragging a block's bottom edge on the day grid, or the grid's move dialog). */
    minutes: z.coerce.number().int("Use whole minutes for the length.").min(5, "A visit is at least 5 minutes.").max(720, "A visit is at most 12 hours.").optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.override && !v.slot) ctx.addIssue({ code: "custom", path: ["slot"], message: "Choose one of the open times." });
    if (v.override) {
      // The grid names the instant it was dropped on; the picker names a local day and time.
      if (!v.slot && !v.date) ctx.addIssue({ code: "custom", path: ["date"], message: "Choose a day." });
      if (!v.slot && !v.time) ctx.addIssue({ code: "custom", path: ["time"], message: "Choose a time." });
      if (v.providerId === "any") ctx.addIssue({ code: "custom", path: ["providerId"], message: "Choose a provider when moving outside availability." });
      if (!v.reason || v.reason.length < 3) ctx.addIssue({ code: "custom", path: ["reason"], message: "Say why you are moving outside availability." });
    }
  });

/** The move picker's data for a page: open times on the chosen day, labelled in the location's zone. */
export async function loadMovePicker(ctx: AppContext, actor: BookingActor, appointmentId: string, url: URL) {
  const rawDate = url.searchParams.get("moveDate");
  const rawProvider = url.searchParams.get("moveProvider");
  if (rawDate && !isCalendarDate(rawDate)) throw new Response("Use a real date like 2026-11-23.", { status: 400 });
  const move = await movableSlots(ctx, actor, appointmentId, rawDate && isCalendarDate(rawDate) ? rawDate : null, rawProvider && rawProvider !== "any" ? rawProvider.slice(0, 64) : null);
  if (!move) return null;
  return {
    blocked: move.blocked,
    date: move.date,
    dateLabel: formatDate(move.date),
    today: move.today,
    maxDate: "maxDate" in move ? move.maxDate : move.today,
    provider: rawProvider && move.providers.some((p) => p.id === rawProvider) ? rawProvider : "any",
    providers: move.providers,
    slots: move.slots.map((s) => ({ start: s.start, label: formatTime(s.start, move.timeZone) })),
  };
}

export type MovePickerData = NonNullable<Awaited<ReturnType<typeof loadMovePicker>>>;

/** Handles a posted move; the result feeds the picker's messages. */
export async function handleMove(ctx: AppContext, actor: BookingActor, appointmentId: string, formData: FormData) {
  const parsed = MoveSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const errors = parsed.error.flatten().fieldErrors;
    return { ok: false as const, status: 400, message: Object.values(errors).flat()[0] ?? "That change could not be read.", alternatives: [] as string[] };
  }
  const v = parsed.data;
  // An override names a local day and time at the visit's location: turned into an instant there, with the visit read.
  const startsAt = v.override && !v.slot ? { date: v.date!, minutes: Number(v.time!.slice(0, 2)) * 60 + Number(v.time!.slice(3)) } : (v.slot ?? 0);
  const result = await rescheduleAppointment(ctx, actor, appointmentId, { startsAt, providerId: v.providerId === "any" ? null : v.providerId, overrideReason: v.override ? v.reason : null, durationMinutes: v.minutes });
  if (result.ok) return { ok: true as const };
  const status = result.code === "slot_taken" ? 409 : result.code === "forbidden" ? 403 : result.code === "not_found" ? 404 : result.code === "unavailable" || result.code === "in_past" ? 422 : 400;
  return {
    ok: false as const,
    status,
    message: result.message,
    alternatives: result.alternatives.map((a) => formatTime(a, result.timeZone ?? "UTC")),
    // Outside someone's hours or the notice rules, the desk may still go ahead with a reason; never over another visit.
    canOverride: result.code === "unavailable" && !v.override && v.providerId !== "any" && ["owner", "manager", "front_desk"].includes(actor.role),
  };
}
