import { z } from "zod";

/**
 * Chart templates: sections of typed fields, stored per version as JSON
 * (chart_template_versions.sections). An encounter keeps the version it started on, so a
 * manager's later edit never changes what an old chart asked or shows.
 */
export const FIELD_TYPES = ["text", "long_text", "number", "choice", "multi_choice", "yes_no", "date"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FIELD_TYPE_LABELS: Record<FieldType, string> = {
  text: "Short text",
  long_text: "Long text",
  number: "Number with unit",
  choice: "Single choice",
  multi_choice: "Multiple choice",
  yes_no: "Yes / no",
  date: "Date",
};

const FieldSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  label: z.string().min(1).max(120),
  type: z.enum(FIELD_TYPES),
  unit: z.string().max(16).optional(),
  options: z.array(z.string().min(1).max(80)).max(30).optional(),
  required: z.boolean().optional(),
  /** Whether the patient may see this answer in their portal and copy of the chart. */
  patientVisible: z.boolean().optional(),
});
export type TemplateField = z.infer<typeof FieldSchema>;

export const SectionsSchema = z
  .array(z.object({ title: z.string().min(1).max(80), fields: z.array(FieldSchema).min(1).max(40) }))
  .min(1)
  .max(20)
  .superRefine((sections, ctx) => {
    const seen = new Set<string>();
    for (const field of sections.flatMap((s) => s.fields)) {
      if (seen.has(field.id)) ctx.addIssue({ code: "custom", message: `Two fields share the id "${field.id}".` });
      seen.add(field.id);
      if ((field.type === "choice" || field.type === "multi_choice") && !field.options?.length) ctx.addIssue({ code: "custom", message: `"${field.label}" needs at least one option.` });
    }
  });
export type TemplateSection = z.infer<typeof SectionsSchema>[number];

export type Answer = string | number | boolean | string[];
export type Answers = Record<string, Answer>;

export function templateFields(sections: TemplateSection[]) {
  return sections.flatMap((s) => s.fields);
}

export function parseSections(json: string): TemplateSection[] {
  return SectionsSchema.parse(JSON.parse(json));
}

const MAX_TEXT = { text: 500, long_text: 10_000 } as const;

/**
 * Reads a field's answer from what a form (or a replayed offline save) sent: `raw` holds the
 * submitted strings for that field (several for multiple choice). Returns the typed answer, or
 * an error in plain words; an empty answer is `undefined` (drafts may be incomplete).
 */
export function readAnswer(field: TemplateField, raw: string[]): { value?: Answer; error?: string } {
  const values = raw.map((v) => v.trim()).filter(Boolean);
  if (field.type === "multi_choice") {
    const unknown = values.find((v) => !field.options?.includes(v));
    if (unknown) return { error: `"${unknown}" is not one of the choices.` };
    return values.length ? { value: [...new Set(values)] } : {};
  }
  const [value] = values;
  if (value === undefined) return {};
  if (values.length > 1) return { error: "Give one answer." };
  switch (field.type) {
    case "text":
    case "long_text":
      return value.length > MAX_TEXT[field.type] ? { error: `Keep this under ${MAX_TEXT[field.type].toLocaleString("en-US")} characters.` } : { value };
    case "number": {
      if (!/^-?\d{1,7}(\.\d{1,3})?$/.test(value)) return { error: "Enter a number, like 12 or 2.5." };
      return { value: Number(value) };
    }
    case "choice":
      return field.options?.includes(value) ? { value } : { error: `"${value}" is not one of the choices.` };
    case "yes_no":
      if (value === "yes") return { value: true };
      if (value === "no") return { value: false };
      return { error: "Answer yes or no." };
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value) ? { value } : { error: "Enter a real date." };
  }
}

/** Every field's answer from a form, with field-level errors keyed by field id. */
export function readAnswers(sections: TemplateSection[], get: (fieldId: string) => string[]) {
  const answers: Answers = {};
  const errors: Record<string, string> = {};
  for (const field of templateFields(sections)) {
    const { value, error } = readAnswer(field, get(field.id));
    if (error) errors[field.id] = error;
    else if (value !== undefined) answers[field.id] = value;
  }
  return { answers, errors };
}

/** The fields a template requires that this chart leaves empty (signing needs them). */
export function missingRequired(sections: TemplateSection[], answers: Answers) {
  return templateFields(sections).filter((f) => f.required && (answers[f.id] === undefined || (Array.isArray(answers[f.id]) && !(answers[f.id] as string[]).length)));
}

/** An answer as a person reads it. */
export function answerText(field: TemplateField, answer: Answer | undefined): string {
  if (answer === undefined) return "";
  if (Array.isArray(answer)) return answer.join(", ");
  if (typeof answer === "boolean") return answer ? "Yes" : "No";
  if (typeof answer === "number") return field.unit ? `${answer} ${field.unit}` : String(answer);
  return answer;
}

/** Only what a template marks visible to patients, for their portal and copy. */
export function patientVisibleAnswers(sections: TemplateSection[], answers: Answers): Answers {
  const visible: Answers = {};
  for (const field of templateFields(sections)) if (field.patientVisible && answers[field.id] !== undefined) visible[field.id] = answers[field.id];
  return visible;
}
