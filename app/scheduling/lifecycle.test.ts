import { describe, expect, it } from "vitest";
import { canTransition, durationWords, earlyCheckInMinutes, nextStatuses, withinSelfServiceCutoff } from "./lifecycle";

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

describe("early check-in", () => {
  const now = Date.UTC(2026, 11, 2, 15);
  it("asks only when the visit is more than an hour away", () => {
    expect(earlyCheckInMinutes(now + 60 * 60_000, now)).toBeNull();
    expect(earlyCheckInMinutes(now + 61 * 60_000, now)).toBe(61);
    expect(earlyCheckInMinutes(now - 10 * 60_000, now)).toBeNull();
  });
  it("says how far ahead in words", () => {
    expect(durationWords(130)).toBe("2 h 10 min");
    expect(durationWords(120)).toBe("2 h");
    expect(durationWords(45)).toBe("45 min");
    expect(durationWords(3 * 1440)).toBe("3 days");
  });
});
