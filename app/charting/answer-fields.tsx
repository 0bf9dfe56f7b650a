import { ErrorList } from "~/components/field";
import { inputClass } from "~/components/ui";
import { answerName } from "./chart-form-data";
import type { TemplateField, TemplateSection } from "./template";

/** What each field shows: the answers as sent (after a refused save) or as stored. */
export type AnswerDefaults = Record<string, string[]>;

const pill = "flex min-h-11 cursor-pointer items-center gap-2 rounded-lg border border-stone-300 bg-white px-3 has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50";

/** A chart template's sections as form fields, each typed as the template says, with its error. */
export function AnswerFields({ sections, defaults, errors, disabled = false }: { sections: TemplateSection[]; defaults: AnswerDefaults; errors: Record<string, string>; disabled?: boolean }) {
  return (
    <div className="space-y-6">
      {sections.map((section) => (
        <fieldset key={section.title} className="space-y-4" disabled={disabled}>
          <legend className="text-base font-semibold text-stone-900">{section.title}</legend>
          {section.fields.map((field) => (
            <AnswerField key={field.id} field={field} values={defaults[field.id] ?? []} error={errors[answerName(field.id)]} />
          ))}
        </fieldset>
      ))}
    </div>
  );
}

function AnswerField({ field, values, error }: { field: TemplateField; values: string[]; error?: string }) {
  const id = `answer-${field.id}`;
  const errorId = `${id}-error`;
  const described = error ? errorId : undefined;
  const label = (
    <>
      {field.label}
      {field.required ? <span className="text-stone-600"> (required to sign)</span> : null}
      {field.patientVisible ? <span className="ml-2 rounded bg-sky-50 px-1.5 py-0.5 text-xs font-medium text-sky-900">Patient sees this</span> : null}
    </>
  );
  const name = answerName(field.id);
  const first = values[0] ?? "";
  if (field.type === "choice" || field.type === "multi_choice" || field.type === "yes_no") {
    const options = field.type === "yes_no" ? [["yes", "Yes"], ["no", "No"]] : (field.options ?? []).map((o) => [o, o]);
    const multi = field.type === "multi_choice";
    return (
      <fieldset aria-describedby={described}>
        <legend className="text-sm font-medium text-stone-800">{label}</legend>
        <div className="mt-1 flex flex-wrap gap-2">
          {options.map(([value, text]) => (
            <label key={value} className={pill}>
              <input type={multi ? "checkbox" : "radio"} name={name} value={value} defaultChecked={values.includes(value)} className="h-5 w-5" />
              {text}
            </label>
          ))}
        </div>
        <ErrorList id={errorId} errors={error ? [error] : undefined} />
      </fieldset>
    );
  }
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      {field.type === "long_text" ? (
        <textarea id={id} name={name} defaultValue={first} rows={3} maxLength={10_000} className={inputClass} aria-invalid={error ? true : undefined} aria-describedby={described} />
      ) : (
        <div className="flex items-center gap-2">
          <input
            id={id}
            name={name}
            defaultValue={first}
            type={field.type === "date" ? "date" : "text"}
            inputMode={field.type === "number" ? "decimal" : undefined}
            maxLength={field.type === "text" ? 500 : 40}
            className={inputClass}
            aria-invalid={error ? true : undefined}
            aria-describedby={described}
          />
          {field.unit ? <span className="shrink-0 text-stone-700">{field.unit}</span> : null}
        </div>
      )}
      <ErrorList id={errorId} errors={error ? [error] : undefined} />
    </div>
  );
}
