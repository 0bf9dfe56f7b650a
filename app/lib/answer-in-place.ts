import type { ShouldRevalidateFunctionArgs } from "@remix-run/react";

/**
 * A status change made with JavaScript asks for an answer in place: the action answers with only
 * what changed (one card, one row) instead of redirecting to the whole page again (issue 14: a
 * check-in on a 1,000-visit day sent 603 KB). Without JavaScript the field is never sent, and the
 * form posts and redirects as always.
 */
export const ANSWER_IN_PLACE = { name: "respond", value: "in-place" } as const;

export function wantsAnswerInPlace(form: FormData) {
  return form.get(ANSWER_IN_PLACE.name) === ANSWER_IN_PLACE.value;
}

/**
 * Pages showing the changed thing skip reloading when the action answered in place: with the
 * changed thing, or with a question that changed nothing yet ("check in anyway?", issue 10).
 */
export function unlessAnsweredInPlace({ formData, actionResult, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  const answered = formData?.get(ANSWER_IN_PLACE.name) === ANSWER_IN_PLACE.value && typeof actionResult === "object" && actionResult !== null && ("updated" in actionResult || "confirm" in actionResult);
  return answered ? false : defaultShouldRevalidate;
}
