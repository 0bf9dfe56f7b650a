import { describe, expect, it } from "vitest";
import { cardExpired, expiresAt, expiresThisMonth, expiryLabel } from "./cards";

describe("card expiry", () => {
  const card = { expMonth: 4, expYear: 2027 };
  it("is good through the last day of its month and expired from the first of the next", () => {
    expect(expiresAt(card).toISOString()).toBe("2027-05-01T00:00:00.000Z");
    expect(cardExpired(card, new Date("2027-04-30T23:59:59Z"))).toBe(false);
    expect(cardExpired(card, new Date("2027-05-01T00:00:00Z"))).toBe(true);
  });
  it("December rolls into the next year", () => {
    expect(expiresAt({ expMonth: 12, expYear: 2026 }).toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(cardExpired({ expMonth: 12, expYear: 2026 }, new Date("2026-12-31T12:00:00Z"))).toBe(false);
  });
  it("asks for a new card only within the expiry month", () => {
    expect(expiresThisMonth(card, new Date("2027-03-31T23:00:00Z"))).toBe(false);
    expect(expiresThisMonth(card, new Date("2027-04-01T00:00:00Z"))).toBe(true);
    expect(expiresThisMonth(card, new Date("2027-05-02T00:00:00Z"))).toBe(false);
  });
  it("prints as on the card", () => expect(expiryLabel(card)).toBe("04/27"));
});
