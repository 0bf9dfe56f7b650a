import { describe, expect, it } from "vitest";
import exifr from "exifr";
import sharp from "sharp";
import { ImageError, isHeif, sniffImage, stripImageMetadata } from "./image-metadata";

const seg = (marker: number, payload: number[]) => [0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
/** A little-endian EXIF block: orientation 6 and a GPS pointer, plus text that must not survive. */
const exif = [...ascii("Exif"), 0, 0, 0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 2, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0x25, 0x88, 4, 0, 1, 0, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, ...ascii("GPS 40.7128N 74.0060W")];

function jpeg() {
  return new Uint8Array([0xff, 0xd8, ...seg(0xe0, ascii("JFIF\0")), ...seg(0xe1, exif), ...seg(0xe1, ascii("http://ns.adobe.com/xap/1.0/ <x:xmpmeta>secret</x:xmpmeta>")), ...seg(0xfe, ascii("a comment")), ...seg(0xdb, [0, 1, 2, 3]), ...seg(0xda, [1, 2, 3]), 0x11, 0x22, 0xff, 0xd9]);
}

const chunk = (type: string, data: number[]) => [0, 0, data.length >> 8, data.length & 0xff, ...ascii(type), ...data, 0, 0, 0, 0];
function png() {
  return new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]), ...chunk("tEXt", ascii("Location\0Brooklyn")), ...chunk("eXIf", [1, 2, 3]), ...chunk("IDAT", [9, 9, 9]), ...chunk("IEND", [])]);
}
const text = (b: Uint8Array) => String.fromCharCode(...b);

describe("photos keep no metadata", () => {
  it("tells JPEG and PNG from their bytes, and nothing else", () => {
    expect(sniffImage(jpeg())).toBe("jpeg");
    expect(sniffImage(png())).toBe("png");
    expect(sniffImage(new TextEncoder().encode("<svg onload=alert(1)>"))).toBeNull();
  });

  it("drops EXIF (with GPS), XMP and comments from a JPEG, keeps its pixels and its orientation", () => {
    const out = stripImageMetadata(jpeg(), "jpeg");
    const s = text(out);
    expect(s).not.toContain("GPS");
    expect(s).not.toContain("xmpmeta");
    expect(s).not.toContain("a comment");
    expect(s).toContain("JFIF");
    // The scan and everything after it, byte for byte.
    expect([...out.subarray(out.length - 11)]).toEqual([0xff, 0xda, 0, 5, 1, 2, 3, 0x11, 0x22, 0xff, 0xd9]);
    // A minimal EXIF block with orientation 6 (rotate 90°) and nothing else.
    const at = s.indexOf("Exif");
    expect(at).toBeGreaterThan(0);
    expect([...out.subarray(at + 6, at + 6 + 26)]).toEqual([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0]);
  });

  it("drops text, EXIF and time chunks from a PNG", () => {
    const out = text(stripImageMetadata(png(), "png"));
    expect(out).not.toContain("Brooklyn");
    expect(out).not.toContain("eXIf");
    expect(out).toContain("IHDR");
    expect(out).toContain("IDAT");
    expect(out).toContain("IEND");
  });

  it("drops EXIF (with GPS) and XMP from a WebP made by libvips, which still decodes it", async () => {
    const made = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#c08080" } })
      .webp()
      .withExif({ IFD0: { Make: "Atrium test camera" } })
      .toBuffer();
    const before = new Uint8Array(made);
    expect(sniffImage(before)).toBe("webp");
    // exifr reads no WebP: the EXIF block libvips finds is parsed on its own (after "Exif\0\0").
    const exifBlock = (await sharp(before).metadata()).exif!;
    expect(await exifr.parse(exifBlock.subarray(6))).toMatchObject({ Make: "Atrium test camera" });
    const out = stripImageMetadata(before, "webp");
    expect(text(out)).not.toContain("Atrium test camera");
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(["webp", 64, 48, undefined]);
  });

  it("recognises a HEIC photo by its bytes, to say what to do about it", () => {
    const heic = new Uint8Array([0, 0, 0, 24, ...ascii("ftypheic"), 0, 0, 0, 0, ...ascii("mif1heic")]);
    expect(isHeif(heic)).toBe(true);
    expect(sniffImage(heic)).toBeNull();
    expect(isHeif(jpeg())).toBe(false);
  });

  it("refuses damaged files", () => {
    expect(() => stripImageMetadata(jpeg().subarray(0, 12), "jpeg")).toThrow(ImageError);
    expect(() => stripImageMetadata(png().subarray(0, 30), "png")).toThrow(ImageError);
    expect(() => stripImageMetadata(new Uint8Array([...ascii("RIFF"), 200, 0, 0, 0, ...ascii("WEBPVP8 ")]), "webp")).toThrow(ImageError);
  });
});
