import { describe, expect, it } from "vitest";
import { visitFlags } from "./visit-flags";

const none = { firstVisit: false, hasNote: false, formsMissing: false, depositPaid: false, lateCancellations: 0, noShows: 0 };

describe("visit flags", () => {
  it("say what to get ready first, then the history, in the desk's words", () => {
    expect(visitFlags(none)).toEqual([]);
    expect(visitFlags({ ...none, noShows: 2, firstVisit: true, formsMissing: true, depositPaid: true, hasNote: true, lateCancellations: 1 })).toEqual(["New patient", "Forms missing", "Deposit paid", "Note", "1 late cancel", "2 no-shows"]);
  });
  it("are shorter on the calendar's blocks", () => {
    expect(visitFlags({ ...none, firstVisit: true, formsMissing: true }, { short: true })).toEqual(["New", "Forms due"]);
  });
});
