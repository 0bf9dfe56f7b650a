/**
 * Checkout's money rules (issue 12), as plain functions over integer cents: an invoice's lines,
 * discounts, tax and tip; splitting an amount without losing or inventing a cent; what a payment
 * takes and the change it gives; what may still be refunded per method. No I/O: the invoice
 * routes and the end-of-day report use these, and the property tests (money.test.ts) hold them
 * to the rules for any input.
 *
 * Rounding, once, documented: a line's price is rounded half up to the cent; tax is computed per
 * rate on the sum of that rate's lines after discounts (one rounding per rate, not per line), half
 * up; an invoice discount and a tip split are shared out by the largest remainder, so the parts
 * always add up to the whole.
 */

/** Basis points, for discounts and tips: 1 % = 100, 12.5 % = 1250. */
export type BasisPoints = number;
/**
 * Tax rates in thousandths of a percent: 1 % = 1000, New York City's 8.875 % = 8875 (basis points
 * can't hold it). 100 % = TAX_RATE_SCALE.
 */
export type TaxRate = number;
export const TAX_RATE_SCALE = 100_000;

export type Discount = { kind: "percent"; basisPoints: BasisPoints } | { kind: "amount"; cents: number };

export interface InvoiceLineInput {
  id: string;
  /** Price of one unit (a toxin unit, a syringe, a service, a retail item), in cents. */
  unitCents: number;
  /** How many, in hundredths (charted amounts are kept in hundredths: 20 u = 2000). */
  quantityHundredths: number;
  /** The location's rate for the line's category (services, retail), thousandths of a percent. */
  taxRate: TaxRate;
  discount?: Discount | null;
}

export interface InvoiceLine {
  id: string;
  /** Price × quantity, rounded half up. */
  grossCents: number;
  lineDiscountCents: number;
  /** This line's share of the invoice discount. */
  invoiceDiscountCents: number;
  /** What the line comes to after both discounts (tax included when prices include it). */
  netCents: number;
  taxRate: TaxRate;
}

export interface InvoiceTotals {
  lines: InvoiceLine[];
  subtotalCents: number;
  discountCents: number;
  /** Tax per rate, and in all. With tax-inclusive prices it is the part of the total that is tax. */
  taxByRate: { rate: TaxRate; taxableCents: number; taxCents: number }[];
  taxCents: number;
  tipCents: number;
  /** What the patient owes: lines − discounts (+ tax when prices exclude it) + tip. */
  totalCents: number;
}

export class MoneyError extends Error {}

const isCents = (n: number) => Number.isSafeInteger(n);

/** a × b / c, rounded half up, for non-negative integers (exact while the product stays safe). */
export function mulDivHalfUp(a: number, b: number, c: number) {
  if (a < 0 || b < 0 || c <= 0) throw new MoneyError("mulDivHalfUp takes non-negative numbers and a positive divisor");
  const product = BigInt(a) * BigInt(b);
  const divisor = BigInt(c);
  return Number((product * 2n + divisor) / (divisor * 2n));
}

/**
 * Splits `total` cents in proportion to `weights` (non-negative integers, not all zero): each part
 * is its exact share rounded down, and the cents left go one each to the largest remainders (ties
 * to the earlier part). The parts always add up to `total`.
 */
export function allocate(total: number, weights: number[]): number[] {
  if (!isCents(total) || total < 0) throw new MoneyError("An amount to share must be whole, non-negative cents.");
  const sum = weights.reduce((a, w) => a + w, 0);
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0) || sum <= 0) throw new MoneyError("Shares must be whole, non-negative and not all zero.");
  const exact = weights.map((w) => BigInt(total) * BigInt(w));
  const parts = exact.map((e) => Number(e / BigInt(sum)));
  const order = exact.map((e, i) => ({ i, rem: Number(e % BigInt(sum)) })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  let left = total - parts.reduce((a, p) => a + p, 0);
  for (const { i } of order) {
    if (left === 0) break;
    parts[i]++;
    left--;
  }
  return parts;
}

function discountOf(amount: number, discount: Discount | null | undefined): number {
  if (!discount) return 0;
  if (discount.kind === "percent") {
    if (!Number.isSafeInteger(discount.basisPoints) || discount.basisPoints < 0 || discount.basisPoints > 10_000) throw new MoneyError("A discount is between 0 and 100 %.");
    return mulDivHalfUp(amount, discount.basisPoints, 10_000);
  }
  if (!isCents(discount.cents) || discount.cents < 0) throw new MoneyError("A discount is whole, non-negative cents.");
  if (discount.cents > amount) throw new MoneyError("A discount can't be more than what it discounts.");
  return discount.cents;
}

/** The invoice from its lines, an invoice-wide discount, the tax mode and a tip (all cents). */
export function invoiceTotals(inputs: InvoiceLineInput[], options: { taxMode: "inclusive" | "exclusive"; invoiceDiscount?: Discount | null; tipCents?: number }): InvoiceTotals {
  const tipCents = options.tipCents ?? 0;
  if (!isCents(tipCents) || tipCents < 0) throw new MoneyError("A tip is whole, non-negative cents.");
  const afterLine = inputs.map((l) => {
    if (!isCents(l.unitCents) || l.unitCents < 0) throw new MoneyError("A price is whole, non-negative cents.");
    if (!Number.isSafeInteger(l.quantityHundredths) || l.quantityHundredths <= 0) throw new MoneyError("A quantity is more than zero.");
    if (!Number.isSafeInteger(l.taxRate) || l.taxRate < 0 || l.taxRate > TAX_RATE_SCALE) throw new MoneyError("A tax rate is between 0 and 100 %.");
    const grossCents = mulDivHalfUp(l.unitCents, l.quantityHundredths, 100);
    const lineDiscountCents = discountOf(grossCents, l.discount);
    return { id: l.id, taxRate: l.taxRate, grossCents, lineDiscountCents, afterLineCents: grossCents - lineDiscountCents };
  });
  const afterLines = afterLine.reduce((a, l) => a + l.afterLineCents, 0);
  const invoiceDiscount = discountOf(afterLines, options.invoiceDiscount);
  const shares = invoiceDiscount > 0 ? allocate(invoiceDiscount, afterLine.map((l) => l.afterLineCents)) : afterLine.map(() => 0);
  const lines: InvoiceLine[] = afterLine.map((l, i) => ({ id: l.id, grossCents: l.grossCents, lineDiscountCents: l.lineDiscountCents, invoiceDiscountCents: shares[i], netCents: l.afterLineCents - shares[i], taxRate: l.taxRate }));

  const rates = [...new Set(lines.map((l) => l.taxRate))].sort((a, b) => a - b);
  const taxByRate = rates.map((rate) => {
    const taxableCents = lines.filter((l) => l.taxRate === rate).reduce((a, l) => a + l.netCents, 0);
    // Exclusive: rate × net. Inclusive: the net already holds the tax, net − net / (1 + rate).
    const taxCents = options.taxMode === "exclusive" ? mulDivHalfUp(taxableCents, rate, TAX_RATE_SCALE) : taxableCents - mulDivHalfUp(taxableCents, TAX_RATE_SCALE, TAX_RATE_SCALE + rate);
    return { rate, taxableCents, taxCents };
  });
  const taxCents = taxByRate.reduce((a, t) => a + t.taxCents, 0);
  const subtotalCents = lines.reduce((a, l) => a + l.grossCents, 0);
  const discountCents = lines.reduce((a, l) => a + l.lineDiscountCents + l.invoiceDiscountCents, 0);
  const totalCents = subtotalCents - discountCents + (options.taxMode === "exclusive" ? taxCents : 0) + tipCents;
  return { lines, subtotalCents, discountCents, taxByRate, taxCents, tipCents, totalCents };
}

/** A tip from a preset percentage of the invoice before tip (rounded half up). */
export function tipFromPercent(beforeTipCents: number, basisPoints: BasisPoints) {
  if (!isCents(beforeTipCents) || beforeTipCents < 0 || !Number.isSafeInteger(basisPoints) || basisPoints < 0) throw new MoneyError("A tip is a non-negative percentage of a non-negative amount.");
  return mulDivHalfUp(beforeTipCents, basisPoints, 10_000);
}

export type PaymentMethod = "cash" | "card" | "card_on_file" | "gift_card";

/**
 * What a payment takes against what is still owed. Cash may be more than owed (the rest is change);
 * any other method is refused beyond the balance, so an invoice is never overpaid.
 */
export function takePayment(balanceCents: number, method: PaymentMethod, tenderedCents: number): { ok: true; appliedCents: number; changeCents: number } | { ok: false; message: string } {
  if (!isCents(tenderedCents) || tenderedCents <= 0) return { ok: false, message: "Enter an amount more than zero, in dollars and cents." };
  if (!isCents(balanceCents) || balanceCents <= 0) return { ok: false, message: "Nothing is owed on this invoice." };
  if (method === "cash") {
    const appliedCents = Math.min(tenderedCents, balanceCents);
    return { ok: true, appliedCents, changeCents: tenderedCents - appliedCents };
  }
  if (tenderedCents > balanceCents) return { ok: false, message: "That is more than is owed on this invoice." };
  return { ok: true, appliedCents: tenderedCents, changeCents: 0 };
}

/** How much can still go back to each method: what it paid less what was refunded to it. */
export function refundable(payments: { method: PaymentMethod; cents: number }[], refunds: { method: PaymentMethod; cents: number }[]) {
  const left = new Map<PaymentMethod, number>();
  for (const p of payments) left.set(p.method, (left.get(p.method) ?? 0) + p.cents);
  for (const r of refunds) left.set(r.method, (left.get(r.method) ?? 0) - r.cents);
  return left;
}

/** A refund to one method, refused beyond what that method paid and has not had back. */
export function checkRefund(payments: { method: PaymentMethod; cents: number }[], refunds: { method: PaymentMethod; cents: number }[], method: PaymentMethod, cents: number): { ok: true } | { ok: false; message: string } {
  if (!isCents(cents) || cents <= 0) return { ok: false, message: "Enter a refund more than zero, in dollars and cents." };
  const left = refundable(payments, refunds).get(method) ?? 0;
  if (cents > left) return { ok: false, message: left > 0 ? `At most ${(left / 100).toFixed(2)} can go back to this method.` : "Nothing was paid by this method." };
  return { ok: true };
}
