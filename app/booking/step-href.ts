import type { Step } from "./step-url";

/**
 * A booking step's address. Apart from the schema that reads it back (step-url.ts) so the phone's
 * JavaScript never carries the validation library for a link (issue 10: booking pages under 90 KB).
 */
export function stepHref(base: string, step: Step) {
  const params = new URLSearchParams();
  for (const key of ["location", "service", "provider", "date", "start"] as const) {
    const v = step[key];
    if (v !== undefined && v !== null && v !== "") params.set(key, String(v));
  }
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
}
