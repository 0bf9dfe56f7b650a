import { useEffect, useRef, type RefObject } from "react";
import { PX_PER_MINUTE } from "./day-grid-view";
import { snapMinute } from "./day-grid";

/**
 * What the day grid does with JavaScript, on top of its server-rendered links and forms:
 * drag a block to another time or provider, drag its bottom edge to change its length, move
 * between cells and blocks with the arrow keys, and press M on a visit for the move dialog.
 * Every change is handed to `onChange`, which posts it to the day view's action: the same
 * exclusive write, rules and history as the forms. Nothing is changed on the page until the
 * server has answered, except the dragged block's own position while it waits.
 */
export type GridChange =
  | { kind: "move"; appointmentId: string; columnId: string; minute: number }
  | { kind: "resize"; appointmentId: string; minutes: number };

interface Drag {
  kind: "move" | "resize";
  block: HTMLElement;
  pointerId: number;
  startX: number;
  startY: number;
  started: boolean;
  /** The block's visit start and length, and where in the block it was grabbed (minutes). */
  start: number;
  length: number;
  grabOffset: number;
  column: HTMLElement;
  target: { columnId: string; minute: number; minutes: number } | null;
}

const THRESHOLD = 5;

export function useGridInteractions(container: RefObject<HTMLElement | null>, { onChange, onOpenMove, version }: { onChange: (change: GridChange) => void; onOpenMove: (appointmentId: string) => void; version: unknown }) {
  const handlers = useRef({ onChange, onOpenMove });
  handlers.current = { onChange, onOpenMove };

  // A new day or a fresh answer: whatever was dragged is drawn where the server now says it is.
  useEffect(() => {
    container.current?.querySelectorAll<HTMLElement>("[data-dragging], [data-pending]").forEach(reset);
  }, [container, version]);

  useEffect(() => {
    const root = container.current;
    if (!root) return;
    const grid = root.matches("[data-day-grid]") ? root : root.querySelector<HTMLElement>("[data-day-grid]");
    if (!grid) return;
    const from = Number(grid.dataset.from);
    const to = Number(grid.dataset.to);
    const slot = Number(grid.dataset.slot);
    const columns = () => [...grid.querySelectorAll<HTMLElement>("[data-column]")];
    let drag: Drag | null = null;
    let suppressClick = false;

    const minuteAt = (column: HTMLElement, clientY: number) => from + (clientY - column.getBoundingClientRect().top) / PX_PER_MINUTE;
    const columnAt = (clientX: number) => columns().find((c) => {
      const r = c.getBoundingClientRect();
      return clientX >= r.left && clientX < r.right;
    });

    function onPointerDown(event: PointerEvent) {
      if (event.button !== 0) return;
      const target = event.target as HTMLElement;
      const block = target.closest<HTMLElement>("[data-movable]");
      if (!block || target.closest("button, form")) return;
      const column = block.closest<HTMLElement>("[data-column]")!;
      const start = Number(block.dataset.start);
      drag = {
        kind: target.closest("[data-resize]") ? "resize" : "move",
        block,
        pointerId: event.pointerId,
        startX: event.clientX,
        startY: event.clientY,
        started: false,
        start,
        length: Number(block.dataset.length),
        grabOffset: minuteAt(column, event.clientY) - start,
        column,
        target: null,
      };
    }

    function onPointerMove(event: PointerEvent) {
      if (!drag || event.pointerId !== drag.pointerId) return;
      if (!drag.started) {
        if (Math.hypot(event.clientX - drag.startX, event.clientY - drag.startY) < THRESHOLD) return;
        drag.started = true;
        drag.block.setAttribute("data-dragging", "");
        drag.block.setPointerCapture(event.pointerId);
      }
      event.preventDefault();
      const originTop = drag.column.getBoundingClientRect().top;
      if (drag.kind === "resize") {
        const end = snapMinute(minuteAt(drag.column, event.clientY), slot, { from: drag.start + slot, to });
        const minutes = Math.max(slot, end - drag.start);
        drag.target = { columnId: drag.column.dataset.column!, minute: drag.start, minutes };
        drag.block.style.height = `${drag.block.querySelector<HTMLElement>(".gv")!.offsetTop + minutes * PX_PER_MINUTE}px`;
        drag.block.title = `${minutes} minutes`;
        return;
      }
      const column = columnAt(event.clientX) ?? drag.column;
      const minute = snapMinute(minuteAt(column, event.clientY) - drag.grabOffset, slot, { from, to }, drag.length);
      drag.target = { columnId: column.dataset.column!, minute, minutes: drag.length };
      const dx = column.getBoundingClientRect().left - drag.column.getBoundingClientRect().left;
      const dy = (minute - drag.start) * PX_PER_MINUTE + (column.getBoundingClientRect().top - originTop);
      drag.block.style.transform = `translate(${dx}px, ${dy}px)`;
    }

    function onPointerUp(event: PointerEvent) {
      if (!drag || event.pointerId !== drag.pointerId) return;
      const done = drag;
      drag = null;
      if (!done.started) return;
      suppressClick = true;
      const t = done.target;
      const unchanged = !t || (done.kind === "move" ? t.columnId === done.column.dataset.column && t.minute === done.start : t.minutes === done.length);
      if (unchanged) return reset(done.block);
      done.block.setAttribute("data-pending", "");
      const appointmentId = done.block.dataset.appointment!;
      handlers.current.onChange(done.kind === "move" ? { kind: "move", appointmentId, columnId: t.columnId, minute: t.minute } : { kind: "resize", appointmentId, minutes: t.minutes });
    }

    function onPointerCancel() {
      if (drag) reset(drag.block);
      drag = null;
    }

    // A drag ends with a click on whatever was under the pointer: that click is not a navigation.
    function onClick(event: MouseEvent) {
      if (!suppressClick) return;
      suppressClick = false;
      event.preventDefault();
      event.stopPropagation();
    }

    function onKeyDown(event: KeyboardEvent) {
      const current = (event.target as HTMLElement).closest<HTMLElement>(NAVIGABLE);
      if (event.key === "Escape" && drag) {
        reset(drag.block);
        drag = null;
        return;
      }
      if (!current || event.altKey || event.ctrlKey || event.metaKey) return;
      if ((event.key === "m" || event.key === "M") && current.closest("[data-movable]")) {
        event.preventDefault();
        handlers.current.onOpenMove(current.closest<HTMLElement>("[data-appointment]")!.dataset.appointment!);
        return;
      }
      const next = neighbour(columns(), current, event.key);
      if (next === undefined) return;
      event.preventDefault();
      if (next) {
        next.focus();
        next.scrollIntoView({ block: "nearest", inline: "nearest" });
      }
    }

    // A visit's patient link would otherwise start the browser's own link drag (and cancel ours).
    function onDragStart(event: DragEvent) {
      if ((event.target as HTMLElement).closest?.("[data-movable]")) event.preventDefault();
    }

    const listeners: [string, EventListener, boolean][] = [
      ["dragstart", onDragStart as EventListener, false],
      ["pointerdown", onPointerDown as EventListener, false],
      ["pointermove", onPointerMove as EventListener, false],
      ["pointerup", onPointerUp as EventListener, false],
      ["pointercancel", onPointerCancel, false],
      ["click", onClick as EventListener, true],
      ["keydown", onKeyDown as EventListener, false],
    ];
    for (const [type, listener, capture] of listeners) grid.addEventListener(type, listener, capture);
    return () => {
      for (const [type, listener, capture] of listeners) grid.removeEventListener(type, listener, capture);
    };
  }, [container, version]);
}

/** What the arrow keys move between: open cells and visits (their patient link). */
const NAVIGABLE = "[data-column] > a, .gp";
const minuteOf = (el: HTMLElement) => Number(el.dataset.m ?? el.closest<HTMLElement>("[data-start]")?.dataset.start ?? 0);

function reset(block: HTMLElement) {
  block.removeAttribute("data-dragging");
  block.removeAttribute("data-pending");
  block.style.transform = "";
  block.removeAttribute("title");
  const length = Number(block.dataset.length);
  const buffers = [...block.querySelectorAll<HTMLElement>(".gx")].reduce((sum, b) => sum + b.offsetHeight, 0);
  block.style.height = `${buffers + length * PX_PER_MINUTE}px`;
}

/**
 * The cell or visit an arrow key leads to: up and down within a column by time, left and right to
 * the nearest in time in the next column that has any. Undefined for keys that don't move.
 */
function neighbour(columns: HTMLElement[], current: HTMLElement, key: string): HTMLElement | null | undefined {
  const column = current.closest<HTMLElement>("[data-column]");
  if (!column) return undefined;
  const items = (c: HTMLElement) => [...c.querySelectorAll<HTMLElement>(NAVIGABLE)].sort((a, b) => minuteOf(a) - minuteOf(b));
  const minute = minuteOf(current);
  if (key === "ArrowDown" || key === "ArrowUp") {
    const list = items(column);
    const i = list.indexOf(current);
    return list[key === "ArrowDown" ? i + 1 : i - 1] ?? null;
  }
  if (key === "ArrowLeft" || key === "ArrowRight") {
    const step = key === "ArrowRight" ? 1 : -1;
    for (let i = columns.indexOf(column) + step; i >= 0 && i < columns.length; i += step) {
      const list = items(columns[i]);
      if (list.length) return list.reduce((best, el) => (Math.abs(minuteOf(el) - minute) < Math.abs(minuteOf(best) - minute) ? el : best));
    }
    return null;
  }
  return undefined;
}
