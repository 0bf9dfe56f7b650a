import type { ProductMeasure } from "../../db/schema/charting";
import { zoneLabel } from "./zones";

/**
 * Product amounts are integer hundredths of the product's measure (db/schema/charting.ts):
 * these turn what a provider types into that and back, and add charted points up.
 */

/** The most one point may hold, in hundredths: over 400 units of toxin in one point is a typo. */
export const MAX_POINT_AMOUNT: Record<ProductMeasure, number> = { u: 400_00, ml: 10_00, each: 100_00 };

/** "2.5" → 250; anything that isn't a plain positive decimal with at most two places → null. */
export function parseAmount(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,6}(\.\d{1,2})?$|^\.\d{1,2}$/.test(trimmed)) return null;
  const [whole, fraction = ""] = trimmed.split(".");
  return Number(whole || "0") * 100 + Number(fraction.padEnd(2, "0"));
}

/** 250 → "2.5"; 2000 → "20"; 5 → "0.05". */
export function amountText(hundredths: number) {
  const whole = Math.trunc(hundredths / 100);
  const rest = Math.abs(hundredths % 100);
  if (!rest) return String(whole);
  return `${hundredths < 0 && whole === 0 ? "-" : ""}${whole}.${String(rest).padStart(2, "0").replace(/0$/, "")}`;
}

/** 2000, "u" → "20 u"; 75, "ml" → "0.75 ml". */
export function amountWithMeasure(hundredths: number, measure: ProductMeasure) {
  return measure === "each" ? amountText(hundredths) : `${amountText(hundredths)} ${measure}`;
}

/** Why an amount can't be charted for a product measured in `measure`, or null when it can. */
export function amountProblem(hundredths: number | null, measure: ProductMeasure): string | null {
  if (hundredths === null) return "Enter the amount as a number, like 2.5.";
  if (hundredths <= 0) return "The amount must be more than zero.";
  if (hundredths > MAX_POINT_AMOUNT[measure]) return `That is more than one point can hold (at most ${amountWithMeasure(MAX_POINT_AMOUNT[measure], measure)}). Check the amount.`;
  return null;
}

/**
 * Toxin reconstitution: a vial of `vialUnits` (hundredths of a unit) mixed with `diluentMl`
 * (hundredths of a ml) holds this many units per 0.1 ml, in hundredths (100 u in 2.5 ml → 4 u).
 */
export function unitsPerTenthMl(vialUnits: number, diluentMl: number): number | null {
  if (vialUnits <= 0 || diluentMl <= 0) return null;
  return Math.round((vialUnits * 10) / diluentMl);
}

/** The volume to draw up for `units` (hundredths) at that dilution, in hundredths of a ml, rounded to the nearest. */
export function volumeForUnits(units: number, perTenthMl: number) {
  return Math.round((units * 10) / perTenthMl);
}

export interface ChartedAmount {
  zone: string;
  label?: string | null;
  productId: string;
  amount: number;
}

export interface Total {
  key: string;
  label: string;
  amount: number;
  points: number;
}

/**
 * Totals per zone and per product, as the chart shows them live: per zone only when one product
 * measure is involved (adding units to ml means nothing), per product always. Zones keep the
 * order they were first charted in.
 */
export function chartTotals(points: ChartedAmount[], productName: (id: string) => string) {
  const byZone = new Map<string, Total>();
  const byProduct = new Map<string, Total>();
  for (const p of points) {
    const zoneKey = `${p.zone}:${p.zone === "custom" ? (p.label ?? "").trim().toLowerCase() : ""}:${p.productId}`;
    const zone = byZone.get(zoneKey) ?? { key: zoneKey, label: `${zoneLabel(p.zone, p.label)} · ${productName(p.productId)}`, amount: 0, points: 0 };
    zone.amount += p.amount;
    zone.points += 1;
    byZone.set(zoneKey, zone);
    const product = byProduct.get(p.productId) ?? { key: p.productId, label: productName(p.productId), amount: 0, points: 0 };
    product.amount += p.amount;
    product.points += 1;
    byProduct.set(p.productId, product);
  }
  return { byZone: [...byZone.values()], byProduct: [...byProduct.values()] };
}

/** What each lot gives up when the encounter is signed: the charted amounts added per lot. */
export function usageByLot(points: { lotId: string; amount: number }[]) {
  const usage = new Map<string, number>();
  for (const p of points) usage.set(p.lotId, (usage.get(p.lotId) ?? 0) + p.amount);
  return usage;
}
