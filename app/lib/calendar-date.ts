import { z } from "zod";

/**
 * The one place a "YYYY-MM-DD" from a person or a URL becomes a calendar date. The shape alone
 * let 2026-02-30 through to code that turned it into 2 March, or into an invalid instant and a 500
 * (issue 10); a date must exist in the Gregorian calendar as written.
 */
const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const m = SHAPE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A required calendar date, with the plain-words message a form shows beside the field. */
export function calendarDate(message = "Use a real date like 2026-11-23.", requiredMessage?: string) {
  return z.string(requiredMessage ? { required_error: requiredMessage } : undefined).trim().refine(isCalendarDate, message);
}

/** A query parameter's date: the value when it is a real date, null when absent, "invalid" otherwise. */
export function queryDate(value: string | null | undefined): string | null | "invalid" {
  if (value === null || value === undefined || value === "") return null;
  return isCalendarDate(value) ? value : "invalid";
}
