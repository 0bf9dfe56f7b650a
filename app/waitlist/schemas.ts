import { z } from "zod";
import { calendarDate } from "../lib/calendar-date";


export const JoinWaitlistSchema = z
  .object({
    locationId: z.string({ required_error: "Choose a location." }).max(64),
    serviceId: z.string({ required_error: "Choose a service." }).max(64),
    providerId: z.string().max(64).default("any"),
    fromDate: calendarDate("Use a real date like 2026-12-01.", "Choose the first day that suits you."),
    toDate: calendarDate("Use a real date like 2026-12-14.", "Choose the last day that suits you."),
    patientId: z.string().max(64).optional(),
  })
  .refine((v) => v.toDate >= v.fromDate, { path: ["toDate"], message: "The last day must be on or after the first." });

export type JoinWaitlistInput = z.infer<typeof JoinWaitlistSchema>;
