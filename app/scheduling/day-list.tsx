import { Link } from "@remix-run/react";
import type { AppointmentStatus } from "../../db/schema/scheduling";
import { EmptyState } from "~/components/ui";
import { StatusBadge, StatusButtons } from "./status";

export interface DayListItem {
  id: string;
  status: AppointmentStatus;
  time: string;
  patient: string;
  serviceName: string;
  providerName?: string;
  allowed: AppointmentStatus[];
}

/** A day's appointments as a list with one-tap status forms (works without JavaScript). */
export function DayList({ items, redirectTo, empty, large = false }: { items: DayListItem[]; redirectTo: string; empty: React.ReactNode; large?: boolean }) {
  if (items.length === 0) return <EmptyState title="Nothing booked">{empty}</EmptyState>;
  return (
    <ul className="divide-y divide-stone-100">
      {items.map((a) => (
        <li key={a.id} className={large ? "py-4" : "py-3"}>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <span className={large ? "text-lg" : ""}>
              <span className="font-semibold">{a.time}</span>{" "}
              <Link to={`/appointments/${a.id}`} className="text-brand-800 underline">{a.patient}</Link>
            </span>
            <StatusBadge status={a.status} />
          </div>
          <p className="text-sm text-stone-700">{a.serviceName}{a.providerName ? ` · ${a.providerName}` : ""}</p>
          <StatusButtons appointmentId={a.id} allowed={a.allowed} redirectTo={redirectTo} large={large} />
        </li>
      ))}
    </ul>
  );
}
