import sharp from "sharp";
import type { Thumbnailer } from "./thumbnails.server";

/** Pixels past this are refused before decoding (a "decompression bomb"); a 12 MP camera makes 12. */
export const MAX_INPUT_PIXELS = 50_000_000;

/**
 * libvips on Node: shrink-on-load decodes a JPEG straight at a fraction of its size, so a
 * 12-megapixel photo becomes a preview in tens of milliseconds. Imported only by the Node entry.
 */
export function createSharpThumbnailer(): Thumbnailer {
  return {
    async thumbnail(bytes, size) {
      try {
        const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" });
        const meta = await image.metadata();
        const { data } = await image.rotate().resize(size, size, { fit: "inside", withoutEnlargement: true }).jpeg({ quality: 80, mozjpeg: false }).toBuffer({ resolveWithObject: true });
        // Orientations 5–8 turn the picture a quarter: its upright width is the stored height.
        const turned = (meta.orientation ?? 1) >= 5;
        return { bytes: new Uint8Array(data), width: (turned ? meta.height : meta.width) ?? 0, height: (turned ? meta.width : meta.height) ?? 0 };
      } catch {
        // libvips refuses a damaged, truncated or oversized image.
        return null;
      }
    },
  };
}
