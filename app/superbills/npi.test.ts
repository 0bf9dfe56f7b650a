import { describe, expect, it } from "vitest";
import { validNpi } from "./npi";

describe("NPI check digit", () => {
  it("accepts CMS's worked example and refuses a changed digit", () => {
    // CMS's example: 123456789 → check digit 3.
    expect(validNpi("1234567893")).toBe(true);
    expect(validNpi("1234567894")).toBe(false);
    expect(validNpi("1234567839")).toBe(false);
  });
  it("refuses anything but ten digits", () => {
    expect(validNpi("123456789")).toBe(false);
    expect(validNpi("12345678A3")).toBe(false);
  });
});
