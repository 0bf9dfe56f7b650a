import { z } from "zod";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const JoinWaitlistSchema = z
  .object({
    locationId: z.string({ required_error: "Choose a location." }).max(64),
    serviceId: z.string({ required_error: "Choose a service." }).max(64),
    providerId: z.string().max(64).default("any"),
    fromDate: z.string({ required_error: "Choose the first day that suits you." }).regex(DATE, "Use a date like 2026-12-01."),
    toDate: z.string({ required_error: "Choose the last day that suits you." }).regex(DATE, "Use a date like 2026-12-14."),
    patientId: z.string().max(64).optional(),
  })
  .refine((v) => v.toDate >= v.fromDate, { path: ["toDate"], message: "The last day must be on or after the first." });

export type JoinWaitlistInput = z.infer<typeof JoinWaitlistSchema>;
