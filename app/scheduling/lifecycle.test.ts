import { describe, expect, it } from "vitest";
import { canTransition, nextStatuses, withinSelfServiceCutoff } from "./lifecycle";

const appt = { providerId: "prov-1", patientUserId: "pat-1" };

describe("appointment lifecycle", () => {
  it("lets the front desk run the day", () => {
    const desk = { userId: "d", role: "front_desk" as const };
    expect(nextStatuses("requested", desk, appt).sort()).toEqual(["cancelled", "confirmed"]);
    expect(canTransition("confirmed", "checked_in", desk, appt)).toBe(true);
    expect(canTransition("completed", "cancelled", desk, appt)).toBe(false);
    expect(canTransition("no_show", "confirmed", desk, appt)).toBe(false);
    expect(canTransition("no_show", "confirmed", { userId: "m", role: "manager" }, appt)).toBe(true);
  });

  it("lets providers move only their own patients", () => {
    expect(canTransition("checked_in", "in_room", { userId: "prov-1", role: "provider" }, appt)).toBe(true);
    expect(canTransition("in_room", "completed", { userId: "prov-1", role: "provider" }, appt)).toBe(true);
    expect(canTransition("checked_in", "in_room", { userId: "prov-2", role: "provider" }, appt)).toBe(false);
    expect(canTransition("confirmed", "checked_in", { userId: "prov-1", role: "provider" }, appt)).toBe(false);
  });

  it("lets patients cancel only their own visits", () => {
    expect(canTransition("confirmed", "cancelled", { userId: "pat-1", role: "patient" }, appt)).toBe(true);
    expect(canTransition("confirmed", "cancelled", { userId: "pat-2", role: "patient" }, appt)).toBe(false);
    expect(canTransition("checked_in", "cancelled", { userId: "pat-1", role: "patient" }, appt)).toBe(false);
  });

  it("knows the self-service cut-off", () => {
    const now = Date.UTC(2026, 10, 21, 12);
    expect(withinSelfServiceCutoff(now + 23 * 3600_000, now, 24)).toBe(true);
    expect(withinSelfServiceCutoff(now + 25 * 3600_000, now, 24)).toBe(false);
  });
});
