import type { FaceView } from "../../db/schema/charting";

/**
 * The face chart's preset zones and where each lies on the three diagrams (0–1000 on both axes,
 * the drawing in app/charting/face-diagram.tsx). "Left" and "right" are the patient's, so on the
 * front view the patient's right is on the viewer's left, as every injector reads a chart.
 */
export const ZONES = {
  forehead: "Forehead",
  glabella: "Glabella",
  crows_feet_right: "Crow's feet (right)",
  crows_feet_left: "Crow's feet (left)",
  bunny_lines: "Bunny lines",
  tear_trough_right: "Tear trough (right)",
  tear_trough_left: "Tear trough (left)",
  cheek_right: "Cheek (right)",
  cheek_left: "Cheek (left)",
  nasolabial_right: "Nasolabial fold (right)",
  nasolabial_left: "Nasolabial fold (left)",
  lip_flip: "Lip flip",
  lips: "Lips",
  marionette_right: "Marionette line (right)",
  marionette_left: "Marionette line (left)",
  masseter_right: "Masseter (right)",
  masseter_left: "Masseter (left)",
  chin: "Chin",
  jawline_right: "Jawline (right)",
  jawline_left: "Jawline (left)",
  platysmal_bands: "Platysmal bands",
  custom: "Custom point",
} as const;
export type ZoneId = keyof typeof ZONES;
export const ZONE_IDS = Object.keys(ZONES) as ZoneId[];

export function isZoneId(value: string): value is ZoneId {
  return Object.hasOwn(ZONES, value);
}

export function zoneLabel(zone: string, label?: string | null) {
  if (zone === "custom") return label?.trim() || ZONES.custom;
  return isZoneId(zone) ? ZONES[zone] : zone;
}

/** An ellipse on a diagram: centre and radii. */
export interface ZoneShape {
  zone: ZoneId;
  cx: number;
  cy: number;
  rx: number;
  ry: number;
}

type Placement = [zone: ZoneId, cx: number, cy: number, rx: number, ry: number];

// Front view: the patient faces the viewer.
const FRONT: Placement[] = [
  ["forehead", 500, 190, 210, 85],
  ["glabella", 500, 305, 45, 38],
  ["crows_feet_right", 238, 365, 42, 55],
  ["crows_feet_left", 762, 365, 42, 55],
  ["bunny_lines", 500, 415, 45, 32],
  ["tear_trough_right", 385, 440, 55, 22],
  ["tear_trough_left", 615, 440, 55, 22],
  ["cheek_right", 318, 520, 72, 62],
  ["cheek_left", 682, 520, 72, 62],
  ["nasolabial_right", 408, 595, 28, 62],
  ["nasolabial_left", 592, 595, 28, 62],
  ["lip_flip", 500, 648, 62, 12],
  ["lips", 500, 684, 78, 26],
  ["marionette_right", 405, 745, 32, 45],
  ["marionette_left", 595, 745, 32, 45],
  ["masseter_right", 262, 650, 45, 85],
  ["masseter_left", 738, 650, 45, 85],
  ["chin", 500, 815, 85, 50],
  ["jawline_right", 318, 790, 62, 40],
  ["jawline_left", 682, 790, 62, 40],
  ["platysmal_bands", 500, 945, 140, 45],
];

// The patient's left side, face turned to the viewer's right; the right profile mirrors it.
const LEFT_PROFILE: Placement[] = [
  ["forehead", 640, 200, 150, 90],
  ["glabella", 770, 320, 35, 35],
  ["crows_feet_left", 560, 370, 45, 55],
  ["tear_trough_left", 660, 440, 50, 22],
  ["cheek_left", 610, 520, 80, 65],
  ["nasolabial_left", 735, 595, 28, 60],
  ["lip_flip", 815, 650, 28, 12],
  ["lips", 810, 685, 35, 26],
  ["marionette_left", 735, 750, 30, 42],
  ["masseter_left", 470, 660, 55, 85],
  ["chin", 780, 820, 55, 50],
  ["jawline_left", 590, 800, 90, 40],
  ["platysmal_bands", 600, 945, 130, 45],
];

const mirror = (placements: Placement[]): Placement[] =>
  placements.map(([zone, cx, cy, rx, ry]) => [zone.replace(/_left$/, "_right") as ZoneId, 1000 - cx, cy, rx, ry]);

export const ZONE_SHAPES: Record<FaceView, ZoneShape[]> = {
  front: toShapes(FRONT),
  left: toShapes(LEFT_PROFILE),
  right: toShapes(mirror(LEFT_PROFILE)),
};

function toShapes(placements: Placement[]): ZoneShape[] {
  return placements.map(([zone, cx, cy, rx, ry]) => ({ zone, cx, cy, rx, ry }));
}

/** The largest distance from a zone's edge at which a tap still counts as that zone. */
const NEAR = 0.35;

/**
 * The zone a tap at (x, y) on `view` falls in: the smallest zone that contains it (the glabella
 * rather than the forehead around it), else the zone whose edge is nearest within a margin, else
 * a custom point for the provider to name.
 */
export function zoneAt(view: FaceView, x: number, y: number): ZoneId {
  let best: { zone: ZoneId; score: number; area: number } | null = null;
  for (const shape of ZONE_SHAPES[view]) {
    // 1 on the ellipse's edge, below 1 inside it.
    const distance = Math.hypot((x - shape.cx) / shape.rx, (y - shape.cy) / shape.ry);
    if (distance > 1 + NEAR) continue;
    const area = shape.rx * shape.ry;
    const score = distance <= 1 ? 0 : distance - 1;
    if (!best || score < best.score || (score === best.score && area < best.area)) best = { zone: shape.zone, score, area };
  }
  return best?.zone ?? "custom";
}

/** Where a point charted without a tap (from the table, or without JavaScript) is drawn. */
export function zoneCentre(view: FaceView, zone: string): { x: number; y: number } {
  const shape = ZONE_SHAPES[view].find((s) => s.zone === zone) ?? ZONE_SHAPES.front.find((s) => s.zone === zone);
  return shape ? { x: shape.cx, y: shape.cy } : { x: 500, y: 500 };
}
