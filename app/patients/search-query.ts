/**
 * What a typed patient search means, as a plan the database can answer from indexes
 * (docs/decisions/022-patient-search.md): a date of birth (an index on the date), or a
 * full-text query on the trigram table `patient_search` (migration 0020). Pure: no database.
 */
export type SearchPlan =
  | { kind: "all" }
  | { kind: "date_of_birth"; date: string }
  /** An FTS5 MATCH expression, and one-letter words checked on the few rows it finds. */
  | { kind: "text"; match: string; initials: string[] }
  /** Nothing an index can answer (one letter, two digits): the page asks for a little more. */
  | { kind: "too_short" };

/** Results are counted up to this many, then shown as "1,000+": a count never scans a whole clinic. */
export const SEARCH_COUNT_CAP = 1_000;

/** A double-quoted FTS5 string: quotes inside are doubled, everything else is literal. */
function ftsString(s: string) {
  return `"${s.replace(/"/g, '""')}"`;
}

/** The same folding the triggers apply to stored names: hyphens split words, apostrophes go. */
export function nameWords(s: string) {
  return s
    .toLowerCase()
    .replace(/['’]/g, "")
    .split(/[\s,-]+/)
    .filter(Boolean);
}

function dateOfBirth(q: string): string | null {
  let y: string, m: string, d: string;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(q);
  // Typed the American way (the clinic's desk): month/day/year.
  const us = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(q);
  if (iso) [, y, m, d] = iso;
  else if (us) [, m, d, y] = us;
  else return null;
  const date = `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date ? date : null;
}

export function planSearch(input: string | undefined | null): SearchPlan {
  const q = (input ?? "").trim().slice(0, 100);
  if (!q) return { kind: "all" };
  const date = dateOfBirth(q);
  if (date) return { kind: "date_of_birth", date };
  if (/^[\d\s().+-]+$/.test(q)) {
    let digits = q.replace(/\D/g, "");
    // +1 (212) 555-0142 is stored as (212) 555-0142.
    if (digits.length === 11 && digits.startsWith("1")) digits = digits.slice(1);
    return digits.length >= 3 ? { kind: "text", match: `phone_digits : ${ftsString(digits)}`, initials: [] } : { kind: "too_short" };
  }
  if (q.includes("@")) {
    // An email, or the start of one: stored after a space, so this matches from its beginning.
    return { kind: "text", match: `email : ${ftsString(` ${q.toLowerCase()}`)}`, initials: [] };
  }
  const words = nameWords(q);
  // A word is the start of a name word (or of the email): " smi" matches "Smith", not "Goldsmith".
  const indexed = words.filter((w) => w.length >= 2).map((w) => `{names email} : ${ftsString(` ${w}`)}`);
  const initials = words.filter((w) => w.length === 1);
  if (indexed.length === 0) return { kind: "too_short" };
  return { kind: "text", match: indexed.join(" AND "), initials };
}
