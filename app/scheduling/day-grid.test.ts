import { describe, expect, it } from "vitest";
import { assignLanes, freeCells, gridRange, hourMarks, shadesFor, snapMinute } from "./day-grid";
import { localDay } from "./local-time";
import { formatClock24, formatTimeOnDay } from "./format";

const visit = (start: number, end: number, bufferBefore = 0, bufferAfter = 0) => ({ start, end, bufferBefore, bufferAfter });

describe("the day grid's model (issue 10)", () => {
  it("puts overlapping visits side by side and keeps the rest full width", () => {
    const [a, b, c, d] = assignLanes([visit(540, 570), visit(555, 600), visit(600, 630, 0, 10), visit(640, 660)]);
    expect([a.lane, a.lanes, b.lane, b.lanes]).toEqual([0, 2, 1, 2]);
    expect([c.lane, c.lanes]).toEqual([0, 1]);
    // A buffer counts as taken space: d starts inside c's buffer.
    expect([d.lane, d.lanes]).toEqual([0, 1]);
    const [e, f] = assignLanes([visit(600, 630, 0, 15), visit(640, 660)]);
    expect([e.lanes, f.lane, f.lanes]).toEqual([2, 1, 2]);
  });

  it("spans whole hours around working hours and visits, and 8 to 6 on an empty day", () => {
    expect(gridRange(1440, [])).toEqual({ from: 480, to: 1080 });
    expect(gridRange(1440, [{ start: 555, end: 1010 }, { start: 1200, end: 1230 }])).toEqual({ from: 540, to: 1260 });
    expect(gridRange(1380, [{ start: 0, end: 1380 }])).toEqual({ from: 0, to: 1380 });
  });

  it("shades off hours, time off inside the hours, and a closed day whole", () => {
    const day = Date.UTC(2026, 11, 7);
    const at = (m: number) => day + m * 60_000;
    const range = { from: 480, to: 1080 };
    expect(shadesFor(range, day, [[at(540), at(1020)]], [[at(540), at(720)], [at(780), at(1020)]], false)).toEqual([
      { start: 480, end: 540, kind: "off" },
      { start: 720, end: 780, kind: "time_off" },
      { start: 1020, end: 1080, kind: "off" },
    ]);
    expect(shadesFor(range, day, [[at(540), at(1020)]], [[at(540), at(1020)]], true)).toEqual([{ start: 480, end: 1080, kind: "closed" }]);
  });

  it("offers whole cells on the location's grid, labelled in its zone, on a clock-change day too", () => {
    const zone = "America/New_York";
    const day = localDay(zone, "2026-11-01"); // clocks go back at 2:00: a 25-hour day
    const at = (m: number) => day.start + m * 60_000;
    const cells = freeCells([[at(547), at(610)]], day.start, 15, (t) => formatClock24(t, zone), (t) => formatTimeOnDay(t, zone, day));
    expect(cells.map((c) => c.start)).toEqual([555, 570, 585]);
    // 555 minutes after midnight on a 25-hour day is 8:15 on the clock.
    expect(cells[0].clock).toBe("08:15");
    expect(cells[0].label).toBe("8:15 AM");
    expect(hourMarks({ from: 60, to: 180 }, day.start, (t) => formatTimeOnDay(t, zone, day)).map((h) => h.label)).toEqual(["1:00 AM", "1:00 AM"]);
  });

  it("snaps a drop to the start-time grid inside the day shown", () => {
    const range = { from: 540, to: 1020 };
    expect(snapMinute(607, 15, range)).toBe(600);
    expect(snapMinute(608, 15, range)).toBe(615);
    expect(snapMinute(400, 15, range)).toBe(540);
    expect(snapMinute(1010, 15, range, 30)).toBe(990);
  });
});
