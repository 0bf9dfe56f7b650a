import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatTiers, parseTiers, tierFor } from "./bulk-tiers";

describe("bulk gift card tiers", () => {
  const tiers = parseTiers("25:1000,10:500,50:1500");

  it("gives the largest tier reached, none below the first", () => {
    expect(tierFor(tiers, 9)).toBe(0);
    expect(tierFor(tiers, 10)).toBe(500);
    expect(tierFor(tiers, 24)).toBe(500);
    expect(tierFor(tiers, 25)).toBe(1000);
    expect(tierFor(tiers, 500)).toBe(1500);
  });

  it("drops pairs that aren't a count and a discount up to 50 %", () => {
    expect(parseTiers("abc,1:500,10:0,10:6000,,5:250")).toEqual([{ minCards: 5, basisPoints: 250 }]);
  });

  it("never lowers the discount as the order grows, and reads back what it writes", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ minCards: fc.integer({ min: 2, max: 1000 }), basisPoints: fc.integer({ min: 1, max: 5000 }) }), { maxLength: 6 }), fc.integer({ min: 1, max: 999 }), (raw, n) => {
        const sorted = [...raw].sort((a, b) => a.minCards - b.minCards);
        // The clinic's settings keep tiers rising; here the property holds for any rising list.
        const rising = sorted.map((t, i) => ({ ...t, basisPoints: Math.max(...sorted.slice(0, i + 1).map((x) => x.basisPoints)) }));
        const parsed = parseTiers(formatTiers(rising));
        expect(parsed).toEqual(rising);
        expect(tierFor(parsed, n + 1)).toBeGreaterThanOrEqual(tierFor(parsed, n));
      }),
    );
  });
});
