import { Form } from "@remix-run/react";
import { EmptyState, secondaryButtonClass } from "~/components/ui";

export interface EntryRow {
  id: string;
  patientName?: string;
  serviceName: string;
  providerName: string | null;
  locationName: string;
  dates: string;
  status: string;
  offer: string | null;
}

const STATUS_TEXT: Record<string, string> = { waiting: "Waiting", booked: "Booked", left: "Left the list", expired: "Dates passed" };

/** Waitlist entries with their open offer and a "remove" form for those still waiting. */
export function EntryList({ rows, removeLabel, empty }: { rows: EntryRow[]; removeLabel: string; empty: string }) {
  if (!rows.length) return <EmptyState title="Nobody waiting">{empty}</EmptyState>;
  return (
    <ul className="divide-y divide-stone-200">
      {rows.map((r) => (
        <li key={r.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
          <div>
            {r.patientName ? <p className="font-semibold">{r.patientName}</p> : null}
            <p className={r.patientName ? "" : "font-semibold"}>{r.serviceName} · {r.providerName ?? "any provider"}</p>
            <p className="text-sm text-stone-700">{r.locationName} · {r.dates} · {r.offer ? `offered ${r.offer}` : STATUS_TEXT[r.status] ?? r.status}</p>
          </div>
          {r.status === "waiting" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="leave" />
              <input type="hidden" name="entryId" value={r.id} />
              <button type="submit" className={secondaryButtonClass}>{removeLabel}</button>
            </Form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
