import { Link, useFetcher } from "@remix-run/react";
import { ANSWER_IN_PLACE } from "~/lib/answer-in-place";
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

/**
 * A day's appointments as a list with one-tap status forms (works without JavaScript). With
 * `inPlace`, a change made with JavaScript comes back as that row's new state and only the row
 * re-renders; the page is not reloaded (issue 14).
 */
export function DayList({ items, redirectTo, empty, large = false, inPlace = false }: { items: DayListItem[]; redirectTo: string; empty: React.ReactNode; large?: boolean; inPlace?: boolean }) {
  if (items.length === 0) return <EmptyState title="Nothing booked">{empty}</EmptyState>;
  return (
    <ul className="divide-y divide-stone-100">
      {items.map((a) =>
        inPlace ? (
          // Keyed by status too: when the page's own data catches up, the row starts afresh from it.
          <InPlaceRow key={`${a.id}:${a.status}`} item={a} redirectTo={redirectTo} large={large} />
        ) : (
          <Row key={a.id} item={a} large={large}>
            <StatusButtons appointmentId={a.id} allowed={a.allowed} redirectTo={redirectTo} large={large} />
          </Row>
        ),
      )}
    </ul>
  );
}

function Row({ item: a, large, children }: { item: DayListItem; large: boolean; children: React.ReactNode }) {
  return (
    <li className={large ? "py-4" : "py-3"}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className={large ? "text-lg" : ""}>
          <span className="font-semibold">{a.time}</span>{" "}
          <Link to={`/appointments/${a.id}`} className="text-brand-800 underline">{a.patient}</Link>
        </span>
        <StatusBadge status={a.status} />
      </div>
      <p className="text-sm text-stone-700">{a.serviceName}{a.providerName ? ` · ${a.providerName}` : ""}</p>
      {children}
    </li>
  );
}

type RowAnswer = { updated: { id: string; status: AppointmentStatus; allowed: AppointmentStatus[] } } | { message: string };

function InPlaceRow({ item, redirectTo, large }: { item: DayListItem; redirectTo: string; large: boolean }) {
  const fetcher = useFetcher<RowAnswer>();
  const answer = fetcher.data;
  const current = answer && "updated" in answer ? { ...item, ...answer.updated } : item;
  // Before JavaScript runs the form posts and redirects; after, it asks for the row alone.
  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    body.set(ANSWER_IN_PLACE.name, ANSWER_IN_PLACE.value);
    fetcher.submit(body, { method: "post", action: event.currentTarget.getAttribute("action") ?? undefined });
  };
  return (
    <Row item={current} large={large}>
      <StatusButtons appointmentId={item.id} allowed={current.allowed} redirectTo={redirectTo} large={large} onSubmit={onSubmit} busy={fetcher.state !== "idle"} />
      {answer && "message" in answer ? (
        <p role="alert" className="mt-2 text-sm text-red-800">
          {answer.message}
        </p>
      ) : null}
    </Row>
  );
}
