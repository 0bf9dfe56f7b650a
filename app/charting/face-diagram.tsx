import { useRef, type PointerEvent as ReactPointerEvent } from "react";
import type { FaceView } from "../../db/schema/charting";
import { ZONE_SHAPES, zoneLabel } from "./zones";

/** Product colours for points, in the order products first appear on a chart (dark enough on white and with white text). */
export const POINT_COLOURS = ["#b4235a", "#1d4ed8", "#047857", "#7c3aed", "#b45309", "#0e7490"] as const;

export interface DiagramPoint {
  key: string;
  number: number;
  view: FaceView;
  x: number;
  y: number;
  zone: string;
  label?: string | null;
  colour: string;
}

const FRONT_OUTLINE = (
  <>
    <ellipse cx="500" cy="470" rx="290" ry="400" />
    <ellipse cx="208" cy="440" rx="30" ry="75" />
    <ellipse cx="792" cy="440" rx="30" ry="75" />
    <path d="M330 315 Q385 285 445 312 M555 312 Q615 285 670 315" />
    <ellipse cx="385" cy="372" rx="52" ry="20" />
    <ellipse cx="615" cy="372" rx="52" ry="20" />
    <path d="M492 380 L468 515 Q500 540 532 515 L508 380" />
    <path d="M425 672 Q462 648 500 660 Q538 648 575 672 Q538 712 500 712 Q462 712 425 672 Z M425 672 Q500 684 575 672" />
    <path d="M395 858 L385 1000 M605 858 L615 1000" />
  </>
);

// The patient's left side: the face looks to the viewer's right.
const PROFILE_OUTLINE = (
  <>
    <path d="M560 80 Q330 80 280 300 Q250 470 330 640 Q380 760 520 830 L560 1000 M760 120 Q720 95 560 80 M760 120 Q800 200 790 300 Q770 345 800 400 L860 505 Q870 520 835 530 L830 600 Q842 640 818 660 Q840 690 815 712 Q800 740 808 790 Q800 850 720 858 Q640 860 600 840 L640 1000" />
    <ellipse cx="430" cy="440" rx="42" ry="78" />
    <path d="M690 322 Q730 300 775 318" />
    <path d="M700 375 Q725 362 750 378 Q725 388 700 375 Z" />
  </>
);

const VIEW_NAMES: Record<FaceView, string> = { front: "front view", left: "left profile", right: "right profile" };

/**
 * The face chart's diagram: a line drawing of the chosen view, its preset zones faintly outlined,
 * and the points charted on it, numbered as in the points list. Server-rendered SVG, so a chart
 * reads before JavaScript loads; with JavaScript a tap places a point and a point can be dragged.
 */
export function FaceDiagram({
  view,
  points,
  onPlace,
  onMove,
  selectedKey,
  className = "",
}: {
  view: FaceView;
  points: DiagramPoint[];
  onPlace?: (x: number, y: number) => void;
  onMove?: (key: string, x: number, y: number, done: boolean) => void;
  selectedKey?: string | null;
  className?: string;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const dragging = useRef<{ key: string; moved: boolean } | null>(null);
  const toDiagram = (event: { clientX: number; clientY: number }) => {
    const matrix = svg.current?.getScreenCTM();
    if (!svg.current || !matrix) return null;
    const at = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    return { x: Math.round(Math.min(1000, Math.max(0, at.x))), y: Math.round(Math.min(1000, Math.max(0, at.y))) };
  };
  const shown = points.filter((p) => p.view === view);
  const interactive = Boolean(onPlace);
  return (
    <svg
      ref={svg}
      viewBox="0 0 1000 1000"
      role="img"
      aria-label={`Face chart, ${VIEW_NAMES[view]}, ${shown.length} point${shown.length === 1 ? "" : "s"}${interactive ? ". Tap to place a point; every point is also listed below" : ""}`}
      className={`block touch-none select-none rounded-xl border border-stone-200 bg-white ${interactive ? "cursor-crosshair" : ""} ${className}`}
      onPointerDown={(event: ReactPointerEvent<SVGSVGElement>) => {
        if (!onPlace || dragging.current) return;
        const at = toDiagram(event);
        if (at) onPlace(at.x, at.y);
      }}
      onPointerMove={(event) => {
        if (!dragging.current || !onMove) return;
        const at = toDiagram(event);
        if (at) {
          dragging.current.moved = true;
          onMove(dragging.current.key, at.x, at.y, false);
        }
      }}
      onPointerUp={(event) => {
        const drag = dragging.current;
        dragging.current = null;
        if (!drag || !onMove) return;
        const at = toDiagram(event);
        if (at && drag.moved) onMove(drag.key, at.x, at.y, true);
      }}
    >
      <g aria-hidden="true">
        {ZONE_SHAPES[view].map((z) => (
          <ellipse key={z.zone} cx={z.cx} cy={z.cy} rx={z.rx} ry={z.ry} fill="#f5f5f4" stroke="#d6d3d1" strokeDasharray="6 6" strokeWidth="2">
            <title>{zoneLabel(z.zone)}</title>
          </ellipse>
        ))}
        <g fill="none" stroke="#57534e" strokeWidth="5" strokeLinecap="round" strokeLinejoin="round" transform={view === "right" ? "translate(1000 0) scale(-1 1)" : undefined}>
          {view === "front" ? FRONT_OUTLINE : PROFILE_OUTLINE}
        </g>
      </g>
      {shown.map((p) => (
        <g
          key={p.key}
          transform={`translate(${p.x} ${p.y})`}
          onPointerDown={(event) => {
            if (!onMove) return;
            event.stopPropagation();
            (event.target as Element).setPointerCapture?.(event.pointerId);
            dragging.current = { key: p.key, moved: false };
          }}
          className={onMove ? "cursor-grab" : undefined}
        >
          <title>{`Point ${p.number}: ${zoneLabel(p.zone, p.label)}`}</title>
          {/* A finger-sized target around a small mark, so neighbouring points stay distinct. */}
          <circle r="30" fill="transparent" />
          <circle r={p.key === selectedKey ? 22 : 17} fill={p.colour} stroke="#fff" strokeWidth="4" />
          <text textAnchor="middle" dy="7" fontSize="20" fontWeight="700" fill="#fff" aria-hidden="true">
            {p.number}
          </text>
        </g>
      ))}
    </svg>
  );
}
