import { z } from "zod";
import { calendarDate } from "../lib/calendar-date";

/** The booking steps are plain query parameters, so every step is a link or a GET form. */
export const StepSchema = z.object({
  location: z.string().max(64).optional(),
  service: z.string().max(64).optional(),
  provider: z.string().max(64).optional(),
  date: calendarDate().optional(),
  start: z.coerce.number().int().positive().optional(),
});
export type Step = z.infer<typeof StepSchema>;

export { stepHref } from "./step-href";
