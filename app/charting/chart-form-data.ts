import type { PointInput } from "./points";

/** Form names of a chart's answers: one per field, several values for multiple choice. */
export const answerName = (fieldId: string) => `answer.${fieldId}`;

const POINT_FIELDS = ["id", "view", "x", "y", "zone", "label", "lotId", "amount", "depth", "technique", "gauge", "notes", "remove"] as const;
const POINT_NAME = /^points\[(\d{1,3})\]\.(\w+)$/;

/**
 * The points table as the form sent it (`points[3].amount` …), in row order. Works the same for
 * a form posted without JavaScript, an enhanced one and an offline save replayed later.
 */
export function pointRowsFrom(form: FormData | URLSearchParams): PointInput[] {
  const rows: PointInput[] = [];
  for (const [name, value] of form.entries()) {
    const match = POINT_NAME.exec(name);
    if (!match || typeof value !== "string") continue;
    const [, index, field] = match;
    if (!(POINT_FIELDS as readonly string[]).includes(field)) continue;
    const i = Number(index);
    if (i > 400) continue;
    (rows[i] ??= {})[field as keyof PointInput] = value.slice(0, 600);
  }
  return Array.from(rows, (row) => row ?? {});
}

/** The submitted values of one answer field. */
export function answerValues(form: FormData | URLSearchParams, fieldId: string): string[] {
  return form
    .getAll(answerName(fieldId))
    .filter((v): v is string => typeof v === "string")
    .map((v) => v.slice(0, 10_001));
}
