import { useEffect, useRef, useState } from "react";
import { ErrorList } from "~/components/field";
import { secondaryButtonClass } from "~/components/ui";
import { PAD_HEIGHT, PAD_WIDTH } from "./strokes";

/**
 * The signature box. With JavaScript it is a signature pad (signature_pad: pointer events, so a
 * finger, a stylus or a mouse) whose strokes go to the server as numbers in a 1000×300 box; the
 * server draws them. Without JavaScript the typed full name above is the signature ("typed").
 */
export function SignaturePadField({ error }: { error?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [enhanced, setEnhanced] = useState(false);
  const [strokes, setStrokes] = useState("");
  const pad = useRef<{ clear(): void; toData(): { points: { x: number; y: number }[] }[]; off(): void } | null>(null);

  useEffect(() => {
    let cancelled = false;
    void import("signature_pad").then(({ default: SignaturePad }) => {
      const el = canvas.current;
      if (cancelled || !el) return;
      // Sharp on a retina tablet: draw at device pixels, measure in CSS pixels.
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      el.width = el.offsetWidth * ratio;
      el.height = el.offsetHeight * ratio;
      el.getContext("2d")!.scale(ratio, ratio);
      const instance = new SignaturePad(el, { minWidth: 1, maxWidth: 3, penColor: "#1c1917" });
      const record = () => {
        const w = el.offsetWidth || 1;
        const h = el.offsetHeight || 1;
        const data = instance.toData().map((group) => group.points.map((p) => [Math.round((p.x * PAD_WIDTH) / w), Math.round((p.y * PAD_HEIGHT) / h)]));
        setStrokes(JSON.stringify(data));
      };
      instance.addEventListener("endStroke", record);
      pad.current = instance;
      setEnhanced(true);
    });
    return () => {
      cancelled = true;
      pad.current?.off();
    };
  }, []);

  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-stone-800">Signature</legend>
      <input type="hidden" name="method" value={enhanced ? "drawn" : "typed"} />
      <input type="hidden" name="strokes" value={strokes} />
      <div className={enhanced ? "" : "hidden"}>
        <p id="pad-hint" className="mb-2 text-sm text-stone-700">Sign with your finger or a stylus in the box.</p>
        <canvas
          ref={canvas}
          aria-label="Signature box: sign with a finger or stylus"
          aria-describedby={error ? "pad-hint strokes-error" : "pad-hint"}
          className="block aspect-[10/3] w-full touch-none rounded-lg border-2 border-dashed border-stone-400 bg-white"
        />
        <button
          type="button"
          className={`${secondaryButtonClass} mt-2`}
          onClick={() => {
            pad.current?.clear();
            setStrokes("");
          }}
        >
          Clear signature
        </button>
      </div>
      {enhanced ? null : <p className="text-sm text-stone-700">Your typed full name above is your signature.</p>}
      <ErrorList id="strokes-error" errors={error ? [error] : undefined} />
    </fieldset>
  );
}
