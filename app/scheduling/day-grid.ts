import type { AppointmentStatus } from "../../db/schema/scheduling";
import { subtract, type Interval } from "./intervals";

/**
 * The day view as a time grid (issue 10): one column per provider or room, a block per visit whose
 * height is its length, buffers and off hours shaded. Positions are minutes elapsed since the
 * location's local midnight, so a 23- or 25-hour day (a clock change) is laid out as it is lived;
 * labels are always formatted from instants in the location's zone, never computed from minutes.
 * Pure and serializable: the server builds it once per schedule version, the page renders it.
 */

export interface GridBlock {
  id: string;
  status: AppointmentStatus;
  patient: string;
  service: string;
  /** The colour the clinic chose for the service's category, or the category (a steady colour from it). */
  category: string;
  /** "9:00 AM–9:30 AM" in the location's zone. */
  time: string;
  /** Minutes since local midnight: the visit itself, and its buffers around it. */
  start: number;
  end: number;
  bufferBefore: number;
  bufferAfter: number;
  flags: string[];
  /** The one-tap next step this viewer may take, if any. */
  next: AppointmentStatus | null;
  /** Side by side when visits overlap in one column: which lane, of how many. */
  lane: number;
  lanes: number;
  /** Whether this viewer may drag it to another time, provider or length. */
  movable: boolean;
}

export interface GridShade {
  start: number;
  end: number;
  kind: "off" | "time_off" | "closed";
}

export interface GridCell {
  start: number;
  /** The local wall-clock time ("14:30"), for the booking form. */
  clock: string;
  /** "2:30 PM", for people and screen readers. */
  label: string;
}

export interface GridColumn {
  id: string;
  title: string;
  /** A week grid's column is a day: its date (for booking links) and local midnight (for moves). */
  date?: string;
  dayStart?: number;
  blocks: GridBlock[];
  shades: GridShade[];
  /** Free, bookable cells (provider view, for people who can book): each a booking link. */
  free: GridCell[];
}

export interface DayGrid {
  /** First and last minute shown (whole hours). */
  from: number;
  to: number;
  slotMinutes: number;
  hours: { minute: number; label: string }[];
  columns: GridColumn[];
}

const MINUTE = 60_000;

/** Lanes for visits that overlap in one column (a double booking made by override, a room view). */
export function assignLanes<T extends { start: number; end: number; bufferBefore: number; bufferAfter: number }>(items: T[]): (T & { lane: number; lanes: number })[] {
  const sorted = [...items].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: (T & { lane: number; lanes: number })[] = [];
  let cluster: (T & { lane: number; lanes: number })[] = [];
  let clusterEnd = -Infinity;
  const laneEnds: number[] = [];
  const close = () => {
    const lanes = Math.max(1, ...cluster.map((c) => c.lane + 1));
    for (const c of cluster) c.lanes = lanes;
    cluster = [];
    laneEnds.length = 0;
  };
  for (const item of sorted) {
    const top = item.start - item.bufferBefore;
    const bottom = item.end + item.bufferAfter;
    if (top >= clusterEnd) close();
    let lane = laneEnds.findIndex((end) => end <= top);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = bottom;
    const placed = { ...item, lane, lanes: 1 };
    cluster.push(placed);
    out.push(placed);
    clusterEnd = Math.max(clusterEnd, bottom);
  }
  close();
  return out;
}

/** The hours the grid spans: working hours and visits, widened to whole hours (8 AM–6 PM when there are none). */
export function gridRange(dayMinutes: number, spans: { start: number; end: number }[]): { from: number; to: number } {
  if (spans.length === 0) return { from: Math.min(8 * 60, dayMinutes - 60), to: Math.min(18 * 60, dayMinutes) };
  const first = Math.min(...spans.map((s) => s.start));
  const last = Math.max(...spans.map((s) => s.end));
  return { from: Math.max(0, Math.floor(first / 60) * 60), to: Math.min(dayMinutes, Math.max(Math.ceil(last / 60) * 60, Math.floor(first / 60) * 60 + 60)) };
}

/**
 * Where a provider's column is shaded: outside their scheduled hours, time off inside them, or the
 * whole day when the location is closed. `scheduled` are the hours before time off and closures,
 * `working` after; both as instants, turned into minutes of the day from `dayStart`.
 */
export function shadesFor(range: { from: number; to: number }, dayStart: number, scheduled: Interval[], working: Interval[], closed: boolean): GridShade[] {
  if (closed) return [{ start: range.from, end: range.to, kind: "closed" }];
  const toMinutes = ([s, e]: Interval): Interval => [Math.max(range.from, (s - dayStart) / MINUTE), Math.min(range.to, (e - dayStart) / MINUTE)];
  const sched = scheduled.map(toMinutes).filter(([s, e]) => e > s);
  const work = working.map(toMinutes).filter(([s, e]) => e > s);
  const off = subtract([[range.from, range.to]], sched).map(([start, end]) => ({ start, end, kind: "off" as const }));
  const timeOff = subtract(sched, work).map(([start, end]) => ({ start, end, kind: "time_off" as const }));
  return [...off, ...timeOff].sort((a, b) => a.start - b.start);
}

/**
 * Bookable cells on the location's start-time grid inside each free interval, whole slots only.
 * `clockOf` and `labelOf` format an instant in the location's zone.
 */
export function freeCells(free: Interval[], dayStart: number, slotMinutes: number, clockOf: (instant: number) => string, labelOf: (instant: number) => string): GridCell[] {
  const cells: GridCell[] = [];
  const step = slotMinutes * MINUTE;
  for (const [s, e] of free) {
    for (let t = dayStart + Math.ceil((s - dayStart) / step) * step; t + step <= e; t += step) {
      cells.push({ start: (t - dayStart) / MINUTE, clock: clockOf(t), label: labelOf(t) });
    }
  }
  return cells;
}

/** Hour lines and their labels across the range. */
export function hourMarks(range: { from: number; to: number }, dayStart: number, labelOf: (instant: number) => string) {
  const hours: { minute: number; label: string }[] = [];
  for (let m = range.from; m < range.to; m += 60) hours.push({ minute: m, label: labelOf(dayStart + m * MINUTE) });
  return hours;
}

/** Where a pointer or key lands: a minute snapped to the slot grid, kept inside the range for a block of `length`. */
export function snapMinute(minute: number, slotMinutes: number, range: { from: number; to: number }, length = 0): number {
  const snapped = Math.round(minute / slotMinutes) * slotMinutes;
  return Math.min(Math.max(snapped, range.from), Math.max(range.from, range.to - length));
}

/** "14:30" for a minute of a uniform day (the move form's time field). */
export function clockOfMinute(minute: number): string {
  const m = ((minute % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/**
 * The grid without open cells that have passed: they are not booking links (the grid is cached;
 * the clock moves). A week's columns carry their own day's start; a day's use `dayStart`.
 */
export function withoutPassedCells(grid: DayGrid, now: number, dayStart: number | null): DayGrid {
  return { ...grid, columns: grid.columns.map((c) => ({ ...c, free: c.free.filter((cell) => (c.dayStart ?? dayStart ?? 0) + cell.start * 60_000 >= now) })) };
}
