import { useEffect, useMemo, useState } from "react";
import { DEPTHS, FACE_VIEWS, type FaceView, type ProductMeasure } from "../../db/schema/charting";
import { ErrorList } from "~/components/field";
import { secondaryButtonClass } from "~/components/ui";
import { amountText, amountWithMeasure, chartTotals, parseAmount, volumeForUnits } from "./amounts";
import { FaceDiagram, POINT_COLOURS } from "./face-diagram";
import type { PointInput } from "./points";
import { ZONE_IDS, ZONES, zoneAt, zoneLabel } from "./zones";

/** A lot the chart may use, as the editor lists it. */
export interface EditorLot {
  id: string;
  productId: string;
  productName: string;
  measure: ProductMeasure;
  label: string;
  /** Toxins: units per 0.1 ml at the product's dilution, hundredths. */
  perTenthMl: number | null;
}

type Row = PointInput & { key: string };

const VIEW_LABELS: Record<FaceView, string> = { front: "Front", left: "Left profile", right: "Right profile" };
const DEPTH_LABELS: Record<(typeof DEPTHS)[number], string> = { intradermal: "Intradermal", subcutaneous: "Subcutaneous", supraperiosteal: "Supraperiosteal", intramuscular: "Intramuscular" };
const small = "min-h-11 w-full rounded-lg border border-stone-300 bg-white px-2 text-base";

const newKey = () => (typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `k${Math.random().toString(36).slice(2)}${Date.now()}`);

/**
 * The face chart and its points list, one state: a tap on the diagram adds a row, a drag moves
 * it, every row edits the same point, so keyboard and screen-reader users chart exactly what a
 * finger does. Every value is a named form input, so the form posts the whole chart with or
 * without JavaScript; without it, a blank row at the end adds a point.
 */
export function PointsEditor({ initial, lots, errors }: { initial: PointInput[]; lots: EditorLot[]; errors: Record<string, string> }) {
  const [rows, setRows] = useState<Row[]>(() => initial.map((p) => ({ ...p, key: p.id || newKey() })));
  const [history, setHistory] = useState<Row[][]>([]);
  const [view, setView] = useState<FaceView>("front");
  const [selected, setSelected] = useState<string | null>(null);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const lotById = useMemo(() => new Map(lots.map((l) => [l.id, l])), [lots]);
  const productColour = useMemo(() => {
    const order = [...new Set(lots.map((l) => l.productId))];
    return (productId: string | undefined) => POINT_COLOURS[Math.max(0, order.indexOf(productId ?? "")) % POINT_COLOURS.length];
  }, [lots]);

  const change = (next: Row[]) => {
    setHistory((h) => [...h.slice(-49), rows]);
    setRows(next);
  };
  const update = (key: string, patch: Partial<Row>) => change(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const place = (x: number, y: number) => {
    const last = rows.at(-1);
    const key = newKey();
    change([...rows, { key, id: key, view, x: String(x), y: String(y), zone: zoneAt(view, x, y), lotId: last?.lotId ?? lots[0]?.id ?? "", amount: last?.amount ?? "", depth: last?.depth ?? "", technique: last?.technique ?? "", gauge: last?.gauge ?? "" }]);
    setSelected(key);
  };
  const move = (key: string, x: number, y: number, done: boolean) => {
    const moved = (r: Row) => ({ ...r, x: String(x), y: String(y), zone: done && r.zone !== "custom" ? zoneAt((r.view as FaceView) || "front", x, y) : r.zone });
    if (done) change(rows.map((r) => (r.key === key ? moved(r) : r)));
    else setRows((current) => current.map((r) => (r.key === key ? moved(r) : r)));
  };
  const undo = () => {
    const previous = history.at(-1);
    if (!previous) return;
    setHistory((h) => h.slice(0, -1));
    setRows(previous);
  };

  const charted = rows.flatMap((r) => {
    const lot = lotById.get(r.lotId ?? "");
    const amount = parseAmount(r.amount ?? "");
    return lot && amount ? [{ zone: r.zone ?? "custom", label: r.label, productId: lot.productId, amount }] : [];
  });
  const measureOf = (productId: string) => lots.find((l) => l.productId === productId)?.measure ?? "u";
  const totals = chartTotals(charted, (id) => lots.find((l) => l.productId === id)?.productName ?? "Product");
  const diagramPoints = rows.map((r, i) => ({ key: r.key, number: i + 1, view: (r.view as FaceView) || "front", x: Number(r.x || 500), y: Number(r.y || 500), zone: r.zone ?? "custom", label: r.label, colour: productColour(lotById.get(r.lotId ?? "")?.productId) }));
  const blankIndex = rows.length;

  return (
    <div className="space-y-4">
      <div className="grid gap-4 lg:grid-cols-[minmax(0,26rem)_1fr]">
        <div>
          <div role="group" aria-label="Diagram view" className="mb-2 grid grid-cols-3 gap-1">
            {FACE_VIEWS.map((v) =>
              hydrated ? (
                <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)} className={`min-h-11 rounded-lg border px-2 text-sm font-medium ${view === v ? "border-brand-700 bg-brand-700 text-white" : "border-stone-300 bg-white text-stone-800"}`}>
                  {VIEW_LABELS[v]}
                </button>
              ) : null,
            )}
          </div>
          <FaceDiagram view={view} points={diagramPoints} onPlace={hydrated ? place : undefined} onMove={hydrated ? move : undefined} selectedKey={selected} className="mx-auto w-full max-w-[26rem]" />
          {hydrated ? (
            <div className="mt-2 flex flex-wrap gap-2">
              <button type="button" onClick={undo} disabled={!history.length} className={secondaryButtonClass}>
                Undo
              </button>
              <button type="button" onClick={() => place(500, 500)} className={secondaryButtonClass}>
                Add a point without the diagram
              </button>
            </div>
          ) : (
            <p className="mt-2 text-sm text-stone-600">Add points with the blank row at the end of the list; each is drawn at the centre of its zone.</p>
          )}
        </div>
        <Totals byZone={totals.byZone} byProduct={totals.byProduct} measureOf={measureOf} lots={lots} />
      </div>
      <ErrorList id="points-error" errors={errors.points ? [errors.points] : undefined} />
      <ol className="space-y-3" aria-label="Points">
        {rows.map((row, i) => (
          <PointRow key={row.key} index={i} row={row} lot={lotById.get(row.lotId ?? "")} lots={lots} errors={errors} hydrated={hydrated} selected={selected === row.key} onChange={(patch) => update(row.key, patch)} onRemove={() => change(rows.filter((r) => r.key !== row.key))} onFocus={() => setSelected(row.key)} colour={diagramPoints[i].colour} />
        ))}
        {!hydrated ? <PointRow index={blankIndex} row={{ key: "blank" }} lots={lots} errors={errors} hydrated={false} blank /> : null}
      </ol>
    </div>
  );
}

function PointRow({ index, row, lot, lots, errors, hydrated, selected = false, blank = false, onChange, onRemove, onFocus, colour }: { index: number; row: Row; lot?: EditorLot; lots: EditorLot[]; errors: Record<string, string>; hydrated: boolean; selected?: boolean; blank?: boolean; onChange?: (patch: Partial<Row>) => void; onRemove?: () => void; onFocus?: () => void; colour?: string }) {
  const name = (field: string) => `points[${index}].${field}`;
  const id = (field: string) => `point-${index}-${field}`;
  const err = (field: string) => errors[name(field)];
  // Controlled (the diagram and the list share one state); the server renders the same values,
  // which a browser without JavaScript edits and posts as plain inputs.
  const bind = (field: keyof PointInput) =>
    onChange ? { value: row[field] ?? "", onChange: (e: { target: { value: string } }) => onChange({ [field]: e.target.value }) } : { defaultValue: row[field] ?? "" };
  const described = (field: string) => (err(field) ? `${id(field)}-error` : undefined);
  const amount = parseAmount(row.amount ?? "");
  const draw = lot?.perTenthMl && amount ? volumeForUnits(amount, lot.perTenthMl) : null;
  const fieldBox = "min-w-0";
  const labelClass = "block text-sm font-medium text-stone-800";
  return (
    <li className={`rounded-xl border bg-white p-3 ${selected ? "border-brand-700 ring-2 ring-brand-700/30" : "border-stone-200"}`} onFocusCapture={onFocus}>
      <fieldset>
        <legend className="flex items-center gap-2 font-semibold">
          {blank ? (
            "New point"
          ) : (
            <>
              <span aria-hidden="true" className="inline-flex h-7 w-7 items-center justify-center rounded-full text-sm text-white" style={{ background: colour }}>
                {index + 1}
              </span>
              <span>
                Point {index + 1}: {zoneLabel(row.zone ?? "custom", row.label)}
              </span>
            </>
          )}
        </legend>
        {blank ? null : (
          <>
            <input type="hidden" name={name("id")} value={row.id ?? row.key} />
            <input type="hidden" name={name("x")} value={row.x ?? ""} />
            <input type="hidden" name={name("y")} value={row.y ?? ""} />
          </>
        )}
        <div className="mt-2 grid grid-cols-[repeat(auto-fit,minmax(9.5rem,1fr))] gap-2">
          <div className={fieldBox}>
            <label htmlFor={id("zone")} className={labelClass}>Zone</label>
            <select id={id("zone")} name={name("zone")} {...bind("zone")} className={small} aria-invalid={err("zone") ? true : undefined} aria-describedby={described("zone")}>
              {blank ? <option value="">Choose…</option> : null}
              {ZONE_IDS.map((z) => (
                <option key={z} value={z}>{ZONES[z]}</option>
              ))}
            </select>
            <ErrorList id={`${id("zone")}-error`} errors={err("zone") ? [err("zone")] : undefined} />
          </div>
          {row.zone === "custom" || blank || err("label") ? (
            <div className={fieldBox}>
              <label htmlFor={id("label")} className={labelClass}>Custom point name</label>
              <input id={id("label")} name={name("label")} {...bind("label")} maxLength={60} className={small} aria-invalid={err("label") ? true : undefined} aria-describedby={described("label")} />
              <ErrorList id={`${id("label")}-error`} errors={err("label") ? [err("label")] : undefined} />
            </div>
          ) : null}
          <div className={`${fieldBox} col-span-2`}>
            <label htmlFor={id("lotId")} className={labelClass}>Product and lot</label>
            <select id={id("lotId")} name={name("lotId")} {...bind("lotId")} className={small} aria-invalid={err("lotId") ? true : undefined} aria-describedby={described("lotId")}>
              <option value="">Choose…</option>
              {lots.map((l) => (
                <option key={l.id} value={l.id}>{l.label}</option>
              ))}
            </select>
            <ErrorList id={`${id("lotId")}-error`} errors={err("lotId") ? [err("lotId")] : undefined} />
          </div>
          <div className={fieldBox}>
            <label htmlFor={id("amount")} className={labelClass}>Amount{lot ? ` (${lot.measure === "u" ? "units" : lot.measure})` : ""}</label>
            <input id={id("amount")} name={name("amount")} {...bind("amount")} inputMode="decimal" autoComplete="off" maxLength={9} className={small} aria-invalid={err("amount") ? true : undefined} aria-describedby={[described("amount"), draw ? `${id("amount")}-draw` : null].filter(Boolean).join(" ") || undefined} />
            {draw ? <p id={`${id("amount")}-draw`} className="mt-1 text-sm text-stone-700">Draw {amountText(draw)} ml</p> : null}
            <ErrorList id={`${id("amount")}-error`} errors={err("amount") ? [err("amount")] : undefined} />
          </div>
          <div className={fieldBox}>
            <label htmlFor={id("view")} className={labelClass}>View</label>
            <select id={id("view")} name={name("view")} {...bind("view")} className={small}>
              {FACE_VIEWS.map((v) => (
                <option key={v} value={v}>{VIEW_LABELS[v]}</option>
              ))}
            </select>
          </div>
          <div className={fieldBox}>
            <label htmlFor={id("depth")} className={labelClass}>Depth</label>
            <select id={id("depth")} name={name("depth")} {...bind("depth")} className={small} aria-invalid={err("depth") ? true : undefined} aria-describedby={described("depth")}>
              <option value="">Not noted</option>
              {DEPTHS.map((d) => (
                <option key={d} value={d}>{DEPTH_LABELS[d]}</option>
              ))}
            </select>
            <ErrorList id={`${id("depth")}-error`} errors={err("depth") ? [err("depth")] : undefined} />
          </div>
        </div>
        {/* Less-used details fold away, so a long chart stays scannable; open when one of them has a problem. */}
        <details className="mt-2" open={Boolean(err("technique") || err("gauge") || err("notes")) || undefined}>
          <summary className="flex min-h-11 cursor-pointer items-center text-sm font-medium text-brand-800">
            Technique, gauge and notes{row.technique || row.gauge || row.notes ? `: ${[row.technique, row.gauge ? `${row.gauge}G` : null, row.notes].filter(Boolean).join(", ")}` : ""}
          </summary>
          <div className="mt-1 grid grid-cols-[repeat(auto-fit,minmax(9.5rem,1fr))] gap-2">
          <div className={fieldBox}>
              <label htmlFor={id("technique")} className={labelClass}>Technique</label>
              <select id={id("technique")} name={name("technique")} {...bind("technique")} className={small} aria-invalid={err("technique") ? true : undefined} aria-describedby={described("technique")}>
                <option value="">Not noted</option>
                <option value="needle">Needle</option>
                <option value="cannula">Cannula</option>
              </select>
              <ErrorList id={`${id("technique")}-error`} errors={err("technique") ? [err("technique")] : undefined} />
            </div>
            <div className={fieldBox}>
              <label htmlFor={id("gauge")} className={labelClass}>Gauge</label>
              <input id={id("gauge")} name={name("gauge")} {...bind("gauge")} inputMode="numeric" maxLength={2} className={small} aria-invalid={err("gauge") ? true : undefined} aria-describedby={described("gauge")} />
              <ErrorList id={`${id("gauge")}-error`} errors={err("gauge") ? [err("gauge")] : undefined} />
            </div>
            <div className={`${fieldBox} col-span-2`}>
              <label htmlFor={id("notes")} className={labelClass}>Notes</label>
              <input id={id("notes")} name={name("notes")} {...bind("notes")} maxLength={500} className={small} aria-invalid={err("notes") ? true : undefined} aria-describedby={described("notes")} />
              <ErrorList id={`${id("notes")}-error`} errors={err("notes") ? [err("notes")] : undefined} />
            </div>
          </div>
        </details>
        <ErrorList id={`${id("x")}-error`} errors={err("x") ? [err("x")] : undefined} />
        {blank ? null : hydrated ? (
          <button type="button" onClick={onRemove} className="mt-2 min-h-11 font-medium text-red-800 underline">
            Remove point {index + 1}
          </button>
        ) : (
          <label className="mt-2 flex min-h-11 items-center gap-2 text-red-800">
            <input type="checkbox" name={name("remove")} className="h-5 w-5" /> Remove this point when saving
          </label>
        )}
      </fieldset>
    </li>
  );
}

function Totals({ byZone, byProduct, measureOf, lots }: { byZone: ReturnType<typeof chartTotals>["byZone"]; byProduct: ReturnType<typeof chartTotals>["byProduct"]; measureOf: (productId: string) => ProductMeasure; lots: EditorLot[] }) {
  const dilutions = [...new Map(lots.filter((l) => l.perTenthMl).map((l) => [l.productId, l])).values()];
  return (
    <section aria-labelledby="totals-heading" className="rounded-xl border border-stone-200 bg-stone-50 p-3" aria-live="polite">
      <h3 id="totals-heading" className="font-semibold">Totals</h3>
      {byProduct.length === 0 ? (
        <p className="mt-1 text-stone-700">No points yet. Tap the face where you inject.</p>
      ) : (
        <>
          <ul className="mt-2 space-y-1">
            {byProduct.map((t) => (
              <li key={t.key} className="flex justify-between gap-2 font-semibold">
                <span>{t.label}</span>
                <span className="tabular-nums">{amountWithMeasure(t.amount, measureOf(t.key))} · {t.points} pt{t.points === 1 ? "" : "s"}</span>
              </li>
            ))}
          </ul>
          <ul className="mt-2 space-y-1 border-t border-stone-200 pt-2 text-sm">
            {byZone.map((t) => (
              <li key={t.key} className="flex justify-between gap-2">
                <span>{t.label}</span>
                <span className="tabular-nums">{amountWithMeasure(t.amount, measureOf(t.key.split(":")[2]))}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {dilutions.length ? (
        <ul className="mt-3 space-y-1 border-t border-stone-200 pt-2 text-sm text-stone-700">
          {dilutions.map((l) => (
            <li key={l.productId}>{l.productName}: {amountText(l.perTenthMl!)} u per 0.1 ml</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
