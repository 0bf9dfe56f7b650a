import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../scheduling/local-time";
import { PAY_PERIODS, payPeriodOf, shiftPeriod } from "./pay-periods";

describe("pay periods", () => {
  it("weekly and biweekly count from the anchor, before and after it", () => {
    expect(payPeriodOf("weekly", "2026-11-30", "2026-12-03")).toEqual({ start: "2026-11-30", end: "2026-12-06" });
    expect(payPeriodOf("biweekly", "2026-11-30", "2026-12-15")).toEqual({ start: "2026-12-14", end: "2026-12-27" });
    expect(payPeriodOf("biweekly", "2026-11-30", "2026-11-29")).toEqual({ start: "2026-11-16", end: "2026-11-29" });
  });
  it("twice a month splits on the 15th; monthly ends on the month's last day", () => {
    expect(payPeriodOf("semimonthly", "2026-01-01", "2027-02-20")).toEqual({ start: "2027-02-16", end: "2027-02-28" });
    expect(payPeriodOf("semimonthly", "2026-01-01", "2028-02-15")).toEqual({ start: "2028-02-01", end: "2028-02-15" });
    expect(payPeriodOf("monthly", "2026-01-01", "2028-02-10")).toEqual({ start: "2028-02-01", end: "2028-02-29" });
  });
  it("every day is in exactly one period, and periods follow each other without gaps", () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => addDays("2024-01-01", n));
    fc.assert(
      fc.property(fc.constantFrom(...PAY_PERIODS), day, day, (kind, anchor, date) => {
        const p = payPeriodOf(kind, anchor, date);
        expect(p.start <= date && date <= p.end).toBe(true);
        expect(shiftPeriod(kind, anchor, date, 1).start).toBe(addDays(p.end, 1));
        expect(shiftPeriod(kind, anchor, date, -1).end).toBe(addDays(p.start, -1));
      }),
    );
  });
});
