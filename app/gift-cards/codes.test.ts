import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALPHABET, checkCode, formatCode, generateCode, normalizeCode } from "./codes";

const body = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 15, maxLength: 15 }).map((a) => generateCode(() => Uint8Array.from(a)));

describe("gift card codes", () => {
  it("are 16 symbols that check, and read back however they are typed", () => {
    fc.assert(
      fc.property(body, (code) => {
        expect(code).toHaveLength(16);
        expect(checkCode(code)).toEqual({ ok: true, code });
        expect(checkCode(formatCode(code).toLowerCase())).toEqual({ ok: true, code });
        expect(checkCode(` ${formatCode(code)} `.replace(/0/g, "O").replace(/1/g, "l"))).toEqual({ ok: true, code });
      }),
    );
  });

  it("catch every single mistyped symbol as a typo", () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 31 }), (code, at, shift) => {
        const wrong = ALPHABET[(ALPHABET.indexOf(code[at]) + shift) % 32];
        expect(checkCode(code.slice(0, at) + wrong + code.slice(at + 1))).toEqual({ ok: false, reason: "typo" });
      }),
    );
  });

  it("catch swapped neighbours (except the pairs Luhn can't tell apart)", () => {
    let caught = 0;
    let swaps = 0;
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 14 }), (code, at) => {
        if (code[at] === code[at + 1]) return;
        swaps++;
        const swapped = code.slice(0, at) + code[at + 1] + code[at] + code.slice(at + 2);
        if (!checkCode(swapped).ok) caught++;
      }),
      { numRuns: 2000 },
    );
    expect(caught / swaps).toBeGreaterThan(0.95);
  });

  it("refuses what isn't shaped like a code", () => {
    expect(checkCode("")).toEqual({ ok: false, reason: "shape" });
    expect(checkCode("ABCD-EFGH")).toEqual({ ok: false, reason: "shape" });
    expect(checkCode("UUUU-UUUU-UUUU-UUUU")).toEqual({ ok: false, reason: "shape" });
    expect(normalizeCode("ab-cd io")).toBe("ABCD10");
  });
});
