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

export function stepHref(base: string, step: Step) {
  const params = new URLSearchParams();
  for (const key of ["location", "service", "provider", "date", "start"] as const) {
    const v = step[key];
    if (v !== undefined && v !== null && v !== "") params.set(key, String(v));
  }
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
}
