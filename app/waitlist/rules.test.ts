import { describe, expect, it } from "vitest";
import { eligibleEntries, offerExpiry, startInside, OFFER_WINDOW_MS } from "./rules";

const freed = { providerId: "p1", start: 1_000_000, end: 1_000_000 + 45 * 60_000, date: "2026-12-02" };
const entry = (id: string, createdAt: number, over: Partial<{ providerId: string | null; fromDate: string; toDate: string }> = {}) => ({ id, createdAt, providerId: null, fromDate: "2026-12-01", toDate: "2026-12-05", ...over });

describe("waitlist rules", () => {
  it("serves the earliest joined among those whose dates and provider match", () => {
    const entries = [entry("late", 30), entry("other-provider", 5, { providerId: "p2" }), entry("first", 10, { providerId: "p1" }), entry("before-range", 1, { toDate: "2026-12-01" }), entry("after-range", 2, { fromDate: "2026-12-03" })];
    expect(eligibleEntries(entries, freed, new Set()).map((e) => e.id)).toEqual(["first", "late"]);
  });

  it("skips anyone already offered this time", () => {
    expect(eligibleEntries([entry("a", 1), entry("b", 2)], freed, new Set(["a"])).map((e) => e.id)).toEqual(["b"]);
  });

  it("offers the first start inside the freed block with that provider free", () => {
    const slots = [
      { start: freed.start - 15 * 60_000, providerIds: ["p1"] },
      { start: freed.start, providerIds: ["p2"] },
      { start: freed.start + 15 * 60_000, providerIds: ["p2", "p1"] },
      { start: freed.end, providerIds: ["p1"] },
    ];
    expect(startInside(freed, slots)).toBe(freed.start + 15 * 60_000);
    expect(startInside(freed, slots.slice(3))).toBeNull();
  });

  it("keeps an offer open two hours, never past the minimum notice, and not at all when too late", () => {
    const now = 0;
    expect(offerExpiry(now, 10 * 3600_000, 120)).toBe(OFFER_WINDOW_MS);
    expect(offerExpiry(now, 3 * 3600_000, 120)).toBe(3600_000);
    expect(offerExpiry(now, 2 * 3600_000, 120)).toBeNull();
  });
});
