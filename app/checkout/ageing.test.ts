import { describe, expect, it } from "vitest";
import { ageBucket, ageing } from "./ageing";

describe("what a patient owes, aged", () => {
  const now = new Date("2026-12-03T15:00:00Z");
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

  it("puts each balance in the bucket of its age, at the edges too", () => {
    expect([0, 29, 30, 59, 60, 89, 90, 400].map((d) => ageBucket(daysAgo(d), now))).toEqual(["current", "current", "30", "30", "60", "60", "90+", "90+"]);
  });

  it("adds only what is still owed, and the buckets add up to the total", () => {
    const aged = ageing([{ owedCents: 10_000, since: daysAgo(3) }, { owedCents: 0, since: daysAgo(40) }, { owedCents: 2_500, since: daysAgo(45) }, { owedCents: 700, since: daysAgo(120) }], now);
    expect(aged).toEqual({ buckets: { current: 10_000, "30": 2_500, "60": 0, "90+": 700 }, totalCents: 13_200 });
  });
});
