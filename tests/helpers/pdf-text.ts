import { inflateSync } from "node:zlib";

/**
 * The text drawn on a PDF's pages, for assertions: inflates each Flate stream and decodes the
 * hex strings shown by Tj (how pdf-lib writes standard-font text, Windows-1252 bytes), one line
 * per call. Enough for the PDFs Atrium makes; not a general PDF parser.
 */
export function pdfText(bytes: Uint8Array): string {
  const raw = Buffer.from(bytes);
  const latin = raw.toString("latin1");
  const chunks: string[] = [latin];
  const streams = /stream\r?\n/g;
  for (let m = streams.exec(latin); m; m = streams.exec(latin)) {
    const start = m.index + m[0].length;
    const end = latin.indexOf("endstream", start);
    if (end < 0) break;
    try {
      chunks.push(inflateSync(raw.subarray(start, end)).toString("latin1"));
    } catch {
      // Not a Flate stream (or an image): no text in it.
    }
  }
  const decoder = new TextDecoder("windows-1252");
  const lines: string[] = [];
  for (const chunk of chunks) for (const t of chunk.matchAll(/<([0-9A-Fa-f]+)> Tj/g)) lines.push(decoder.decode(Buffer.from(t[1], "hex")));
  return lines.join("\n");
}
