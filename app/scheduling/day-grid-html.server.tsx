import { renderToString } from "react-dom/server";
import { Block, DayGridView, type GridProps } from "./day-grid-view";
import type { GridBlock } from "./day-grid";

/**
 * The day grid's components rendered to markup once per schedule version (and cell of the clock),
 * not once per request: React's server rendering of a 200-visit day costs ~20 ms, and the front
 * desk reloads it all day (docs/decisions/023-day-grid.md). The page places the markup with
 * `ServerFragment`, so it is sent once, not again in the hydration data.
 */
export function gridHtml(props: GridProps) {
  return renderToString(<DayGridView {...props} />);
}

/**
 * One visit's block after a status change with JavaScript (issue 14): the page swaps it in and
 * keeps the old block's position, which a status change never moves.
 */
export function blockHtml(block: Omit<GridBlock, "lane" | "lanes">, kind: "provider" | "room") {
  return renderToString(<Block block={{ ...block, lane: 0, lanes: 1 }} grid={{ from: 0 }} kind={kind} />);
}
