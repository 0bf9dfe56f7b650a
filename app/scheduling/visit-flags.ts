/** What a visit's row needs for its flags: the calendar's blocks and Today's timeline show the same. */
export interface FlagInputs {
  firstVisit: boolean;
  hasNote: boolean;
  formsMissing: boolean;
  depositPaid: boolean;
  lateCancellations: number;
  noShows: number;
}

/** The flags a visit shows, in the words the desk uses: what to get ready first, then the history. */
export function visitFlags(a: FlagInputs): string[] {
  return [
    a.firstVisit ? "New patient" : null,
    a.formsMissing ? "Forms missing" : null,
    a.depositPaid ? "Deposit paid" : null,
    a.hasNote ? "Note" : null,
    a.lateCancellations ? `${a.lateCancellations} late cancel${a.lateCancellations > 1 ? "s" : ""}` : null,
    a.noShows ? `${a.noShows} no-show${a.noShows > 1 ? "s" : ""}` : null,
  ].filter((f): f is string => f !== null);
}
