import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { calendarDate } from "~/lib/calendar-date";
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import { useCallback, useState, type FormEvent, type MouseEvent } from "react";
import { SubmitOnce } from "~/components/submit-once";
import { z } from "zod";
import { Card, EmptyState, PageHeader, buttonClass, secondaryButtonClass } from "~/components/ui";
import { accessibleLocations, currentLocation, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { serverFragment } from "~/lib/context.server";
import { ServerFragment } from "~/components/server-fragment";
import { localDateOf } from "~/scheduling/local-time";
import { formatDate, formatShortDate } from "~/scheduling/format";
import { changeStatusFromList } from "~/scheduling/list-status-change.server";
import { loadBoardCard, loadScheduleView } from "~/scheduling/day-view.server";
import { ANSWER_IN_PLACE, unlessAnsweredInPlace, wantsAnswerInPlace } from "~/lib/answer-in-place";

export const meta: MetaFunction = () => [{ title: "Schedule · Atrium" }];

const QuerySchema = z.object({ date: calendarDate().optional(), view: z.enum(["provider", "room", "week"]).default("provider") });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:schedule:location");
  const parsed = QuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response("Use a real date like 2026-11-23 and a view of provider, room or week.", { status: 400 });
  const location = currentLocation(session, await accessibleLocations(context, session));
  if (!location) return data({ location: null }, { headers: NO_STORE });
  const today = localDateOf(location.timeZone, context.clock.now().getTime());
  const view = await loadScheduleView(context, session, location, parsed.data.date ?? today, parsed.data.view, today);
  return data({ ...view, board: view.board === null ? null : serverFragment(context, "schedule-board", view.board) }, { headers: NO_STORE });
}


/**
 * The day view's one-tap status change (check in, to room, …): back to the same day afterwards,
 * or, with JavaScript, the changed card alone.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "update:appointment:location");
  const form = await request.formData();
  const changed = await changeStatusFromList(context, session, form);
  if ("refused" in changed) return changed.refused;
  const url = new URL(request.url);
  if (wantsAnswerInPlace(form)) {
    const location = currentLocation(session, await accessibleLocations(context, session));
    const query = QuerySchema.safeParse(Object.fromEntries(url.searchParams));
    const date = (query.success && query.data.date) || (location ? localDateOf(location.timeZone, context.clock.now().getTime()) : null);
    const updated = location && date ? await loadBoardCard(context, session, location, date, changed.appointmentId) : null;
    if (updated) return data({ updated }, { headers: NO_STORE });
  }
  return redirect(`${url.pathname}${url.search}`, { headers: NO_STORE });
}

export const shouldRevalidate = unlessAnsweredInPlace;

type CardAnswer = { updated?: { id: string; html: string }; message?: string };
type PendingChange = { key: string; body: FormData; action: string };

/** The changed card from a status change's answer, swapped into the server-built board. */
function applyCardAnswer({ updated }: CardAnswer) {
  const card = updated && document.querySelector(`#schedule-board [data-appointment="${CSS.escape(updated.id)}"]`);
  if (card && updated) card.outerHTML = updated.html;
}

type Data = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { date: string }>;

/** Client-side navigation and submissions for the plain links and forms inside `container`. */
function useEnhancedContainer() {
  const navigate = useNavigate();
  const [pending, setPending] = useState<PendingChange[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const done = useCallback((key: string, message: string | null) => {
    setPending((list) => list.filter((c) => c.key !== key));
    setProblem(message);
  }, []);
  return {
    problem,
    changes: pending.map((change) => (
      <SubmitOnce<CardAnswer>
        key={change.key}
        body={change.body}
        action={change.action}
        onAnswer={(answer) => {
          applyCardAnswer(answer);
          done(change.key, answer.message ?? null);
        }}
      />
    )),
    onClick(event: MouseEvent<HTMLElement>) {
      const link = (event.target as HTMLElement).closest("a");
      if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || link.target) return;
      const url = new URL(link.href);
      if (url.origin !== window.location.origin) return;
      event.preventDefault();
      navigate(url.pathname + url.search);
    },
    onSubmit(event: FormEvent<HTMLElement>) {
      const form = event.target as HTMLFormElement;
      if (event.defaultPrevented || form.method.toLowerCase() !== "post") return;
      event.preventDefault();
      const action = new URL(form.action);
      const body = new FormData(form, (event.nativeEvent as SubmitEvent).submitter);
      body.set(ANSWER_IN_PLACE.name, ANSWER_IN_PLACE.value);
      setPending((list) => [...list, { key: crypto.randomUUID(), body, action: action.pathname + action.search }]);
    },
  };
}

export default function SchedulePage() {
  const d = useLoaderData<typeof loader>();
  const enhanced = useEnhancedContainer();
  const { problem } = enhanced;
  if (!d.location) return <EmptyState title="You're not assigned to a location yet">Ask a manager to add you to a location in Settings → Staff.</EmptyState>;
  const s = d as Data;
  return (
    <>
      <PageHeader
        title="Schedule"
        description={`${s.location.name} · ${s.view === "week" ? `Week of ${formatShortDate(s.days[0])}` : formatDate(s.date)} · times in ${s.location.timeZone.replace("_", " ")}`}
        actions={s.canBook ? <Link to={`/schedule/new?date=${s.date}`} className={buttonClass}>New appointment</Link> : null}
      />
      {problem ? (
        <p role="alert" className="mb-4 rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          {problem}
        </p>
      ) : null}
      <nav aria-label="Schedule views" className="mb-4 flex flex-wrap items-center gap-2">
        <Link to={`/schedule?date=${s.prev}&view=${s.view}`} className={secondaryButtonClass} aria-label={s.view === "week" ? "Previous week" : "Previous day"}>←</Link>
        <Link to={`/schedule?date=${s.today}&view=${s.view}`} className={secondaryButtonClass}>Today</Link>
        <Link to={`/schedule?date=${s.next}&view=${s.view}`} className={secondaryButtonClass} aria-label={s.view === "week" ? "Next week" : "Next day"}>→</Link>
        {(["provider", "room", "week"] as const).map((v) => (
          <Link key={v} to={`/schedule?date=${s.date}&view=${v}`} aria-current={s.view === v ? "page" : undefined} className={`${secondaryButtonClass} ${s.view === v ? "border-brand-700 bg-brand-50" : ""}`}>
            {v === "provider" ? "Day by provider" : v === "room" ? "Day by room" : "Week"}
          </Link>
        ))}
      </nav>
      {s.view === "week" ? (
        <div className="grid gap-3 lg:grid-cols-7">
          {s.days.map((day) => (
            <Card key={day} title={formatShortDate(day)}>
              <ul className="space-y-2">
                {s.week.filter((a) => a.date === day).map((a) => (
                  <li key={a.id} className="text-sm">
                    <Link to={`/appointments/${a.id}`} className="font-medium text-brand-800 underline">{a.start} {a.patient}</Link>
                    <div className="text-stone-600">{a.providerName}</div>
                  </li>
                ))}
              </ul>
              <Link to={`/schedule?date=${day}&view=provider`} className="mt-2 inline-block text-sm text-brand-700 underline">Open day</Link>
            </Card>
          ))}
        </div>
      ) : s.columns === 0 ? (
        <EmptyState title={s.view === "room" ? "No rooms at this location" : "No providers at this location"}>Add them in Settings.</EmptyState>
      ) : (
        // The board is server-built, escaped markup (app/scheduling/board-html.server.ts). The
        // handlers only delegate: the links and forms inside stay ordinary, keyboard-operable elements.
        <>
          <ServerFragment id="schedule-board" html={s.board} className="grid gap-4 md:grid-cols-2 xl:grid-cols-4" onClick={enhanced.onClick} onSubmit={enhanced.onSubmit} />
          {enhanced.changes}
        </>
      )}
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
