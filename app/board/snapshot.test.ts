import { describe, expect, it } from "vitest";
import { applyPatch, buildSnapshot, diffSnapshots, isStaleSnapshot, redact, shiftOf, STRAGGLER_WINDOW_MS, type BoardInput } from "./snapshot";

const MIN = 60_000;
const now = Date.UTC(2026, 11, 2, 15, 0); // 10:00 in New York
const appt = (id: string, over: Partial<BoardInput["appointments"][number]>) => ({ id, status: "confirmed", startsAt: now, endsAt: now + 30 * MIN, providerId: "p1", roomId: null, firstName: "Jordan", lastName: "Avery", service: "Botox", checkedInAt: null, ...over });
const input = (over: Partial<BoardInput> = {}): BoardInput => ({
  locationId: "loc",
  timeZone: "America/New_York",
  now,
  dataVersion: 7,
  rooms: [{ id: "r1", name: "Room 1" }, { id: "r2", name: "Room 2" }],
  roomStates: [],
  providers: [{ id: "p1", name: "Dr One", working: [[now - 60 * MIN, now + 7 * 60 * MIN]] }, { id: "p2", name: "Dr Two", working: [[now + 60 * MIN, now + 120 * MIN]] }],
  providerStates: [],
  appointments: [],
  ...over,
});

describe("board snapshot", () => {
  it("shows who is in which room since when, who waits how long, what is next, and who is late", () => {
    const snap = buildSnapshot(
      input({
        roomStates: [{ roomId: "r1", state: "occupied", appointmentId: "a1", since: now - 40 * MIN }, { roomId: "r2", state: "turnover", appointmentId: null, since: now - 5 * MIN }],
        appointments: [
          appt("a1", { status: "in_room", roomId: "r1", startsAt: now - 45 * MIN, endsAt: now - 15 * MIN }),
          appt("a2", { status: "checked_in", firstName: "Sam", lastName: "Lee", startsAt: now - 15 * MIN, checkedInAt: now - 20 * MIN }),
          appt("a3", { status: "confirmed", providerId: "p2", firstName: "Ana", lastName: "Diaz", startsAt: now - 10 * MIN }),
        ],
      }),
    );
    expect(snap.rooms.map((r) => [r.name, r.state, r.patient?.name ?? null])).toEqual([["Room 1", "occupied", "Jordan Avery"], ["Room 2", "turnover", null]]);
    const [one, two] = snap.providers;
    expect(one).toMatchObject({ state: "with_patient", onShift: true, room: "Room 1", runningLate: true, next: { patient: { name: "Sam Lee" } } });
    expect(two).toMatchObject({ state: "available", onShift: false, runningLate: false });
    expect(snap.waiting.map((w) => [w.patient.name, w.checkedInAt])).toEqual([["Sam Lee", now - 20 * MIN]]);
    expect(snap.late.map((l) => l.patient.name)).toEqual(["Ana Diaz"]);
  });

  it("diffs into a small patch that rebuilds the next snapshot exactly", () => {
    const before = buildSnapshot(input({ appointments: [appt("a1", { status: "checked_in", checkedInAt: now - MIN })] }));
    const after = buildSnapshot(input({ roomStates: [{ roomId: "r1", state: "occupied", appointmentId: "a1", since: now }], appointments: [appt("a1", { status: "in_room", roomId: "r1" })] }));
    const patch = diffSnapshots(before, after)!;
    expect(patch.rooms?.map((r) => r.id)).toEqual(["r1"]);
    expect(patch.providers?.map((p) => p.id)).toEqual(["p1"]);
    expect(patch.waiting).toEqual([]);
    expect(patch.late).toBeUndefined();
    expect(applyPatch(before, patch)).toEqual(after);
    expect(diffSnapshots(after, { ...after, generatedAt: after.generatedAt + 1 })).toBeNull();
  });

  it("redacts every patient name to initials for screens patients can see", () => {
    const snap = buildSnapshot(input({ roomStates: [{ roomId: "r1", state: "occupied", appointmentId: "a1", since: now }], appointments: [appt("a1", { status: "in_room", roomId: "r1" }), appt("a2", { status: "checked_in", firstName: "Sam", lastName: "Lee" })] }));
    const text = JSON.stringify(redact(snap));
    expect(text).not.toContain("Jordan");
    expect(text).not.toContain("Avery");
    expect(text).not.toContain("Sam Lee");
    expect(text).toContain("J.A.");
    expect(text).toContain("S.L.");
  });

  it("lists today's finished visits latest first with where each chart stands; a chart signed is a patch of that list alone, redacted for patients' screens", () => {
    const done = (id: string, endsAt: number, chart: "draft" | "signed" | null, chartSignedAt: number | null = null) => appt(id, { status: "completed", startsAt: endsAt - 30 * MIN, endsAt, chart, chartSignedAt, firstName: `P${id}`, lastName: "Quinn" });
    const before = buildSnapshot(input({ appointments: [done("a1", now - 90 * MIN, "signed", now - 80 * MIN), done("a2", now - 10 * MIN, "draft"), done("a3", now - 40 * MIN, null), appt("a4", { status: "in_room" })] }));
    expect(before.finished?.map((f) => [f.appointmentId, f.chart, f.chartSignedAt])).toEqual([["a2", "draft", null], ["a3", "none", null], ["a1", "signed", now - 80 * MIN]]);
    const after = buildSnapshot(input({ appointments: [done("a1", now - 90 * MIN, "signed", now - 80 * MIN), done("a2", now - 10 * MIN, "signed", now), done("a3", now - 40 * MIN, null), appt("a4", { status: "in_room" })] }));
    const patch = diffSnapshots(before, after)!;
    expect(Object.keys(patch).sort()).toEqual(["dataVersion", "finished", "generatedAt"]);
    expect(applyPatch(before, patch)).toEqual(after);
    // A room that still holds a snapshot from before this list existed gets it whole.
    const { finished: _none, ...old } = before;
    expect(diffSnapshots(old, after)?.finished).toHaveLength(3);
    expect(JSON.stringify(redact(after))).not.toContain("Quinn");
  });

  it("orders snapshots by data version: a late, older publish is stale; a much later lower version is a database that went back", () => {
    const held = buildSnapshot(input());
    expect(isStaleSnapshot(held, { ...held, dataVersion: 8 })).toBe(false);
    expect(isStaleSnapshot(held, { ...held, generatedAt: held.generatedAt + 1 })).toBe(false);
    expect(isStaleSnapshot(held, { ...held, generatedAt: held.generatedAt - 1 })).toBe(true);
    expect(isStaleSnapshot(held, { ...held, dataVersion: 6, generatedAt: held.generatedAt + 5 })).toBe(true);
    expect(isStaleSnapshot(held, { ...held, dataVersion: 2, generatedAt: held.generatedAt + STRAGGLER_WINDOW_MS + 1 })).toBe(false);
    // A snapshot stored before versions existed never blocks a new one.
    expect(isStaleSnapshot({ ...held, dataVersion: undefined as unknown as number }, { ...held, dataVersion: 0 })).toBe(false);
  });
});

describe("who is on shift, in one word (issue 10)", () => {
  it("says now (until when), later (from when), done for the day, or not working", () => {
    const h = 3_600_000;
    const day = [[9 * h, 12 * h], [13 * h, 17 * h]] as const;
    expect(shiftOf(day, 10 * h)).toEqual({ shift: "now", shiftEdge: 12 * h });
    expect(shiftOf(day, 12.5 * h)).toEqual({ shift: "later", shiftEdge: 13 * h });
    expect(shiftOf(day, 8 * h)).toEqual({ shift: "later", shiftEdge: 9 * h });
    expect(shiftOf(day, 18 * h)).toEqual({ shift: "done", shiftEdge: null });
    expect(shiftOf([], 10 * h)).toEqual({ shift: "off", shiftEdge: null });
  });
});
