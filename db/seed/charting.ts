import type { Db } from "../../app/lib/db.server";
import { productLots, products, stockMovements } from "../schema";
import { ensureChartTemplates } from "../../app/charting/templates.server";

/** What a med spa keeps: two toxins, two fillers, at prices a clinic charges (issue 11). */
const PRODUCTS = [
  { key: "botox", name: "Botox", kind: "toxin", measure: "u", packageSize: 100_00, diluentMl: 2_50, priceCents: 14_00, priceBasis: "measure" },
  { key: "dysport", name: "Dysport", kind: "toxin", measure: "u", packageSize: 300_00, diluentMl: 3_00, priceCents: 5_00, priceBasis: "measure" },
  { key: "juvederm", name: "Juvéderm Ultra XC", kind: "filler", measure: "ml", packageSize: 1_00, diluentMl: null, priceCents: 750_00, priceBasis: "package" },
  { key: "restylane", name: "Restylane Lyft", kind: "filler", measure: "ml", packageSize: 1_00, diluentMl: null, priceCents: 800_00, priceBasis: "package" },
  // Retail the desk sells at checkout (issue 12).
  { key: "serum", name: "SkinMedica TNS Advanced+ Serum", kind: "retail", measure: "each", packageSize: 1_00, diluentMl: null, priceCents: 295_00, priceBasis: "measure" },
  { key: "spf", name: "EltaMD UV Clear SPF 46", kind: "retail", measure: "each", packageSize: 1_00, diluentMl: null, priceCents: 41_00, priceBasis: "measure" },
] as const;

/** Lots at every location: packages of each, one lot long expired (the chart refuses it). */
const LOTS = [
  { product: "botox", lot: "C3912", expiresOn: "2027-03-31", packages: 10, costCents: 540_00 },
  { product: "botox", lot: "C4120", expiresOn: "2027-09-30", packages: 6, costCents: 540_00 },
  { product: "botox", lot: "B8871", expiresOn: "2026-06-30", packages: 1, costCents: 520_00 },
  { product: "dysport", lot: "D7781", expiresOn: "2027-05-31", packages: 4, costCents: 480_00 },
  { product: "juvederm", lot: "J2201", expiresOn: "2027-07-31", packages: 12, costCents: 300_00 },
  { product: "restylane", lot: "R5510", expiresOn: "2027-11-30", packages: 8, costCents: 320_00 },
  { product: "serum", lot: "TNS2611", expiresOn: "2028-01-31", packages: 12, costCents: 150_00 },
  { product: "spf", lot: "EM4471", expiresOn: "2027-12-31", packages: 24, costCents: 19_00 },
] as const;

/** The catalogue, stock at each location and the chart templates, with ids derived from the organization (no random draws, so the rest of the demo data stays the same). */
export async function seedCharting(db: Db, organizationId: string, locationIds: string[], now: Date) {
  const productId = (key: string) => `${organizationId}-product-${key}`;
  await db.insert(products).values(PRODUCTS.map(({ key, ...p }) => ({ ...p, id: productId(key), organizationId, createdAt: now })));
  const lots = locationIds.flatMap((locationId, i) =>
    LOTS.map((l) => {
      const product = PRODUCTS.find((p) => p.key === l.product)!;
      const quantity = l.packages * product.packageSize;
      return { id: `${locationId}-lot-${l.lot}`, organizationId, locationId, productId: productId(l.product), lotNumber: l.lot, expiresOn: l.expiresOn, received: quantity, remaining: quantity, costCents: l.costCents, createdAt: new Date(now.getTime() - (30 + i) * 86_400_000) };
    }),
  );
  await db.insert(productLots).values(lots);
  await db.insert(stockMovements).values(lots.map((l) => ({ id: `${l.id}-received`, organizationId, lotId: l.id, kind: "receive" as const, quantity: l.received, createdAt: l.createdAt })));
  await ensureChartTemplates(db, organizationId, now);
}
