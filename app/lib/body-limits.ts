/**
 * How large a request body may be, by where it goes: 1 MB for forms, more only for the routes that
 * take a photo (the patient's portrait, a chart's clinical photos). Both runtime entries refuse a
 * larger body with 413 before any action reads it. Single-fetch posts add ".data" to the path.
 */
export const FORM_BODY_BYTES = 1024 * 1024;
/** Multipart framing and the form's other fields, on top of the file itself. */
const FRAMING = 64 * 1024;
export const PATIENT_PHOTO_BYTES = 8 * 1024 * 1024;
export const CHART_PHOTO_BYTES = 25 * 1024 * 1024;

const UPLOADS: [RegExp, number][] = [
  [/^\/patients\/[^/]+\/details(\.data)?$/, PATIENT_PHOTO_BYTES + FRAMING],
  [/^\/charts\/[^/]+\/photos(\.data)?$/, CHART_PHOTO_BYTES + FRAMING],
  // A tablet's outbox sends a photo taken offline to the chart's sync route (ADR 029).
  [/^\/charts\/[^/]+\/sync$/, CHART_PHOTO_BYTES + FRAMING],
];

/** Only these routes read multipart bodies (each catches one that doesn't parse); every other form is URL-encoded. */
export function takesUploads(pathname: string): boolean {
  return UPLOADS.some(([path]) => path.test(pathname));
}

export function maxBodyBytes(pathname: string): number {
  return UPLOADS.find(([path]) => path.test(pathname))?.[1] ?? FORM_BODY_BYTES;
}
