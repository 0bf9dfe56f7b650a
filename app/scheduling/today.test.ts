import { describe, expect, it } from "vitest";
import { dayCounts, utilization } from "./today";

describe("Today's counts and figures", () => {
  const at = (h: number, m = 0) => Date.UTC(2026, 11, 2, h, m);
  const rows = [
    { status: "confirmed" as const, startsAt: at(9), endsAt: at(9, 30) },
    { status: "checked_in" as const, startsAt: at(10), endsAt: at(11) },
    { status: "in_room" as const, startsAt: at(11), endsAt: at(11, 30) },
    { status: "completed" as const, startsAt: at(8), endsAt: at(8, 45) },
    { status: "no_show" as const, startsAt: at(12), endsAt: at(12, 30) },
    { status: "cancelled" as const, startsAt: at(13), endsAt: at(14) },
  ];
  it("counts booked, arrived, waiting, in a room, done and no-shows", () => {
    expect(dayCounts(rows)).toEqual({ booked: 5, arrived: 3, waiting: 1, inRoom: 1, done: 1, noShows: 1 });
  });
  it("takes utilization as held time over working time, cancellations given back", () => {
    // 30 + 60 + 30 + 45 + 30 = 195 of 480 minutes.
    expect(utilization(rows, 480)).toBe(41);
    expect(utilization(rows, 0)).toBeNull();
  });
});
