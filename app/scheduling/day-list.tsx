import { ChartBadge, ChartLink } from "~/charting/chart-link";
import { Link } from "@remix-run/react";
import { memo, useCallback, useState } from "react";
import { SubmitOnce } from "~/components/submit-once";
import { ANSWER_IN_PLACE } from "~/lib/answer-in-place";
import type { AppointmentStatus } from "../../db/schema/scheduling";
import { EmptyState } from "~/components/ui";
import { ConfirmEarlyCheckIn, primaryNext, StatusBadge, StatusButtons } from "./status";

export interface DayListItem {
  id: string;
  status: AppointmentStatus;
  time: string;
  /** The visit's start (ms): where the timeline's "now" line falls. */
  startsAt?: number;
  patient: string;
  patientId?: string;
  serviceName: string;
  providerName?: string;
  /** Short flags shown beside the patient ("New patient"). */
  flags?: string[];
  allowed: AppointmentStatus[];
  /** The visit's chart, if started ("chart signed" shows to everyone; links only where charts are read). */
  chart?: { id: string; status: "draft" | "signed" } | null;
}

type Updated = { id: string; status: AppointmentStatus; allowed: AppointmentStatus[] };
type RowAnswer = { updated: Updated } | { message: string; confirm?: { appointmentId: string } };
type PendingChange = { key: string; id: string; basis: AppointmentStatus; body: FormData; action: string };
/** A row's answer, kept until the page's own data has caught up (its status moved on from `basis`). */
type Kept = { basis: AppointmentStatus; updated?: Updated; message?: string; confirm?: boolean };

/**
 * A day's appointments as a list with one-tap status forms (works without JavaScript). With
 * `inPlace`, a change made with JavaScript comes back as that row's new state and only that row
 * re-renders; the page is not reloaded (issue 14). Rows don't subscribe to the router: on a
 * 1,000-visit day, each change re-renders one row, not a thousand.
 */
export function DayList({
  items,
  redirectTo,
  empty,
  large = false,
  inPlace,
  timeline,
  charting = false,
}: {
  items: DayListItem[];
  redirectTo: string;
  empty: React.ReactNode;
  large?: boolean;
  /** The page whose action answers a row in place. */
  inPlace?: string;
  /** Today's timeline: one next step per visit, times down the side, a line at `now`. */
  timeline?: { now: number };
  /** My day: each visit's chart can be started or opened from its row. */
  charting?: boolean;
}) {
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
    setKept((all) => ({ ...all, [change.id]: "updated" in answer ? { basis: change.basis, updated: answer.updated } : { basis: change.basis, message: answer.message, confirm: Boolean(answer.confirm) } }));
  }, []);
  if (items.length === 0) return <EmptyState title="Nothing booked">{empty}</EmptyState>;
  const busy = new Set(pending.map((c) => c.id));
  // The "now" line goes before the first visit that starts after now.
  const nowAt = timeline ? items.findIndex((a) => (a.startsAt ?? 0) > timeline.now) : -1;
  return (
    <>
      <ul className={timeline ? "relative" : "divide-y divide-stone-100"}>
        {items.map((a, i) => {
          const answer = inPlace ? kept[a.id] : undefined;
          const current = answer?.basis === a.status && answer.updated ? { ...a, ...answer.updated } : a;
          const row = (
            <Row
              key={a.id}
              item={current}
              large={large}
              redirectTo={redirectTo}
              postTo={inPlace}
              onSubmit={inPlace ? submit : undefined}
              busy={busy.has(a.id)}
              message={answer?.basis === a.status ? answer.message : undefined}
              confirmEarly={answer?.basis === a.status && Boolean(answer.confirm)}
              oneStep={Boolean(timeline)}
              charting={charting}
            />
          );
          return i === nowAt ? [<NowLine key="now" />, row] : row;
        })}
        {timeline && nowAt === -1 && items.length ? <NowLine /> : null}
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
  confirmEarly,
  oneStep,
  charting,
}: {
  item: DayListItem;
  large: boolean;
  redirectTo: string;
  postTo?: string;
  onSubmit?: (event: React.FormEvent<HTMLFormElement>, id: string, basis: AppointmentStatus) => void;
  busy: boolean;
  message?: string;
  confirmEarly: boolean;
  oneStep: boolean;
  charting: boolean;
}) {
  const submitHere = onSubmit && ((event: React.FormEvent<HTMLFormElement>) => onSubmit(event, a.id, a.status));
  const answer = message ? (
    confirmEarly ? (
      <div className="mt-2">
        <ConfirmEarlyCheckIn appointmentId={a.id} message={message} redirectTo={redirectTo} postTo={postTo} onSubmit={submitHere} />
      </div>
    ) : (
      <p role="alert" className="mt-2 text-sm text-red-800">
        {message}
      </p>
    )
  ) : null;
  if (oneStep) {
    const next = primaryNext(a.status, a.allowed);
    return (
      <li className="grid grid-cols-[4.5rem_1fr] gap-x-3 border-b border-stone-100 py-3 last:border-b-0 sm:grid-cols-[5.5rem_1fr_auto]">
        <span className="pt-0.5 font-semibold tabular-nums text-stone-900">{a.time}</span>
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <Link to={a.patientId ? `/patients/${a.patientId}` : `/appointments/${a.id}`} className="font-medium text-brand-800 underline">
              {a.patient}
            </Link>
            <StatusBadge status={a.status} />
            <ChartBadge chart={a.chart} />
            {a.flags?.map((f) => (
              <span key={f} className="rounded bg-stone-100 px-1.5 py-0.5 text-xs font-medium text-stone-700">
                {f}
              </span>
            ))}
          </p>
          <p className="text-sm text-stone-700">
            {a.serviceName}
            {a.providerName ? ` · ${a.providerName}` : ""}
          </p>
          {answer}
        </div>
        <div className="col-start-2 mt-2 flex items-center gap-2 sm:col-start-3 sm:mt-0 sm:justify-end">
          {next ? <StatusButtons appointmentId={a.id} allowed={[next]} redirectTo={redirectTo} postTo={postTo} busy={busy} onSubmit={submitHere} bare /> : null}
          <Link to={`/appointments/${a.id}`} className="inline-flex min-h-11 items-center px-2 text-sm font-medium text-stone-700 underline" aria-label={`More for ${a.patient} at ${a.time}`}>
            More
          </Link>
        </div>
      </li>
    );
  }
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
      <StatusButtons appointmentId={a.id} allowed={a.allowed} redirectTo={redirectTo} postTo={postTo} large={large} busy={busy} onSubmit={submitHere} />
      {charting ? (
        <div className="mt-2">
          <ChartLink appointmentId={a.id} status={a.status} chart={a.chart} patient={a.patient} />
        </div>
      ) : (
        <ChartBadge chart={a.chart} />
      )}
      {answer}
    </li>
  );
});

function NowLine() {
  return (
    <li aria-hidden="true" className="relative my-1 h-0 border-t-2 border-red-700">
      <span className="absolute -top-2.5 left-0 rounded bg-red-700 px-1.5 text-xs font-semibold text-white">Now</span>
    </li>
  );
}
