import sharp from "sharp";

/** Where the tablet's camera says it was: the clinic's street corner, which must never be stored. */
export const GPS = { latitude: 40.7536, longitude: -73.9832 };

const made = new Map<string, Promise<Uint8Array>>();

/**
 * A photo as a tablet's camera writes it: a JPEG of `width`×`height` pixels of skin-like texture
 * (so it compresses like a real photo, a few MB at 12 MP), with EXIF naming the device and GPS
 * position. Made once per size per run.
 */
export function cameraJpeg(width = 4000, height = 3000): Promise<Uint8Array> {
  const key = `${width}x${height}`;
  let photo = made.get(key);
  if (!photo) {
    photo = (async () => {
      const texture = await sharp({ create: { width, height, channels: 3, background: "#000", noise: { type: "gaussian", mean: 150, sigma: 28 } } })
        .blur(0.7)
        .raw()
        .toBuffer();
      const jpeg = await sharp(texture, { raw: { width, height, channels: 3 } })
        .tint("#d8a890")
        .jpeg({ quality: 88 })
        .withExif({
          IFD0: { Make: "Apple", Model: "iPad Pro (12.9-inch)", DateTime: "2026:12:02 10:14:03" },
          IFD3: { GPSLatitudeRef: "N", GPSLatitude: "40/1 45/1 1297/100", GPSLongitudeRef: "W", GPSLongitude: "73/1 58/1 5952/100" },
        })
        .toBuffer();
      return new Uint8Array(jpeg);
    })();
    made.set(key, photo);
  }
  return photo;
}

/**
 * The chart's photo form as the tablet posts it (multipart): a fresh client id, before and front
 * unless `fields` say otherwise, and the file (none when `photo` is null).
 */
export function photoForm(photo: { bytes: Uint8Array; name?: string; type?: string } | null, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries({ clientId: crypto.randomUUID(), stage: "before", angle: "front", ...fields })) form.set(k, v);
  if (photo) form.set("photo", new File([photo.bytes as Uint8Array<ArrayBuffer>], photo.name ?? "IMG_0412.JPG", { type: photo.type ?? "image/jpeg" }));
  return form;
}
