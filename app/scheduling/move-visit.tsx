import { Form } from "@remix-run/react";
import { Notice, buttonClass, inputClass, secondaryButtonClass } from "~/components/ui";
import type { MovePickerData } from "./move.server";

/**
 * Move a visit: pick a day (and provider) with a GET form, then one of the open times with a
 * POST. Staff can also move outside availability with a reason. Works without JavaScript.
 */
export function MoveVisit({ move, staff, result }: { move: MovePickerData; staff: boolean; result?: { ok: boolean; message?: string; alternatives?: string[] } | null }) {
  if (move.blocked) return <Notice tone="info">{move.blocked}</Notice>;
  return (
    <div className="space-y-4">
      {result && !result.ok ? (
        <Notice tone="error">
          {result.message}
          {result.alternatives?.length ? ` Nearest open times: ${result.alternatives.join(", ")}.` : ""}
        </Notice>
      ) : null}
      <Form method="get" className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="move-date" className="block text-sm font-medium">Day</label>
          <input id="move-date" type="date" name="moveDate" defaultValue={move.date} min={move.today} max={move.maxDate} className={inputClass} />
        </div>
        <div>
          <label htmlFor="move-provider" className="block text-sm font-medium">Provider</label>
          <select id="move-provider" name="moveProvider" defaultValue={move.provider} className={inputClass}>
            <option value="any">Any provider</option>
            {move.providers.map((p) => (
              <option key={p.id} value={p.id}>{p.name}</option>
            ))}
          </select>
        </div>
        <button type="submit" className={secondaryButtonClass}>Show times</button>
      </Form>
      <Form method="post" className="space-y-3">
        <input type="hidden" name="intent" value="move" />
        <input type="hidden" name="providerId" value={move.provider} />
        <fieldset>
          <legend className="text-sm font-medium">Open times on {move.dateLabel}</legend>
          {move.slots.length === 0 ? (
            <p className="mt-1 text-sm text-stone-700">No open times that day. Try another day or provider.</p>
          ) : (
            <div className="mt-2 grid grid-cols-3 gap-2 sm:grid-cols-4">
              {move.slots.map((s) => (
                <label key={s.start} className="flex min-h-11 cursor-pointer items-center justify-center gap-1 rounded-lg border border-stone-300 px-2 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
                  <input type="radio" name="slot" value={s.start} required className="accent-brand-700" />
                  {s.label}
                </label>
              ))}
            </div>
          )}
        </fieldset>
        {move.slots.length ? <button type="submit" className={buttonClass}>Move visit</button> : null}
      </Form>
      {staff ? (
        <details className="rounded-lg border border-stone-200 p-3">
          <summary className="cursor-pointer font-medium">Move outside availability</summary>
          <Form method="post" className="mt-3 grid gap-3 sm:grid-cols-2">
            <input type="hidden" name="intent" value="move" />
            <input type="hidden" name="override" value="on" />
            <div>
              <label htmlFor="override-date" className="block text-sm font-medium">Day</label>
              <input id="override-date" type="date" name="date" required defaultValue={move.date} className={inputClass} />
            </div>
            <div>
              <label htmlFor="override-time" className="block text-sm font-medium">Time</label>
              <input id="override-time" type="time" name="time" required className={inputClass} />
            </div>
            <div>
              <label htmlFor="override-provider" className="block text-sm font-medium">Provider</label>
              <select id="override-provider" name="providerId" required defaultValue={move.provider === "any" ? "" : move.provider} className={inputClass}>
                <option value="" disabled>Choose…</option>
                {move.providers.map((p) => (
                  <option key={p.id} value={p.id}>{p.name}</option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="override-reason" className="block text-sm font-medium">Reason</label>
              <input id="override-reason" name="reason" required minLength={3} maxLength={200} className={inputClass} />
            </div>
            <p className="text-sm text-stone-700 sm:col-span-2">Never over another appointment. The reason is kept in the visit's history.</p>
            <button type="submit" className={`${secondaryButtonClass} sm:col-span-2`}>Move outside availability</button>
          </Form>
        </details>
      ) : null}
    </div>
  );
}
