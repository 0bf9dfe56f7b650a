/**
 * A drawn signature as the server keeps it: strokes of points in a 1000×300 box, integers. The
 * tablet's signature pad (signature_pad) sends them as JSON; the server checks every number and
 * draws the SVG itself, so nothing the browser sent is ever shown as markup.
 */
export const PAD_WIDTH = 1000;
export const PAD_HEIGHT = 300;
const MAX_STROKES = 60;
const MAX_POINTS = 4000;

export type Strokes = [number, number][][];

export type StrokesResult = { ok: true; strokes: Strokes } | { ok: false; message: string };

export function readStrokes(raw: string | null | undefined): StrokesResult {
  const none: StrokesResult = { ok: false, message: "Sign in the box with a finger or stylus." };
  if (!raw || raw.length > 200_000) return raw ? { ok: false, message: "That signature is too large. Clear it and sign again." } : none;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, message: "That signature could not be read. Clear it and sign again." };
  }
  if (!Array.isArray(parsed) || parsed.length > MAX_STROKES) return { ok: false, message: "That signature could not be read. Clear it and sign again." };
  const strokes: Strokes = [];
  let points = 0;
  for (const stroke of parsed) {
    if (!Array.isArray(stroke)) return { ok: false, message: "That signature could not be read. Clear it and sign again." };
    const line: [number, number][] = [];
    for (const p of stroke) {
      if (!Array.isArray(p) || p.length !== 2 || !p.every((n) => typeof n === "number" && Number.isFinite(n))) return { ok: false, message: "That signature could not be read. Clear it and sign again." };
      const [x, y] = p as [number, number];
      if (x < 0 || x > PAD_WIDTH || y < 0 || y > PAD_HEIGHT) return { ok: false, message: "That signature goes outside the box. Clear it and sign again." };
      line.push([Math.round(x), Math.round(y)]);
    }
    points += line.length;
    if (line.length) strokes.push(line);
  }
  if (points > MAX_POINTS) return { ok: false, message: "That signature is too large. Clear it and sign again." };
  // A dot or a stray tap is not a signature: some movement across the box is.
  const xs = strokes.flat().map(([x]) => x);
  if (!strokes.length || Math.max(...xs) - Math.min(...xs) < 40) return none;
  return { ok: true, strokes };
}

/** SVG path data for the strokes (a single tap is drawn as a dot). */
export function strokesPath(strokes: Strokes): string {
  return strokes.map((line) => (line.length === 1 ? `M${line[0][0]} ${line[0][1]}h1` : `M${line.map(([x, y]) => `${x} ${y}`).join("L")}`)).join("");
}
