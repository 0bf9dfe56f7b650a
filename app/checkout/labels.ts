/** How checkout names payment methods and cards, in pages, receipts and the invoice's history. */
export const METHOD_LABELS = { cash: "Cash", card: "Card", card_on_file: "Card on file", gift_card: "Gift card" } as const;
export const BRAND_LABELS = { visa: "Visa", mastercard: "Mastercard", amex: "American Express", discover: "Discover", other: "Card" } as const;

/** "Visa •••• 4242" for a card with its details, else the method's name. `mask` for plain-text receipts. */
export function paymentLabel(p: { method: keyof typeof METHOD_LABELS; cardBrand: string | null; cardLast4: string | null }, mask = "••••") {
  if (p.method === "cash" || !p.cardBrand) return METHOD_LABELS[p.method];
  return `${BRAND_LABELS[p.cardBrand as keyof typeof BRAND_LABELS] ?? "Card"} ${mask} ${p.cardLast4}`;
}
