/** What a visit's row needs for its flags: the calendar's blocks and Today's timeline show the same. */
export interface FlagInputs {
  firstVisit: boolean;
  hasNote: boolean;
  formsMissing: boolean;
  depositPaid: boolean;
  lateCancellations: number;
  noShows: number;
}

/**
 * The flags a visit shows, in the words the desk uses: what to get ready first, then the history.
 * `short` is for the calendar's blocks, where a column beside its "Check in" button leaves about
 * 120 px of text on a tablet: "New" for a new patient, "Forms due" for forms missing.
 */
export function visitFlags(a: FlagInputs, { short = false } = {}): string[] {
  return [
    a.firstVisit ? (short ? "New" : "New patient") : null,
    a.formsMissing ? (short ? "Forms due" : "Forms missing") : null,
    a.depositPaid ? "Deposit paid" : null,
    a.hasNote ? "Note" : null,
    a.lateCancellations ? `${a.lateCancellations} late cancel${a.lateCancellations > 1 ? "s" : ""}` : null,
    a.noShows ? `${a.noShows} no-show${a.noShows > 1 ? "s" : ""}` : null,
  ].filter((f): f is string => f !== null);
}

/** Flags that are good news (shown in green, not the warning red). */
export const GOOD_FLAGS: ReadonlySet<string> = new Set(["Deposit paid"]);
