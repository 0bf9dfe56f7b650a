import { DEPTHS, FACE_VIEWS, TECHNIQUES, type FaceView, type ProductMeasure } from "../../db/schema/charting";
import { amountProblem, parseAmount } from "./amounts";
import { lotProblem, type LotFacts } from "./lots";
import { isZoneId, zoneAt, zoneCentre } from "./zones";

/** One face-chart point as a form (or a replayed offline save) sends it: strings, maybe empty. */
export interface PointInput {
  id?: string;
  view?: string;
  x?: string;
  y?: string;
  zone?: string;
  label?: string;
  lotId?: string;
  amount?: string;
  depth?: string;
  technique?: string;
  gauge?: string;
  notes?: string;
  remove?: string;
}

export interface ChartPoint {
  id: string;
  view: FaceView;
  x: number;
  y: number;
  zone: string;
  label: string | null;
  productId: string;
  lotId: string;
  amount: number;
  depth: (typeof DEPTHS)[number] | null;
  technique: (typeof TECHNIQUES)[number] | null;
  gauge: number | null;
  notes: string | null;
}

export const MAX_POINTS = 200;
const ID = /^[A-Za-z0-9-]{8,64}$/;

const blank = (p: PointInput) => !p.zone?.trim() && !p.lotId?.trim() && !p.amount?.trim() && !p.label?.trim() && !p.notes?.trim();

/**
 * Reads the chart's points, checking each against what this location may chart today. A row the
 * provider left empty (the table's "new point" row) is skipped; a row marked `remove` is dropped.
 * Errors are keyed `points[i].field`, as the form names its inputs, so each shows by its field.
 */
export function readPoints(
  rows: PointInput[],
  { lots, measureOf, locationId, today }: { lots: Map<string, LotFacts>; measureOf: (productId: string) => ProductMeasure | undefined; locationId: string; today: string },
): { points: ChartPoint[]; errors: Record<string, string> } {
  const points: ChartPoint[] = [];
  const errors: Record<string, string> = {};
  if (rows.length > MAX_POINTS + 1) {
    errors.points = `A chart holds at most ${MAX_POINTS} points.`;
    return { points, errors };
  }
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (row.remove === "on" || row.remove === "true" || blank(row)) return;
    const err = (field: string, message: string) => (errors[`points[${i}].${field}`] ??= message);
    const view = (FACE_VIEWS as readonly string[]).includes(row.view ?? "front") ? ((row.view || "front") as FaceView) : null;
    if (!view) err("view", "Choose front, left or right view.");
    const hasSpot = Boolean(row.x?.trim() || row.y?.trim());
    const x = hasSpot ? Number(row.x) : NaN;
    const y = hasSpot ? Number(row.y) : NaN;
    if (hasSpot && !(Number.isInteger(x) && Number.isInteger(y) && x >= 0 && x <= 1000 && y >= 0 && y <= 1000)) err("x", "That point is outside the diagram. Tap inside the face.");
    let zone = row.zone?.trim() ?? "";
    if (!zone && hasSpot && view && Number.isFinite(x) && Number.isFinite(y)) zone = zoneAt(view, x, y);
    if (!zone) err("zone", "Choose the zone.");
    else if (!isZoneId(zone)) err("zone", "Choose a zone from the list.");
    const label = row.label?.trim().slice(0, 60) || null;
    if (zone === "custom" && !label) err("label", "Name the custom point, like “Temple”.");
    const lot = lots.get(row.lotId ?? "");
    const lotError = lot ? lotProblem(lot, { productId: lot.productId, locationId, today }) : "Choose a lot from this location's stock.";
    if (lotError) err("lotId", lotError);
    const measure = lot ? measureOf(lot.productId) : undefined;
    const amount = parseAmount(row.amount ?? "");
    const amountError = amountProblem(amount, measure ?? "u");
    if (amountError) err("amount", amountError);
    const depth = row.depth?.trim() || null;
    if (depth && !(DEPTHS as readonly string[]).includes(depth)) err("depth", "Choose a depth from the list.");
    const technique = row.technique?.trim() || null;
    if (technique && !(TECHNIQUES as readonly string[]).includes(technique)) err("technique", "Choose needle or cannula.");
    const gaugeText = row.gauge?.trim() ?? "";
    const gauge = gaugeText ? Number(gaugeText) : null;
    if (gauge !== null && !(Number.isInteger(gauge) && gauge >= 18 && gauge <= 34)) err("gauge", "Gauge is a whole number from 18 to 34.");
    const notes = row.notes?.trim() || null;
    if (notes && notes.length > 500) err("notes", "Keep point notes under 500 characters.");
    let id = row.id?.trim() ?? "";
    if (!ID.test(id) || seen.has(id)) id = crypto.randomUUID();
    seen.add(id);
    if (Object.keys(errors).some((k) => k.startsWith(`points[${i}].`)) || !view || !lot || amount === null) return;
    const spot = hasSpot ? { x, y } : zoneCentre(view, zone);
    points.push({ id, view, x: spot.x, y: spot.y, zone, label: zone === "custom" ? label : null, productId: lot.productId, lotId: lot.id, amount, depth: depth as ChartPoint["depth"], technique: technique as ChartPoint["technique"], gauge, notes });
  });
  return { points, errors };
}
