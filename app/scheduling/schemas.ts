import { z } from "zod";
import { calendarDate } from "../lib/calendar-date";
import { APPOINTMENT_STATUSES } from "../../db/schema/scheduling";

export const StaffBookingSchema = z.object({
  patientId: z.string({ required_error: "Choose a patient first." }).max(64),
  serviceId: z.string({ required_error: "Choose a service." }).max(64),
  providerId: z.string({ required_error: "Choose a provider, or any." }).max(64),
  date: calendarDate("Use a real date like 2026-11-23.", "Choose a day."),
  time: z.string({ required_error: "Choose a time." }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a time like 14:30."),
  occurrences: z.coerce.number().int().min(1, "At least one visit.").max(26, "At most 26 visits in a series.").default(1),
  repeatWeeks: z.coerce.number().int().min(1, "Every 1 to 12 weeks.").max(12, "Every 1 to 12 weeks.").default(1),
  override: z.boolean().default(false),
  reason: z.string().trim().max(200, "Keep the reason under 200 characters.").optional(),
}).refine((v) => !v.override || (v.reason && v.reason.length >= 3), { path: ["reason"], message: "Say why you are booking outside availability." });

/** A one-tap status change from a list of the day (day view, Today). */
export const StatusChangeSchema = z.object({
  appointmentId: z.string().max(64),
  to: z.enum(APPOINTMENT_STATUSES),
  /** The desk confirmed an unusually early check-in. */
  confirmEarly: z.literal("1").optional(),
});
