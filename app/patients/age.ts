/**
 * Whole years between a date of birth and a calendar day (both YYYY-MM-DD): the age a person
 * would say. Someone born on 29 February turns a year older on 1 March in other years.
 */
export function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split("-").map(Number);
  const [ty, tm, td] = today.split("-").map(Number);
  let age = ty - by;
  if (tm < bm || (tm === bm && td < bd)) age -= 1;
  return Math.max(0, age);
}
