/** On the clinical photography consent: how the patient agrees their photographs may be used (recorded with the signature). */
export function PhotoUseField() {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-stone-800">How my photographs may be used</legend>
      <div className="mt-1 grid gap-2">
        {[
          ["clinical", "Only in my clinical record"],
          ["marketing", "Also for teaching and the clinic's marketing (my separate written permission)"],
        ].map(([value, label]) => (
          <label key={value} className="flex min-h-11 items-center gap-3 rounded-lg border border-stone-300 px-3 py-2">
            <input type="radio" name="photoUse" value={value} defaultChecked={value === "clinical"} className="h-5 w-5 shrink-0" /> {label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export const PHOTO_USE_LABEL = { clinical: "Clinical record only: not for teaching or marketing", marketing: "Clinical record, teaching and marketing" } as const;
