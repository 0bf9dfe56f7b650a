import { Fragment, type ReactNode } from "react";
import { GOOD_FLAGS } from "./visit-flags";
import type { DayGrid, GridBlock, GridColumn } from "./day-grid";
import { ACTION_LABELS, STATUS_LABELS } from "./status";
import { CATEGORY_COLORS } from "../../db/schema/scheduling";

/**
 * The day grid as components (issue 10), rendered to markup on the server once per schedule
 * version (app/scheduling/day-grid-html.server.tsx, docs/decisions/023-day-grid.md): without
 * JavaScript it is already the grid, an empty cell a booking link and a block a link to its
 * visit. Dragging, resizing and arrow keys are added by `useGridInteractions` on top of these same
 * elements, which carry what it needs in data attributes (column, minute, length).
 */

/** Pixels per minute: an hour is 96 px, a 15-minute cell 24 px, a 30-minute visit two lines. */
export const PX_PER_MINUTE = 1.6;
const px = (minutes: number) => `${Math.round(minutes * PX_PER_MINUTE * 10) / 10}px`;

/**
 * The colour of a block's edge (`.cat-rose` … `.cat-fuchsia`): the one the clinic chose for the
 * service's category, or a steady one from the palette until it chooses.
 */
export function categoryClass(categoryOrColor: string) {
  if ((CATEGORY_COLORS as readonly string[]).includes(categoryOrColor)) return `cat-${categoryOrColor}`;
  let h = 0;
  for (const c of categoryOrColor) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `cat-${CATEGORY_COLORS[h % CATEGORY_COLORS.length]}`;
}

export interface GridProps {
  grid: DayGrid;
  date: string;
  /** Provider columns book with that provider; room columns don't book. */
  kind: "provider" | "room";
  /** A week grid's one provider (its columns are days). */
  provider?: string;
}

/**
 * The grid itself: column heads, the hour gutter and the columns. The page places it inside its
 * scrolling frame, with the current-time line (which moves while this stays the same).
 */
export function DayGridView({ grid, date, kind, provider }: GridProps) {
  const height = px(grid.to - grid.from);
  return (
    <div className="day-grid" style={{ gridTemplateColumns: `4.25rem repeat(${grid.columns.length}, minmax(10.5rem, 1fr))` }}>
      <div className="day-grid-corner" />
      {grid.columns.map((c) => (
        <h2 key={c.id} id={`column-${c.id}`} className="day-grid-head">
          {c.title}
        </h2>
      ))}
      <div className="day-grid-gutter" style={{ height }} aria-hidden="true">
        {grid.hours.map((h) => (
          <span key={h.minute} style={{ top: px(h.minute - grid.from) }}>
            {h.label}
          </span>
        ))}
      </div>
      {grid.columns.map((c, index) => (
        <Column key={c.id} column={c} index={index} grid={grid} height={height} date={date} kind={kind} provider={provider} />
      ))}
    </div>
  );
}

/** Where the current-time line sits in the scrolling frame (below the 2.75rem column heads). */
export function nowLineTop(grid: Pick<DayGrid, "from">, nowMinute: number) {
  return `calc(2.75rem + ${px(nowMinute - grid.from)})`;
}

function Column({ column, index, grid, height, date, kind, provider }: { column: GridColumn; index: number; grid: DayGrid; height: string; date: string; kind: "provider" | "room"; provider?: string }) {
  const cellMinutes = Math.max(grid.slotMinutes, 15);
  return (
    <section aria-labelledby={`column-${column.id}`} className="day-grid-column" data-column={column.id} data-index={index} data-day-start={column.dayStart} style={{ height, backgroundPositionY: px(-(grid.from % 60)), ["--cell" as string]: px(cellMinutes) }}>
      {column.shades.map((s) => (
        <div key={`${s.kind}-${s.start}`} className={`day-grid-shade day-grid-shade-${s.kind}`} style={{ top: px(s.start - grid.from), height: px(s.end - s.start) }}>
          {s.kind === "off" ? null : <span>{s.kind === "closed" ? "Closed" : "Time off"}</span>}
        </div>
      ))}
      {/* Open cells: the column's heading names the provider, so each link says only the time. */}
      {column.free.map((cell) => (
        <a key={cell.start} href={`/schedule/new?date=${column.date ?? date}&provider=${encodeURIComponent(provider ?? column.id)}&time=${cell.clock}`} style={{ top: px(cell.start - grid.from) }} data-m={cell.start}>
          {`Book ${cell.label}`}
        </a>
      ))}
      {column.blocks.length ? (
        <ol aria-label={`${column.title}: ${column.blocks.length} visit${column.blocks.length === 1 ? "" : "s"}`} className="contents">
          {column.blocks.map((b) => (
            <Block key={b.id} block={b} grid={grid} kind={kind} />
          ))}
        </ol>
      ) : kind === "room" ? (
        <p className="day-grid-empty">No bookings in this room</p>
      ) : null}
    </section>
  );
}

/**
 * One visit. A busy day has a few hundred, so its classes are short (styled in tailwind.css,
 * "The day grid"): gb block, gv the visit itself, gp patient, gl a line, gn the next step,
 * gx a buffer, gr the resize edge; s-<status> and cat-<n> colour it.
 */
export function Block({ block: b, grid, kind }: { block: GridBlock; grid: Pick<DayGrid, "from">; kind: "provider" | "room" }) {
  const top = b.start - b.bufferBefore;
  const length = b.end - b.start;
  // Room for the next-step button (44 px) beside two lines of text: 30 minutes and more.
  const roomy = length >= 28;
  const movable = b.movable && kind === "provider";
  // Flags before the status: in a narrow column the line is cut at its end, and the status is
  // also the block's colour, while "Forms missing" is said nowhere else.
  const flags: ReactNode = b.flags.map((f) => (
    <Fragment key={f}>
      <b className={GOOD_FLAGS.has(f) ? "ok" : undefined}>{f}</b>
      {" · "}
    </Fragment>
  ));
  const lanes = b.lanes > 1 ? { left: `${(b.lane / b.lanes) * 100}%`, width: `calc(${100 / b.lanes}% - 4px)` } : null;
  return (
    <li className={`gb s-${b.status}`} data-appointment={b.id} data-start={b.start} data-length={length} data-movable={movable ? "" : undefined} style={{ top: px(top - grid.from), height: px(b.bufferBefore + length + b.bufferAfter), ...lanes }}>
      {b.bufferBefore ? <div className="gx" style={{ height: px(b.bufferBefore) }} /> : null}
      <div className={`gv ${categoryClass(b.category)}`}>
        <div>
          <a href={`/appointments/${b.id}`} className="gp">
            {b.patient}
          </a>
          <span className="gl">{`${b.time} · ${b.service}`}</span>
          <span className="gl">
            {flags}
            <i>{STATUS_LABELS[b.status]}</i>
          </span>
        </div>
        {b.next && roomy ? (
          // No action: the form posts to the page it is on, the day view of this day.
          <form method="post">
            <input type="hidden" name="appointmentId" value={b.id} />
            <button name="to" value={b.next} className="gn">
              {ACTION_LABELS[b.next] ?? b.next}
            </button>
          </form>
        ) : null}
      </div>
      {b.bufferAfter ? <div className="gx" style={{ height: px(b.bufferAfter) }} /> : null}
      {movable ? <div className="gr" data-resize="" /> : null}
    </li>
  );
}
