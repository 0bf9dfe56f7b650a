/**
 * Photos of patients keep no metadata: EXIF (with GPS position, device, time), XMP, IPTC and
 * comments are dropped from the bytes before anything is stored, on Node and in a Worker alike (no
 * image library there). Pixels are not re-encoded. A JPEG's orientation is kept as a minimal EXIF
 * block holding that one tag, so a portrait taken on a phone stands upright.
 */
export type ImageKind = "jpeg" | "png" | "webp";

export const IMAGE_CONTENT_TYPES: Record<ImageKind, string> = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };
export const IMAGE_EXTENSIONS: Record<ImageKind, string> = { jpeg: "jpg", png: "png", webp: "webp" };

/** The real type, from the bytes (never from the name or the browser's claim). */
export function sniffImage(bytes: Uint8Array): ImageKind | null {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length > 8 && png.every((b, i) => bytes[i] === b)) return "png";
  if (bytes.length > 16 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  return null;
}

/** HEIC/HEIF (an iPhone's own format): recognised only to say what to do about it. */
export function isHeif(bytes: Uint8Array): boolean {
  return bytes.length > 12 && ascii(bytes, 4, 8) === "ftyp" && ["heic", "heix", "heim", "heis", "hevc", "mif1", "msf1"].includes(ascii(bytes, 8, 12));
}

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

export class ImageError extends Error {}

/** The same image without its metadata. Throws ImageError for bytes that aren't a well-formed image of `kind`. */
export function stripImageMetadata(bytes: Uint8Array, kind: ImageKind): Uint8Array {
  return kind === "jpeg" ? stripJpeg(bytes) : kind === "png" ? stripPng(bytes) : stripWebp(bytes);
}

function stripJpeg(b: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [b.subarray(0, 2)];
  let orientation: number | null = null;
  let i = 2;
  for (;;) {
    if (i + 4 > b.length || b[i] !== 0xff) throw new ImageError("That JPEG file is damaged.");
    const marker = b[i + 1];
    // Start of scan: the compressed pixels follow, to the end of the file, unchanged.
    if (marker === 0xda) {
      if (orientation && orientation !== 1) out.splice(1, 0, orientationSegment(orientation));
      out.push(b.subarray(i));
      break;
    }
    const length = (b[i + 2] << 8) | b[i + 3];
    if (length < 2 || i + 2 + length > b.length) throw new ImageError("That JPEG file is damaged.");
    const segment = b.subarray(i, i + 2 + length);
    if (marker === 0xe1) orientation ??= readOrientation(segment.subarray(4));
    // APP1–APP13 and APP15 (EXIF, XMP, IPTC, maker data) and comments go; APP0 (JFIF), APP14
    // (Adobe colour transform), tables and frame headers stay.
    const metadata = (marker >= 0xe1 && marker <= 0xed) || marker === 0xef || marker === 0xfe;
    if (!metadata) out.push(segment);
    i += 2 + length;
  }
  return concat(out);
}

/** Orientation (tag 0x0112) from an APP1 EXIF payload, if present. */
function readOrientation(p: Uint8Array): number | null {
  if (p.length < 14 || String.fromCharCode(...p.subarray(0, 4)) !== "Exif") return null;
  const t = p.subarray(6);
  const little = t[0] === 0x49;
  const u16 = (o: number) => (little ? t[o] | (t[o + 1] << 8) : (t[o] << 8) | t[o + 1]);
  const u32 = (o: number) => (little ? (t[o] | (t[o + 1] << 8) | (t[o + 2] << 16)) + t[o + 3] * 2 ** 24 : t[o] * 2 ** 24 + ((t[o + 1] << 16) | (t[o + 2] << 8) | t[o + 3]));
  const ifd = u32(4);
  if (ifd + 2 > t.length) return null;
  const count = u16(ifd);
  for (let e = 0; e < count; e++) {
    const at = ifd + 2 + e * 12;
    if (at + 12 > t.length) return null;
    if (u16(at) === 0x0112) {
      const value = u16(at + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

/** APP1 with an EXIF block holding only the orientation (big-endian TIFF, one IFD entry). */
function orientationSegment(orientation: number): Uint8Array {
  const tiff = [0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0];
  const payload = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  const length = payload.length + 2;
  return new Uint8Array([0xff, 0xe1, length >> 8, length & 0xff, ...payload]);
}

/** PNG: text chunks, EXIF and the modification time go; image and colour chunks stay. */
function stripPng(b: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [b.subarray(0, 8)];
  const drop = new Set(["tEXt", "zTXt", "iTXt", "eXIf", "tIME"]);
  let i = 8;
  let ended = false;
  while (i + 12 <= b.length) {
    const length = ((b[i] << 24) >>> 0) + ((b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]);
    const type = String.fromCharCode(...b.subarray(i + 4, i + 8));
    const end = i + 12 + length;
    if (end > b.length) throw new ImageError("That PNG file is damaged.");
    if (!drop.has(type)) out.push(b.subarray(i, end));
    i = end;
    if (type === "IEND") {
      ended = true;
      break;
    }
  }
  if (!ended) throw new ImageError("That PNG file is damaged.");
  return concat(out);
}

/**
 * WebP (RIFF): the EXIF and XMP chunks go, and the extended header (VP8X) stops announcing them;
 * the image, alpha, animation and colour profile chunks stay. The RIFF size is written anew.
 */
function stripWebp(b: Uint8Array): Uint8Array {
  const u32 = (o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 2 ** 24;
  const riffEnd = 8 + u32(4);
  if (riffEnd > b.length) throw new ImageError("That WebP file is damaged.");
  const out: Uint8Array[] = [];
  let i = 12;
  let image = false;
  while (i + 8 <= riffEnd) {
    const type = ascii(b, i, i + 4);
    const size = u32(i + 4);
    // Chunks are padded to an even length.
    const end = i + 8 + size + (size & 1);
    if (end > riffEnd + (size & 1)) throw new ImageError("That WebP file is damaged.");
    if (type === "VP8 " || type === "VP8L" || type === "ANIM") image = true;
    if (type === "VP8X") {
      const chunk = b.slice(i, Math.min(end, b.length));
      // Flags: 0x08 EXIF present, 0x04 XMP present.
      chunk[8] &= ~(0x08 | 0x04);
      out.push(chunk);
    } else if (type !== "EXIF" && type !== "XMP ") {
      out.push(b.subarray(i, Math.min(end, b.length)));
    }
    i = end;
  }
  if (!image) throw new ImageError("That WebP file is damaged.");
  const body = concat(out);
  const size = body.length + 4;
  const header = new Uint8Array([0x52, 0x49, 0x46, 0x46, size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff, (size >>> 24) & 0xff, 0x57, 0x45, 0x42, 0x50]);
  return concat([header, body]);
}

function concat(parts: Uint8Array[]) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
