import { describe, expect, it } from "vitest";
import { calendarDate, isCalendarDate, queryDate } from "./calendar-date";

describe("calendar dates (issue 10)", () => {
  it("accepts only days that exist", () => {
    for (const ok of ["2026-02-28", "2028-02-29", "2000-02-29", "2026-12-31", "2026-01-01"]) expect(isCalendarDate(ok), ok).toBe(true);
    for (const bad of ["2026-02-30", "2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-01-00", "2026-1-01", "20260101", "2026-01-01T00:00", " 2026-01-01x", "9999-01-01", ""]) expect(isCalendarDate(bad), bad).toBe(false);
  });
  it("says what is wrong in plain words", () => {
    const result = calendarDate("Use a real date.").safeParse("2026-02-30");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe("Use a real date.");
    expect(calendarDate().parse(" 2026-02-28 ")).toBe("2026-02-28");
  });
  it("tells absent from invalid for query parameters", () => {
    expect(queryDate(null)).toBeNull();
    expect(queryDate("")).toBeNull();
    expect(queryDate("2026-02-30")).toBe("invalid");
    expect(queryDate("2026-02-27")).toBe("2026-02-27");
  });
});
