import { useEffect, useId, useMemo, useRef, useState } from "react";
import type { DayGrid } from "./day-grid";
import { buttonClass, inputClass, secondaryButtonClass } from "../components/ui";

/** A move or new length for one visit, as the day view's action reads it (`slot` is the new start instant). */
export interface MoveRequest {
  appointmentId: string;
  providerId: string;
  slot: number;
  minutes?: number;
  /** Set when the server refused it for a rule the desk may override. */
  refusal?: string;
}

/** A visit on the grid as the dialog needs it, read from the grid's markup. */
export interface BlockInfo {
  id: string;
  columnId: string;
  start: number;
  end: number;
  patient: string;
  /** "9:00 AM–9:30 AM · Neurotoxin" */
  summary: string;
}

export function readBlock(root: HTMLElement | null | undefined, id: string): BlockInfo | null {
  const el = root?.querySelector<HTMLElement>(`[data-appointment="${CSS.escape(id)}"]`);
  const column = el?.closest<HTMLElement>("[data-column]");
  if (!el || !column) return null;
  const start = Number(el.dataset.start);
  return {
    id,
    columnId: column.dataset.column!,
    start,
    end: start + Number(el.dataset.length),
    patient: el.querySelector(".gp")?.textContent ?? "",
    summary: el.querySelector(".gl")?.textContent ?? "",
  };
}

/**
 * The keyboard's way to do what dragging does (issue 10): a new time, provider or length for a
 * visit on the day shown. It also asks for the reason when a move breaks a rule the desk may
 * override. A modal `<dialog>`: focus moves into it, Escape closes it and focus goes back.
 */
export function MoveDialog({
  block,
  providers,
  providerId,
  grid,
  dayStart,
  timeZone,
  override,
  onClose,
  onSubmit,
}: {
  block: BlockInfo;
  providers: { id: string; name: string }[];
  /** Who the visit stays with when no provider list is offered (room and week grids). */
  providerId: string;
  grid: Pick<DayGrid, "from" | "to" | "slotMinutes">;
  dayStart: number;
  timeZone: string;
  override?: MoveRequest;
  onClose: () => void;
  onSubmit: (move: MoveRequest, reason?: string) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const length = block.end - block.start;
  const [minutes, setMinutes] = useState(length);
  const returnFocus = useRef<Element | null>(null);
  useEffect(() => {
    returnFocus.current = document.activeElement;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => (returnFocus.current as HTMLElement | null)?.focus?.();
  }, []);
  const timeLabel = useMemo(() => new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit" }), [timeZone]);
  const starts = useMemo(() => {
    const out: number[] = [];
    for (let m = grid.from; m + grid.slotMinutes <= grid.to; m += grid.slotMinutes) out.push(m);
    return out;
  }, [grid.from, grid.to, grid.slotMinutes]);
  const title = override ? "Move outside the usual rules?" : `Move ${block.patient}`;
  return (
    <dialog ref={ref} aria-labelledby={`${id}-title`} className="w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-stone-300 p-0 shadow-xl backdrop:bg-black/30" onClose={onClose} onCancel={onClose}>
      <form
        method="dialog"
        className="space-y-4 p-5"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          if (override) return onSubmit(override, String(form.get("reason") ?? ""));
          const start = Number(form.get("start"));
          const newLength = Number(form.get("minutes"));
          onSubmit({ appointmentId: block.id, providerId: String(form.get("providerId") ?? providerId), slot: dayStart + start * 60_000, minutes: newLength !== length ? newLength : undefined });
        }}
      >
        <h2 id={`${id}-title`} className="text-lg font-semibold">{title}</h2>
        {override ? (
          <>
            <p className="text-sm text-stone-800">{override.refusal} The desk can still make this change with a reason, recorded in the visit's history.</p>
            <div>
              <label htmlFor={`${id}-reason`} className="text-sm font-medium">Reason</label>
              <textarea id={`${id}-reason`} name="reason" required minLength={3} maxLength={200} rows={2} className={inputClass} autoFocus />
            </div>
          </>
        ) : (
          <>
            <p className="text-sm text-stone-700">Now {block.summary}</p>
            {providers.length ? (
              <div>
                <label htmlFor={`${id}-provider`} className="text-sm font-medium">Provider</label>
                <select id={`${id}-provider`} name="providerId" defaultValue={providerId} className={inputClass}>
                  {providers.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
                </select>
              </div>
            ) : null}
            <div>
              <label htmlFor={`${id}-start`} className="text-sm font-medium">Starts at</label>
              <select id={`${id}-start`} name="start" defaultValue={block.start} className={inputClass} autoFocus>
                {starts.map((m) => <option key={m} value={m}>{timeLabel.format(dayStart + m * 60_000)}</option>)}
              </select>
            </div>
            <div>
              <label htmlFor={`${id}-minutes`} className="text-sm font-medium">Length in minutes</label>
              <input id={`${id}-minutes`} name="minutes" type="number" min={5} max={720} step={5} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} className={inputClass} />
            </div>
          </>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" className={secondaryButtonClass} onClick={() => ref.current?.close()}>Cancel</button>
          <button type="submit" className={buttonClass}>{override ? "Move anyway" : "Save"}</button>
        </div>
      </form>
    </dialog>
  );
}
