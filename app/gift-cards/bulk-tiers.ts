/**
 * Volume discounts for bulk gift card orders (ADR 037), kept by the clinic as "count:basis points"
 * pairs: "10:500,25:1000" is 5 % off 10 cards or more and 10 % off 25 or more.
 */
export interface BulkTier {
  minCards: number;
  basisPoints: number;
}

export function parseTiers(stored: string): BulkTier[] {
  return stored
    .split(",")
    .map((pair) => pair.split(":").map(Number))
    .filter(([n, bp]) => Number.isSafeInteger(n) && n >= 2 && Number.isSafeInteger(bp) && bp > 0 && bp <= 5000)
    .map(([minCards, basisPoints]) => ({ minCards, basisPoints }))
    .sort((a, b) => a.minCards - b.minCards);
}

export const formatTiers = (tiers: BulkTier[]) => tiers.map((t) => `${t.minCards}:${t.basisPoints}`).join(",");

/** The discount the largest tier reached gives (basis points), 0 below the first. */
export function tierFor(tiers: BulkTier[], cards: number): number {
  return tiers.reduce((bp, t) => (cards >= t.minCards ? t.basisPoints : bp), 0);
}

/** "10+ cards: 5 % off" for people. */
export const tierText = (t: BulkTier) => `${t.minCards}+ cards: ${t.basisPoints / 100} % off`;
