import type { Permission } from "../auth/permissions";

/**
 * The patient record's sections, in the order their tabs show. A capability adds its section by
 * adding a row here and a route `_app.patients.$patientId.<path>.tsx` that renders inside the
 * record (header and tabs come from the parent route): charts, photos, invoices, packages and
 * documents arrive this way, without rewriting the page.
 */
export interface RecordSection {
  /** Path under /patients/:id ("" for the first tab). */
  path: string;
  label: string;
  /** Who sees the tab (the section's own loader checks it again). */
  needs: Permission;
}

export const RECORD_SECTIONS: readonly RecordSection[] = [
  { path: "", label: "Visits", needs: "read:patient:organization" },
  { path: "notes", label: "Notes", needs: "read:patient:organization" },
  { path: "charts", label: "Charts", needs: "read:chart:organization" },
  { path: "invoices", label: "Invoices", needs: "read:invoice:location" },
  { path: "cards", label: "Cards", needs: "read:invoice:location" },
  { path: "details", label: "Details", needs: "read:patient:organization" },
  { path: "messages", label: "Messages", needs: "read:patient:organization" },
];
