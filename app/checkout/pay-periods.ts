import { addDays } from "../scheduling/local-time";

/**
 * Pay periods for the tips report (issue 12): weekly or every two weeks from an anchor day (the
 * first day of any one period), twice a month (1st–15th, 16th–end) or monthly. Dates are the
 * location's local days, YYYY-MM-DD; a period is [start, end] inclusive.
 */
export const PAY_PERIODS = ["weekly", "biweekly", "semimonthly", "monthly"] as const;
export type PayPeriod = (typeof PAY_PERIODS)[number];

const dayNumber = (date: string) => Math.floor(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000);
const lastOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

export function payPeriodOf(kind: PayPeriod, anchor: string, date: string): { start: string; end: string } {
  if (kind === "weekly" || kind === "biweekly") {
    const length = kind === "weekly" ? 7 : 14;
    const offset = (((dayNumber(date) - dayNumber(anchor)) % length) + length) % length;
    const start = addDays(date, -offset);
    return { start, end: addDays(start, length - 1) };
  }
  const [y, m, d] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  if (kind === "monthly") return { start: iso(y, m, 1), end: iso(y, m, lastOfMonth(y, m)) };
  return d <= 15 ? { start: iso(y, m, 1), end: iso(y, m, 15) } : { start: iso(y, m, 16), end: iso(y, m, lastOfMonth(y, m)) };
}

/** The period before or after the one holding `date`. */
export function shiftPeriod(kind: PayPeriod, anchor: string, date: string, by: -1 | 1) {
  const current = payPeriodOf(kind, anchor, date);
  return payPeriodOf(kind, anchor, by < 0 ? addDays(current.start, -1) : addDays(current.end, 1));
}
