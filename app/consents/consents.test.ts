import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readStrokes, strokesPath } from "./strokes";
import { consentText, consentTextSha256 } from "./text-hash";

describe("signature strokes", () => {
  it("refuses no strokes, a tap, markup, strokes outside the box, and too many points", () => {
    expect(readStrokes("")).toEqual({ ok: false, message: "Sign in the box with a finger or stylus." });
    expect(readStrokes("[]").ok).toBe(false);
    expect(readStrokes("[[[500,150]]]").ok).toBe(false);
    expect(readStrokes("[[[100,100],[120,102]]]").ok).toBe(false);
    expect(readStrokes("<svg onload=alert(1)>")).toMatchObject({ ok: false, message: /could not be read/ });
    expect(readStrokes('[[["1","2"],[3,4]]]').ok).toBe(false);
    expect(readStrokes("[[[0,0],[1001,0]]]")).toMatchObject({ ok: false, message: /outside the box/ });
    expect(readStrokes(JSON.stringify([Array.from({ length: 4001 }, (_, i) => [i % 1000, 10])]))).toMatchObject({ ok: false, message: /too large/ });
  });

  it("keeps real strokes as integers and draws them as path data, a dot for a tap", () => {
    const read = readStrokes("[[[10.4,20.6],[300,150]],[[500,100]]]");
    expect(read).toEqual({ ok: true, strokes: [[[10, 21], [300, 150]], [[500, 100]]] });
    if (read.ok) expect(strokesPath(read.strokes)).toBe("M10 21L300 150M500 100h1");
  });

  it("only ever yields numbers in the box, whatever it is sent (so its SVG can't carry markup)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const read = readStrokes(JSON.stringify(value));
        if (read.ok) expect(/^[MLh0-9 ]*$/.test(strokesPath(read.strokes))).toBe(true);
      }),
    );
  });
});

describe("consent text fingerprint", () => {
  it("is the SHA-256 of the title, a blank line and the body, whatever the line endings", async () => {
    expect(consentText(" Title ", "Line one\r\nLine two\n")).toBe("Title\n\nLine one\nLine two");
    const a = await consentTextSha256("Title", "Body text\r\n\r\nMore");
    expect(a).toBe(await consentTextSha256("Title", "Body text\n\nMore"));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(await consentTextSha256("Title", "Body text\n\nMore."));
  });
});
