/**
 * CSV as spreadsheets read it (RFC 4180, CRLF), with cells that a spreadsheet would run as a
 * formula (starting with = + - @ or a control character) prefixed with an apostrophe: a patient
 * named "=HYPERLINK(…)" must not become a link in the clinic's recall spreadsheet.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
