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
