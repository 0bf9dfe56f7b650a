/** Which lots a chart may draw from (issue 11): pure rules, shared by the form and the server. */

export interface LotFacts {
  id: string;
  productId: string;
  locationId: string;
  lotNumber: string;
  /** YYYY-MM-DD; the lot is usable through that whole day. */
  expiresOn: string;
  remaining: number;
  recalledAt: Date | null;
}

/**
 * Why this lot can't be charted for `productId` at `locationId` on `today` (the location's
 * calendar date), or null when it can. Stock is checked again, atomically, when signing.
 */
export function lotProblem(lot: LotFacts | undefined, { productId, locationId, today }: { productId: string; locationId: string; today: string }): string | null {
  if (!lot) return "Choose a lot from this location's stock.";
  if (lot.locationId !== locationId) return `Lot ${lot.lotNumber} is held at another location; choose one from this location's stock.`;
  if (lot.productId !== productId) return `Lot ${lot.lotNumber} is a different product; choose a lot of the product charted.`;
  if (lot.recalledAt) return `Lot ${lot.lotNumber} has been recalled and can't be used.`;
  if (lot.expiresOn < today) return `Lot ${lot.lotNumber} expired on ${lot.expiresOn} and can't be used.`;
  if (lot.remaining <= 0) return `Lot ${lot.lotNumber} has no stock left.`;
  return null;
}

/**
 * The lots a provider is offered at a location: usable ones only (in stock here, not expired, not
 * recalled), the soonest to expire first so older stock is used before it goes to waste.
 */
export function lotsToOffer<T extends LotFacts>(lots: T[], { locationId, today }: { locationId: string; today: string }): T[] {
  return lots
    .filter((lot) => lot.locationId === locationId && !lot.recalledAt && lot.expiresOn >= today && lot.remaining > 0)
    .sort((a, b) => a.expiresOn.localeCompare(b.expiresOn) || a.lotNumber.localeCompare(b.lotNumber));
}
