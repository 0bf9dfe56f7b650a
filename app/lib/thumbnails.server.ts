/**
 * Making a small preview of a photo, behind a seam like storage's: libvips (sharp) on Node, the
 * Cloudflare Images binding in a Worker (which has no image codecs of its own). Both take the
 * already stripped bytes and give a JPEG whose longer side is at most `size`, turned upright by the
 * orientation the stripped file kept, plus the full image's dimensions. ADR 027.
 */
export interface Thumbnail {
  bytes: Uint8Array;
  /** The full image, as it stands upright. */
  width: number;
  height: number;
}

export interface Thumbnailer {
  /**
   * Null when the bytes do not decode as an image. (An answer, not an exception: the Node entry
   * makes its thumbnailer outside the Remix build, so an error class would be two classes.)
   */
  thumbnail(bytes: Uint8Array, size: number): Promise<Thumbnail | null>;
}

/** The Images binding's documented surface (developers.cloudflare.com/images/transform-images/bindings). */
interface ImagesBindingLike {
  info(stream: ReadableStream<Uint8Array>): Promise<{ format: string; fileSize: number; width?: number; height?: number }>;
  input(stream: ReadableStream<Uint8Array>): {
    transform(options: { width?: number; height?: number; fit?: string }): {
      output(options: { format: string; quality?: number }): Promise<{ response(): Response }>;
    };
  };
}

const streamOf = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();

export function createImagesBindingThumbnailer(images: ImagesBindingLike): Thumbnailer {
  return {
    async thumbnail(bytes, size) {
      try {
        const info = await images.info(streamOf(bytes));
        const result = await images.input(streamOf(bytes)).transform({ width: size, height: size, fit: "scale-down" }).output({ format: "image/jpeg", quality: 80 });
        const out = new Uint8Array(await result.response().arrayBuffer());
        return { bytes: out, width: info.width ?? 0, height: info.height ?? 0 };
      } catch {
        return null;
      }
    },
  };
}
