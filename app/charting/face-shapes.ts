import type { FaceView } from "../../db/schema/charting";

/**
 * The face chart's line drawing as data (0–1000 on both axes, y down), so the screen (SVG) and
 * the chart PDF draw the same face. Paths use absolute M/L/Q/Z commands only, so the right
 * profile is the left one mirrored number by number.
 */
export interface FaceOutline {
  ellipses: [cx: number, cy: number, rx: number, ry: number][];
  paths: string[];
}

const FRONT: FaceOutline = {
  ellipses: [
    [500, 470, 290, 400],
    [208, 440, 30, 75],
    [792, 440, 30, 75],
    [385, 372, 52, 20],
    [615, 372, 52, 20],
  ],
  paths: [
    "M330 315 Q385 285 445 312 M555 312 Q615 285 670 315",
    "M492 380 L468 515 Q500 540 532 515 L508 380",
    "M425 672 Q462 648 500 660 Q538 648 575 672 Q538 712 500 712 Q462 712 425 672 Z M425 672 Q500 684 575 672",
    "M395 858 L385 1000 M605 858 L615 1000",
  ],
};

// The patient's left side: the face looks to the viewer's right.
const LEFT: FaceOutline = {
  ellipses: [[430, 440, 42, 78]],
  paths: [
    "M560 80 Q330 80 280 300 Q250 470 330 640 Q380 760 520 830 L560 1000 M760 120 Q720 95 560 80 M760 120 Q800 200 790 300 Q770 345 800 400 L860 505 Q870 520 835 530 L830 600 Q842 640 818 660 Q840 690 815 712 Q800 740 808 790 Q800 850 720 858 Q640 860 600 840 L640 1000",
    "M690 322 Q730 300 775 318",
    "M700 375 Q725 362 750 378 Q725 388 700 375 Z",
  ],
};

/** x → 1000 − x in every coordinate pair of an absolute path. */
export function mirrorPath(d: string) {
  return d.replace(/(-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)/g, (_, x: string, y: string) => `${1000 - Number(x)} ${y}`);
}

export const FACE_OUTLINES: Record<FaceView, FaceOutline> = {
  front: FRONT,
  left: LEFT,
  right: { ellipses: LEFT.ellipses.map(([cx, cy, rx, ry]) => [1000 - cx, cy, rx, ry]), paths: LEFT.paths.map(mirrorPath) },
};
