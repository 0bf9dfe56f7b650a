/** How checkout names payment methods and cards, in pages, receipts and the invoice's history. */
export const METHOD_LABELS = { cash: "Cash", card: "Card", card_on_file: "Card on file", gift_card: "Gift card" } as const;
export const BRAND_LABELS = { visa: "Visa", mastercard: "Mastercard", amex: "American Express", discover: "Discover", other: "Card" } as const;
/** Stripe's brand names beyond the ones the desk picks from. */
const MORE_BRANDS: Record<string, string> = { diners: "Diners Club", jcb: "JCB", unionpay: "UnionPay", eftpos_au: "eftpos", interac: "Interac" };

export const brandLabel = (brand: string) => BRAND_LABELS[brand as keyof typeof BRAND_LABELS] ?? MORE_BRANDS[brand] ?? "Card";

/** "Visa •••• 4242" for a card with its details, else the method's name. `mask` for plain-text receipts. */
export function paymentLabel(p: { method: keyof typeof METHOD_LABELS; cardBrand: string | null; cardLast4: string | null }, mask = "••••") {
  if (p.method === "cash" || !p.cardBrand) return METHOD_LABELS[p.method];
  return `${brandLabel(p.cardBrand)} ${mask} ${p.cardLast4}`;
}
