import type { ProductMeasure } from "../../db/schema/charting";
import type { InvoiceStatus, LineKind, TaxCategory } from "../../db/schema/billing";
import { amountWithMeasure } from "../charting/amounts";
import { invoiceTotals, type Discount, type InvoiceTotals } from "./money";

/**
 * What an invoice's lines are made of (issue 12), as plain functions: the visit and its chart
 * turned into lines, stored lines priced by the money rules, and the status the amounts give.
 */

export interface VisitToBill {
  serviceId: string;
  serviceName: string;
  /** Injectables: charge what was charted, not the service's price (when something was charted). */
  billedByProduct: boolean;
  /** The price the visit was booked at. */
  priceCents: number;
  providerId: string;
  encounterId: string | null;
}

/** One product as charted on the visit: its points' amounts added up (hundredths of its measure). */
export interface ChartedProduct {
  productId: string;
  name: string;
  measure: ProductMeasure;
  packageSize: number;
  priceCents: number;
  priceBasis: "measure" | "package";
  amount: number;
}

export interface NewLine {
  kind: LineKind;
  description: string;
  serviceId: string | null;
  productId: string | null;
  encounterId: string | null;
  providerId: string | null;
  /** Hundredths: 20 u → 2000; one service or item → 100. */
  quantity: number;
  unitCents: number;
  taxCategory: TaxCategory;
}

const PACKAGE_NAMES: Record<ProductMeasure, [string, string]> = { u: ["vial", "vials"], ml: ["syringe", "syringes"], each: ["item", "items"] };

/**
 * The visit's lines. A service billed by product with something charted becomes one line per
 * product: per unit / ml at the catalogue's price, or per package opened (a syringe is charged
 * whole once opened: 1.5 ml of a 1 ml syringe is two). Otherwise the service at its booked price.
 */
export function linesFromVisit(visit: VisitToBill, charted: ChartedProduct[]): NewLine[] {
  const used = charted.filter((c) => c.amount > 0);
  if (!visit.billedByProduct || used.length === 0) {
    return [{ kind: "service", description: visit.serviceName, serviceId: visit.serviceId, productId: null, encounterId: visit.encounterId, providerId: visit.providerId, quantity: 100, unitCents: visit.priceCents, taxCategory: "services" }];
  }
  return used.map((c) => {
    const amount = amountWithMeasure(c.amount, c.measure);
    const byPackage = c.priceBasis === "package";
    const packages = Math.ceil(c.amount / c.packageSize);
    const [one, many] = PACKAGE_NAMES[c.measure];
    return {
      kind: "treatment" as const,
      description: byPackage ? `${c.name} · ${amount} (${packages} ${packages === 1 ? one : many})` : `${c.name} · ${amount}`,
      serviceId: visit.serviceId,
      productId: c.productId,
      encounterId: visit.encounterId,
      providerId: visit.providerId,
      quantity: byPackage ? packages * 100 : c.amount,
      unitCents: c.priceCents,
      taxCategory: "services" as const,
    };
  });
}

export interface StoredLine {
  id: string;
  quantity: number;
  unitCents: number;
  taxRate: number;
  discountKind: "percent" | "amount" | null;
  discountValue: number | null;
}

export interface InvoiceTerms {
  taxMode: "exclusive" | "inclusive";
  discountKind: "percent" | "amount" | null;
  discountValue: number | null;
  tipCents: number;
}

export function discountOf(kind: "percent" | "amount" | null, value: number | null): Discount | null {
  if (!kind || value === null) return null;
  return kind === "percent" ? { kind, basisPoints: value } : { kind, cents: value };
}

/** The money rules applied to the stored lines and terms. Throws MoneyError on what they refuse. */
export function priceInvoice(lines: StoredLine[], terms: InvoiceTerms): InvoiceTotals {
  return invoiceTotals(
    lines.map((l) => ({ id: l.id, unitCents: l.unitCents, quantityHundredths: l.quantity, taxRate: l.taxRate, discount: discountOf(l.discountKind, l.discountValue) })),
    { taxMode: terms.taxMode, invoiceDiscount: lines.length ? discountOf(terms.discountKind, terms.discountValue) : null, tipCents: terms.tipCents },
  );
}

/** Whether a discount stays within a limit in basis points of what it discounts. */
export function withinDiscountLimit(discount: Discount, discountedCents: number, limitBasisPoints: number) {
  if (discount.kind === "percent") return discount.basisPoints <= limitBasisPoints;
  return discount.cents * 10_000 <= discountedCents * limitBasisPoints;
}

/** The status an invoice's amounts give it; void and refunds are decided elsewhere. */
export function statusFromAmounts(current: InvoiceStatus, totalCents: number, paidCents: number): InvoiceStatus {
  if (current === "void" || current === "refunded" || current === "partially_refunded") return current;
  if (paidCents > 0 && paidCents >= totalCents) return "paid";
  if (paidCents > 0) return "partially_paid";
  return current === "paid" || current === "partially_paid" ? "open" : current;
}

/** What is still owed. */
export const balanceOf = (invoice: { totalCents: number; paidCents: number; refundedCents: number; status: InvoiceStatus }) => (invoice.status === "void" ? 0 : invoice.totalCents - invoice.paidCents);

/**
 * What a preset tip is a percentage of: the services and treatments as discounted, before tax —
 * not retail, not tax (as clinics tip, and as Boulevard and Mangomint compute it).
 */
export function tipBase(lines: { kind: LineKind; netCents: number }[]) {
  return lines.filter((l) => l.kind !== "retail").reduce((a, l) => a + l.netCents, 0);
}
