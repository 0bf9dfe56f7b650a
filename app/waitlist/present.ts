import { formatDateTime, formatShortDate } from "../scheduling/format";
import type { EntryRow } from "./entry-list";

/** Entries as the lists show them; an open offer is shown in the location's zone. */
export function presentEntries(rows: { id: string; patientName: string; serviceName: string; providerName: string | null; locationName: string; timeZone: string; fromDate: string; toDate: string; status: string; offer: { startsAt: Date } | null }[], withPatient: boolean): EntryRow[] {
  return rows.map((r) => ({
    id: r.id,
    patientName: withPatient ? r.patientName : undefined,
    serviceName: r.serviceName,
    providerName: r.providerName,
    locationName: r.locationName,
    dates: r.fromDate === r.toDate ? formatShortDate(r.fromDate) : `${formatShortDate(r.fromDate)} – ${formatShortDate(r.toDate)}`,
    status: r.status,
    offer: r.offer ? formatDateTime(r.offer.startsAt.getTime(), r.timeZone) : null,
  }));
}
