import { Form } from "@remix-run/react";
import { Card, secondaryButtonClass } from "~/components/ui";
import type { CATEGORY_COLORS } from "../../db/schema/scheduling";

type Color = (typeof CATEGORY_COLORS)[number];

/** Literal class names (Tailwind keeps only what it finds written out). */
const SWATCH: Record<Color, { className: string; label: string }> = {
  rose: { className: "bg-rose-600", label: "Rose" },
  amber: { className: "bg-amber-600", label: "Amber" },
  lime: { className: "bg-lime-600", label: "Lime" },
  emerald: { className: "bg-emerald-600", label: "Emerald" },
  teal: { className: "bg-teal-600", label: "Teal" },
  sky: { className: "bg-sky-600", label: "Sky" },
  indigo: { className: "bg-indigo-600", label: "Indigo" },
  fuchsia: { className: "bg-fuchsia-600", label: "Fuchsia" },
};

/** One form per category: a row of colour swatches (radio buttons) and Save; works without JavaScript. */
export function CategoryColors({ categories }: { categories: { category: string; color: Color; chosen: boolean }[] }) {
  return (
    <Card title="Calendar colours">
      <p className="mb-3 text-sm text-stone-700">Each visit on the calendar has a coloured edge for its service's category. Pick the colours your team knows.</p>
      {categories.length === 0 ? (
        <p className="text-stone-600">Categories appear here once you add services.</p>
      ) : (
        <ul className="divide-y divide-stone-100">
          {categories.map((c) => (
            <li key={c.category} className="py-3">
              <Form method="post" className="flex flex-wrap items-center gap-3">
                <input type="hidden" name="intent" value="category-color" />
                <input type="hidden" name="category" value={c.category} />
                <fieldset className="flex min-w-0 grow flex-wrap items-center gap-2">
                  <legend className="mb-1 w-full font-medium">{c.category}</legend>
                  {(Object.keys(SWATCH) as Color[]).map((color) => (
                    <label key={color} className="relative inline-flex min-h-11 min-w-11 cursor-pointer items-center justify-center rounded-full" title={SWATCH[color].label}>
                      <input type="radio" name="color" value={color} defaultChecked={c.color === color} className="peer sr-only" />
                      <span aria-hidden="true" className={`h-7 w-7 rounded-full ring-offset-2 peer-checked:ring-2 peer-checked:ring-stone-900 peer-focus-visible:outline peer-focus-visible:outline-2 peer-focus-visible:outline-blue-700 ${SWATCH[color].className}`} />
                      <span className="sr-only">{SWATCH[color].label}</span>
                    </label>
                  ))}
                </fieldset>
                <button type="submit" className={secondaryButtonClass} aria-label={`Save the colour for ${c.category}`}>
                  Save
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
