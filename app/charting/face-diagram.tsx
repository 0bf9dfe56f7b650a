import { useRef, type PointerEvent as ReactPointerEvent } from "react";
import type { FaceView } from "../../db/schema/charting";
import { FACE_OUTLINES } from "./face-shapes";
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
        <g fill="none" stroke="#57534e" strokeWidth="5" strokeLinecap="round" strokeLinejoin="round">
          {FACE_OUTLINES[view].ellipses.map(([cx, cy, rx, ry]) => (
            <ellipse key={`${cx}-${cy}`} cx={cx} cy={cy} rx={rx} ry={ry} />
          ))}
          {FACE_OUTLINES[view].paths.map((d) => (
            <path key={d} d={d} />
          ))}
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
