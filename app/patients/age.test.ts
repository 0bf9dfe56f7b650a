import { describe, expect, it } from "vitest";
import { ageOn } from "./age";

describe("ageOn", () => {
  it("counts whole years, turning on the birthday", () => {
    expect(ageOn("1986-04-12", "2026-04-11")).toBe(39);
    expect(ageOn("1986-04-12", "2026-04-12")).toBe(40);
    expect(ageOn("1986-04-12", "2026-12-02")).toBe(40);
  });
  it("turns a leap-day birthday on 1 March in other years", () => {
    expect(ageOn("2000-02-29", "2025-02-28")).toBe(24);
    expect(ageOn("2000-02-29", "2025-03-01")).toBe(25);
    expect(ageOn("2000-02-29", "2024-02-29")).toBe(24);
  });
  it("never goes below zero", () => {
    expect(ageOn("2026-12-01", "2026-12-02")).toBe(0);
  });
});
