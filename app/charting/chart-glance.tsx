import { secondaryButtonClass } from "~/components/ui";

export interface GlanceItem {
  kind: "allergy" | "medication" | "condition" | "contraindication";
  name: string;
  detail: string | null;
  severity: string | null;
  alert: boolean;
}

const HEADINGS = { allergy: "Allergies", contraindication: "Contraindications", medication: "Medications", condition: "Medical history" } as const;

/**
 * What a provider needs beside the chart: the patient's allergies, medications and history from
 * their record, and the last treatments of the same kind, with "copy from last visit".
 */
export function ChartGlance({ health, last, canCopy, formId }: { health: GlanceItem[]; last: { encounterId: string; when: string; summary: string }[]; canCopy: boolean; formId: string }) {
  return (
    <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-1">
      <section aria-labelledby="glance-health" className="rounded-xl border border-stone-200 bg-white p-4">
        <h2 id="glance-health" className="font-semibold">At a glance</h2>
        {(Object.keys(HEADINGS) as GlanceItem["kind"][]).map((kind) => {
          const items = health.filter((h) => h.kind === kind);
          return (
            <div key={kind} className="mt-3">
              <h3 className="text-sm font-semibold text-stone-700">{HEADINGS[kind]}</h3>
              {items.length === 0 ? (
                <p className="text-sm text-stone-600">{kind === "allergy" ? "No known allergies recorded." : "None recorded."}</p>
              ) : (
                <ul className="mt-1 space-y-1">
                  {items.map((h) => (
                    <li key={`${h.kind}-${h.name}`} className={`rounded-md px-2 py-1 text-sm ${h.kind === "allergy" || h.kind === "contraindication" ? "bg-red-50 text-red-900" : h.alert ? "bg-amber-50 text-amber-950" : "text-stone-800"}`}>
                      <span className="font-medium">{h.name}</span>
                      {h.severity ? ` · ${h.severity}` : ""}
                      {h.detail ? ` · ${h.detail}` : ""}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          );
        })}
      </section>
      <section aria-labelledby="glance-last" className="rounded-xl border border-stone-200 bg-white p-4">
        <h2 id="glance-last" className="font-semibold">Last treatments of this kind</h2>
        {last.length === 0 ? (
          <p className="mt-1 text-sm text-stone-600">No earlier signed chart of this kind.</p>
        ) : (
          <ul className="mt-2 space-y-2">
            {last.map((t) => (
              <li key={t.encounterId} className="text-sm">
                <span className="font-semibold">{t.when}:</span> {t.summary || "no points charted"}
              </li>
            ))}
          </ul>
        )}
        {canCopy && last.length ? (
          <button type="submit" form={formId} name="intent" value="copy-last" className={`${secondaryButtonClass} mt-3 w-full`}>
            Copy from last visit
          </button>
        ) : null}
      </section>
    </div>
  );
}
