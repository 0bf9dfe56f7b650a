import { Form } from "@remix-run/react";
import { buttonClass } from "~/components/ui";
import { amountWithMeasure } from "./amounts";
import { answerName } from "./chart-form-data";
import type { PointInput } from "./points";
import type { EditorLot } from "./points-editor";
import { answerText, templateFields, type Answers, type TemplateSection } from "./template";
import { zoneLabel } from "./zones";

interface Conflict {
  revision: number;
  answers: Answers;
  points: { id: string; zone: string; label: string | null; amount: number; measure: "u" | "ml" | "each"; productName: string; lotNumber: string }[];
  updatedByName: string | null;
  mineAnswers: Answers;
  mineRows: PointInput[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const choice = "flex min-h-11 cursor-pointer items-start gap-2 rounded-lg border border-stone-300 bg-white p-3 has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50";

/**
 * The chart was saved on another device while this one edited it: each field that differs is
 * shown both ways to choose from (the points as a whole), nothing is dropped without a choice.
 * "Mine" travels in the form, so this works after a reload-free round trip without JavaScript.
 */
export function ConflictChooser({ conflict, sections, lots }: { conflict: Conflict; sections: TemplateSection[]; lots: EditorLot[] }) {
  const fields = templateFields(sections).filter((f) => !same(conflict.mineAnswers[f.id], conflict.answers[f.id]));
  const lotById = new Map(lots.map((l) => [l.id, l]));
  const mineSummary = conflict.mineRows.filter((r) => r.remove !== "on" && (r.zone || r.lotId)).map((r) => `${zoneLabel(r.zone ?? "custom", r.label)} ${r.amount ?? ""} ${lotById.get(r.lotId ?? "")?.measure ?? ""}`.trim());
  const theirSummary = conflict.points.map((p) => `${zoneLabel(p.zone, p.label)} ${amountWithMeasure(p.amount, p.measure)}`);
  const pointsDiffer = !same(mineSummary, theirSummary);
  return (
    <section aria-labelledby="conflict-heading" className="mt-4 rounded-xl border-2 border-amber-500 bg-amber-50 p-4">
      <h2 id="conflict-heading" className="text-lg font-semibold text-amber-950">Choose what to keep</h2>
      <p className="text-amber-950">{conflict.updatedByName ?? "Someone"} saved this chart on another device. Where the two differ, pick one; everything else is the same on both.</p>
      <Form method="post" className="mt-3 space-y-4">
        <input type="hidden" name="intent" value="resolve" />
        <input type="hidden" name="revision" value={conflict.revision} />
        {Object.entries(conflict.mineAnswers).flatMap(([id, a]) => (Array.isArray(a) ? a : [typeof a === "boolean" ? (a ? "yes" : "no") : String(a)]).map((v, i) => <input key={`${id}-${i}`} type="hidden" name={`mine.${answerName(id)}`} value={v} />))}
        {conflict.mineRows.flatMap((row, i) => Object.entries(row).map(([k, v]) => <input key={`${i}-${k}`} type="hidden" name={`mine.points[${i}].${k}`} value={v ?? ""} />))}
        {fields.map((f) => (
          <fieldset key={f.id}>
            <legend className="font-medium">{f.label}</legend>
            <div className="mt-1 grid gap-2 sm:grid-cols-2">
              <label className={choice}>
                <input type="radio" name={`pick.${f.id}`} value="mine" defaultChecked className="mt-1 h-5 w-5" />
                <span><span className="block text-sm font-semibold">Yours</span>{answerText(f, conflict.mineAnswers[f.id]) || "(empty)"}</span>
              </label>
              <label className={choice}>
                <input type="radio" name={`pick.${f.id}`} value="theirs" className="mt-1 h-5 w-5" />
                <span><span className="block text-sm font-semibold">Saved on the other device</span>{answerText(f, conflict.answers[f.id]) || "(empty)"}</span>
              </label>
            </div>
          </fieldset>
        ))}
        {pointsDiffer ? (
          <fieldset>
            <legend className="font-medium">Face chart points</legend>
            <div className="mt-1 grid gap-2 sm:grid-cols-2">
              <label className={choice}>
                <input type="radio" name="pick.points" value="mine" defaultChecked className="mt-1 h-5 w-5" />
                <span><span className="block text-sm font-semibold">Yours ({mineSummary.length})</span>{mineSummary.join(", ") || "(none)"}</span>
              </label>
              <label className={choice}>
                <input type="radio" name="pick.points" value="theirs" className="mt-1 h-5 w-5" />
                <span><span className="block text-sm font-semibold">Saved on the other device ({theirSummary.length})</span>{theirSummary.join(", ") || "(none)"}</span>
              </label>
            </div>
          </fieldset>
        ) : null}
        <button type="submit" className={buttonClass}>Keep these and save</button>
      </Form>
    </section>
  );
}
