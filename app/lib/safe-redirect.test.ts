import { describe, expect, it } from "vitest";
import { SafeRedirectSchema } from "../auth/schemas";
import { safeRedirectPath } from "./safe-redirect";

// Known open-redirect bypasses (OWASP cheat sheet, PortSwigger's list, browser URL quirks).
const REFUSED = [
  "//evil.example",
  "///evil.example",
  "////evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "/%09/evil.example",
  "/\u0000/evil.example",
  "/\u007f/evil.example",
  "/ /evil.example",
  "https://evil.example",
  "http:evil.example",
  "javascript:alert(1)",
  "data:text/html,hi",
  "evil.example",
  " /today",
  "/%2F%2Fevil.example",
  "/%5Cevil.example",
  "/.//evil.example",
  "/..//evil.example",
  "/\u3000/evil.example",
  "",
  "x".repeat(600),
];

const ACCEPTED: [string, string][] = [
  ["/today", "/today"],
  ["/patients?q=a", "/patients?q=a"],
  ["/schedule?date=2026-12-02&view=week", "/schedule?date=2026-12-02&view=week"],
  ["/book/lumen#times", "/book/lumen#times"],
];

describe("redirect targets", () => {
  it.each(REFUSED.map((v) => [JSON.stringify(v), v]))("refuses %s", (_, value) => {
    expect(safeRedirectPath(value)).toBeNull();
    expect(SafeRedirectSchema.parse(value)).toBeUndefined();
  });
  it.each(ACCEPTED)("keeps %s", (value, expected) => {
    expect(safeRedirectPath(value)).toBe(expected);
    expect(SafeRedirectSchema.parse(value)).toBe(expected);
  });
});
