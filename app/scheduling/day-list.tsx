import { Link } from "@remix-run/react";
import { memo, useCallback, useState } from "react";
import { SubmitOnce } from "~/components/submit-once";
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

type Updated = { id: string; status: AppointmentStatus; allowed: AppointmentStatus[] };
type RowAnswer = { updated: Updated } | { message: string };
type PendingChange = { key: string; id: string; basis: AppointmentStatus; body: FormData; action: string };
/** A row's answer, kept until the page's own data has caught up (its status moved on from `basis`). */
type Kept = { basis: AppointmentStatus; updated?: Updated; message?: string };

/**
 * A day's appointments as a list with one-tap status forms (works without JavaScript). With
 * `inPlace`, a change made with JavaScript comes back as that row's new state and only that row
 * re-renders; the page is not reloaded (issue 14). Rows don't subscribe to the router: on a
 * 1,000-visit day, each change re-renders one row, not a thousand.
 */
export function DayList({ items, redirectTo, empty, large = false, inPlace }: { items: DayListItem[]; redirectTo: string; empty: React.ReactNode; large?: boolean; /** The page whose action answers a row in place. */ inPlace?: string }) {
  const [kept, setKept] = useState<Record<string, Kept>>({});
  const [pending, setPending] = useState<PendingChange[]>([]);
  const submit = useCallback((event: React.FormEvent<HTMLFormElement>, id: string, basis: AppointmentStatus) => {
    event.preventDefault();
    const body = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    body.set(ANSWER_IN_PLACE.name, ANSWER_IN_PLACE.value);
    const action = event.currentTarget.getAttribute("action") ?? "";
    setPending((list) => [...list, { key: crypto.randomUUID(), id, basis, body, action }]);
  }, []);
  const done = useCallback((change: PendingChange, answer: RowAnswer) => {
    setPending((list) => list.filter((c) => c.key !== change.key));
    setKept((all) => ({ ...all, [change.id]: { basis: change.basis, ...answer } }));
  }, []);
  if (items.length === 0) return <EmptyState title="Nothing booked">{empty}</EmptyState>;
  const busy = new Set(pending.map((c) => c.id));
  return (
    <>
      <ul className="divide-y divide-stone-100">
        {items.map((a) => {
          const answer = inPlace ? kept[a.id] : undefined;
          const current = answer?.basis === a.status && answer.updated ? { ...a, ...answer.updated } : a;
          return (
            <Row
              key={a.id}
              item={current}
              large={large}
              redirectTo={redirectTo}
              postTo={inPlace}
              onSubmit={inPlace ? submit : undefined}
              busy={busy.has(a.id)}
              message={answer?.basis === a.status ? answer.message : undefined}
            />
          );
        })}
      </ul>
      {pending.map((change) => (
        <SubmitOnce<RowAnswer> key={change.key} body={change.body} action={change.action} onAnswer={(answer) => done(change, answer)} />
      ))}
    </>
  );
}

const Row = memo(function Row({
  item: a,
  large,
  redirectTo,
  postTo,
  onSubmit,
  busy,
  message,
}: {
  item: DayListItem;
  large: boolean;
  redirectTo: string;
  postTo?: string;
  onSubmit?: (event: React.FormEvent<HTMLFormElement>, id: string, basis: AppointmentStatus) => void;
  busy: boolean;
  message?: string;
}) {
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
      {/* Before JavaScript runs the forms post and redirect; after, a change asks for this row alone. */}
      <StatusButtons appointmentId={a.id} allowed={a.allowed} redirectTo={redirectTo} postTo={postTo} large={large} busy={busy} onSubmit={onSubmit && ((event) => onSubmit(event, a.id, a.status))} />
      {message ? (
        <p role="alert" className="mt-2 text-sm text-red-800">
          {message}
        </p>
      ) : null}
    </li>
  );
});
