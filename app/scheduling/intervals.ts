/** Half-open intervals [start, end) of epoch ms, kept sorted and non-overlapping. */
export type Interval = readonly [number, number];

export function normalize(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export function subtract(from: Interval[], remove: Interval[]): Interval[] {
  if (remove.length === 0) return from;
  const cut = normalize(remove);
  const out: Interval[] = [];
  for (const [s, e] of from) {
    let cursor = s;
    for (const [rs, re] of cut) {
      if (re <= cursor) continue;
      if (rs >= e) break;
      if (rs > cursor) out.push([cursor, rs]);
      cursor = Math.max(cursor, re);
      if (cursor >= e) break;
    }
    if (cursor < e) out.push([cursor, e]);
  }
  return out;
}

/** Whether [start, end) overlaps any interval of a normalized list (binary search). */
export function overlapsAny(list: Interval[], start: number, end: number): boolean {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid][1] <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo < list.length && list[lo][0] < end;
}

/**
 * Normalized intervals as two arrays of numbers: no object per interval, so a window holding
 * 100,000 bookings costs the garbage collector next to nothing (issue 14: with one pair per
 * booking, a 90-day, 200-provider window spent a quarter of its time collecting them).
 */
export interface TimeList {
  starts: number[];
  ends: number[];
}

/** A TimeList from [start, end) pairs given as parallel arrays, merged where they touch. */
export function timeList(starts: number[], ends: number[]): TimeList {
  let order: number[] | null = null;
  for (let i = 1; i < starts.length; i++) {
    if (starts[i - 1] > starts[i]) {
      order = starts.map((_, k) => k).sort((a, b) => starts[a] - starts[b]);
      break;
    }
  }
  const out: TimeList = { starts: [], ends: [] };
  for (let k = 0; k < starts.length; k++) {
    const i = order ? order[k] : k;
    const s = starts[i];
    const e = ends[i];
    if (e <= s) continue;
    const last = out.ends.length - 1;
    if (last >= 0 && s <= out.ends[last]) out.ends[last] = Math.max(out.ends[last], e);
    else {
      out.starts.push(s);
      out.ends.push(e);
    }
  }
  return out;
}

/** The part of a TimeList that can overlap [start, end): indices [from, to). */
export function rangeWithin(list: TimeList, start: number, end: number): [number, number] {
  let lo = 0;
  let hi = list.ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list.ends[mid] <= start) lo = mid + 1;
    else hi = mid;
  }
  let to = lo;
  let top = list.starts.length;
  while (to < top) {
    const mid = (to + top) >> 1;
    if (list.starts[mid] < end) to = mid + 1;
    else top = mid;
  }
  return [lo, to];
}

/** Whether [start, end) overlaps an interval of list[from, to) (binary search). */
export function overlapsWithin(list: TimeList, start: number, end: number, from: number, to: number): boolean {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list.ends[mid] <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo < to && list.starts[lo] < end;
}
