import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { calendarDate } from "~/lib/calendar-date";
import { Form, Link, useActionData, useLoaderData, useNavigate } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type FormEvent, type MouseEvent } from "react";
import { SubmitOnce } from "~/components/submit-once";
import { z } from "zod";
import { EmptyState, PageHeader, buttonClass, inputClass, secondaryButtonClass } from "~/components/ui";
import { WeekLoad } from "~/scheduling/week-load";
import { accessibleLocations, currentLocation, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { localDateOf } from "~/scheduling/local-time";
import { formatDate, formatShortDate } from "~/scheduling/format";
import { changeStatusFromList } from "~/scheduling/list-status-change.server";
import { ConfirmEarlyCheckIn } from "~/scheduling/status";
import { loadBoardCard, loadScheduleView } from "~/scheduling/day-view.server";
import { handleMove } from "~/scheduling/move.server";
import { nowLineTop } from "~/scheduling/day-grid-view";
import { serverFragment } from "~/lib/context.server";
import { ServerFragment } from "~/components/server-fragment";
import { useGridInteractions, type GridChange } from "~/scheduling/use-grid-interactions";
import { MoveDialog, readBlock, type MoveRequest } from "~/scheduling/move-dialog";
import { ANSWER_IN_PLACE, unlessAnsweredInPlace, wantsAnswerInPlace } from "~/lib/answer-in-place";

export const meta: MetaFunction = () => [{ title: "Schedule · Atrium" }];

const QuerySchema = z.object({ date: calendarDate().optional(), view: z.enum(["provider", "room", "week"]).default("provider"), provider: z.string().max(64).optional() });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:schedule:location");
  const parsed = QuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response("Use a real date like 2026-11-23 and a view of provider, room or week.", { status: 400 });
  const location = currentLocation(session, await accessibleLocations(context, session));
  if (!location) return data({ location: null }, { headers: NO_STORE });
  const today = localDateOf(location.timeZone, context.clock.now().getTime());
  const { gridHtml, ...view } = await loadScheduleView(context, session, location, parsed.data.date ?? today, parsed.data.view, today, parsed.data.provider ?? null);
  return data({ ...view, gridHtml: gridHtml === null ? null : serverFragment(context, "schedule-grid", gridHtml) }, { headers: NO_STORE });
}

/**
 * The day view's changes. A one-tap status change (check in, to room, …) goes back to the same day,
 * or with JavaScript answers the changed block alone. A move or a new length (dragging on the grid,
 * or its move dialog) goes through the same exclusive write, rules and history as the move picker:
 * refused with a 409 and the nearest open times when something is in the way, or a 422 that the
 * desk may override with a reason when it breaks a rule.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const url = new URL(request.url);
  if (form.get("intent") === "move") {
    const session = await requirePermission(request, context, "update:appointment:location");
    const moved = await handleMove(context, session.user, String(form.get("appointmentId") ?? "").slice(0, 64), form);
    if (!moved.ok) return data(moved, { status: moved.status, headers: NO_STORE });
    return data({ ok: true as const, message: form.get("minutes") ? "Saved the new length." : "Moved." }, { headers: NO_STORE });
  }
  const session = await requirePermission(request, context, "update:appointment:location");
  const changed = await changeStatusFromList(context, session, form);
  if ("refused" in changed) return changed.refused;
  if (wantsAnswerInPlace(form)) {
    const location = currentLocation(session, await accessibleLocations(context, session));
    const query = QuerySchema.safeParse(Object.fromEntries(url.searchParams));
    const date = (query.success && query.data.date) || (location ? localDateOf(location.timeZone, context.clock.now().getTime()) : null);
    const updated = location && date ? await loadBoardCard(context, session, location, date, changed.appointmentId, query.success ? query.data.view : "provider") : null;
    if (updated) return data({ updated }, { headers: NO_STORE });
  }
  return redirect(`${url.pathname}${url.search}`, { headers: NO_STORE });
}

export const shouldRevalidate = unlessAnsweredInPlace;

type Answer = { updated?: { id: string; html: string }; message?: string; ok?: boolean; alternatives?: string[]; canOverride?: boolean; confirm?: { appointmentId: string } };

/** The changed block from a status change's answer, swapped into the grid where the old one stood. */
function applyBlockAnswer({ updated }: Answer) {
  const block = updated && document.querySelector<HTMLElement>(`#schedule-grid [data-appointment="${CSS.escape(updated.id)}"]`);
  if (!block || !updated) return;
  const style = block.getAttribute("style") ?? "";
  const template = document.createElement("template");
  template.innerHTML = updated.html;
  const fresh = template.content.firstElementChild as HTMLElement | null;
  if (!fresh) return;
  fresh.setAttribute("style", style);
  block.replaceWith(fresh);
}
type PendingChange = { key: string; body: FormData; action: string; move?: MoveRequest };

type Data = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { date: string }>;

/**
 * The grid's submissions with JavaScript: status changes answered in place (the block alone),
 * moves and new lengths answered with the whole day (the loaders run again), each with a fetcher
 * of its own so quick changes never cancel each other.
 */
function useGridChanges(action: string) {
  const navigate = useNavigate();
  const [pending, setPending] = useState<PendingChange[]>([]);
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string; confirmFor?: string } | null>(null);
  const [overriding, setOverriding] = useState<MoveRequest | null>(null);
  const submit = useCallback((body: FormData, move?: MoveRequest) => {
    setPending((list) => [...list, { key: crypto.randomUUID(), body, action, move }]);
  }, [action]);
  const onAnswer = useCallback((change: PendingChange, answer: Answer) => {
    setPending((list) => list.filter((c) => c.key !== change.key));
    applyBlockAnswer(answer);
    if (answer.ok) setNotice({ tone: "success", text: answer.message ?? "Saved." });
    else if (answer.message) {
      const alternatives = answer.alternatives?.length ? ` Open nearby: ${answer.alternatives.join(", ")}.` : "";
      setNotice({ tone: "error", text: answer.message + alternatives, confirmFor: answer.confirm?.appointmentId });
      if (answer.canOverride && change.move) setOverriding({ ...change.move, refusal: answer.message });
    }
  }, []);
  return {
    notice,
    overriding,
    setOverriding,
    submit,
    changes: pending.map((change) => <SubmitOnce<Answer> key={change.key} body={change.body} action={change.action} onAnswer={(answer) => onAnswer(change, answer)} />),
    onClick(event: MouseEvent<HTMLElement>) {
      const link = (event.target as HTMLElement).closest("a");
      if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || link.target) return;
      const url = new URL(link.href);
      if (url.origin !== window.location.origin) return;
      event.preventDefault();
      navigate(url.pathname + url.search);
    },
    onSubmit: submitInPlace,
    // "Check in anyway" is answered in place too: the block alone, not the whole day again.
    onConfirm(event: FormEvent<HTMLFormElement>) {
      submitInPlace(event);
      setNotice(null);
    },
  };

  function submitInPlace(event: FormEvent<HTMLElement>) {
    const form = event.target as HTMLFormElement;
    if (event.defaultPrevented || form.method.toLowerCase() !== "post") return;
    event.preventDefault();
    const body = new FormData(form, (event.nativeEvent as SubmitEvent).submitter);
    body.set(ANSWER_IN_PLACE.name, ANSWER_IN_PLACE.value);
    submit(body);
  }
}

/** The form fields of a move or new length, as the move picker's action reads them. */
export function moveBody(move: MoveRequest, override?: string) {
  const body = new FormData();
  body.set("intent", "move");
  body.set("appointmentId", move.appointmentId);
  body.set("providerId", move.providerId);
  body.set("slot", String(move.slot));
  if (move.minutes !== undefined) body.set("minutes", String(move.minutes));
  if (override) {
    body.set("override", "on");
    body.set("reason", override);
  }
  return body;
}

export default function SchedulePage() {
  const d = useLoaderData<typeof loader>();
  const weekOf = "weekOf" in d ? d.weekOf : null;
  const action = `/schedule?date=${"date" in d ? d.date : ""}&view=${"view" in d ? d.view : "provider"}${weekOf?.provider ? `&provider=${weekOf.provider.id}` : ""}`;
  const changes = useGridChanges(action);
  // A move posted without JavaScript (or answered as a page) says how it went on the page itself.
  const answered = useActionData<typeof action>() as Answer | undefined;
  const answeredText = answered?.message ? answered.message + (answered.alternatives?.length ? ` Open nearby: ${answered.alternatives.join(", ")}.` : "") : null;
  const gridRef = useRef<HTMLDivElement>(null);
  const [moving, setMoving] = useState<string | null>(null);
  const s = d as Data;
  const grid = "frame" in d ? d.frame : null;
  const blockOf = (id: string) => readBlock(gridRef.current, id);
  // The day a column shows: a day grid's columns are providers on one day, a week grid's are days.
  const dayStartFor = (columnId: string) => (weekOf?.provider ? (grid?.columns.find((c) => c.id === columnId)?.dayStart ?? null) : s.dayStart);
  useGridInteractions(gridRef, {
    version: "gridHtml" in d ? d.gridHtml : null,
    onOpenMove: setMoving,
    onChange(change: GridChange) {
      const block = blockOf(change.appointmentId);
      if (!block || !grid) return;
      const weekProvider = weekOf?.provider?.id;
      const dayStart = dayStartFor(change.kind === "move" ? change.columnId : block.columnId);
      if (dayStart === null) return;
      const move: MoveRequest =
        change.kind === "move"
          ? { appointmentId: change.appointmentId, providerId: weekProvider ?? change.columnId, slot: dayStart + change.minute * 60_000 }
          : { appointmentId: change.appointmentId, providerId: weekProvider ?? block.columnId, slot: dayStart + block.start * 60_000, minutes: change.minutes };
      changes.submit(moveBody(move), move);
    },
  });
  // The day opens scrolled to now (a little above it), or to its first visit on another day.
  const dayKey = "date" in d ? `${d.date}|${d.view}` : "";
  useEffect(() => {
    const scroller = gridRef.current;
    if (!scroller) return;
    const line = scroller.querySelector<HTMLElement>("[data-now-line]");
    const first = scroller.querySelector<HTMLElement>("[data-appointment]");
    const target = line ? line.offsetTop : first ? first.offsetTop + (first.closest("section")?.offsetTop ?? 0) : 0;
    scroller.scrollTop = Math.max(0, target - scroller.clientHeight / 3);
  }, [dayKey]);
  if (!d.location) return <EmptyState title="You're not assigned to a location yet">Ask a manager to add you to a location in Settings → Staff.</EmptyState>;
  const movingBlock = moving ? blockOf(moving) : undefined;
  const keep = weekOf?.provider ? `&provider=${weekOf.provider.id}` : "";
  return (
    <>
      <PageHeader
        title="Schedule"
        description={`${s.location.name} · ${s.view === "week" ? `${weekOf?.provider ? `${weekOf.provider.name} · ` : ""}Week of ${formatShortDate(s.days[0])}` : formatDate(s.date)} · times in ${s.location.timeZone.replace("_", " ")}`}
        actions={s.canBook ? <Link to={`/schedule/new?date=${s.date}`} className={buttonClass}>New appointment</Link> : null}
      />
      {answered?.confirm && answered.message && !changes.notice ? (
        <div className="mb-3">
          <ConfirmEarlyCheckIn appointmentId={answered.confirm.appointmentId} message={answered.message} redirectTo={`/schedule?date=${s.date}&view=${s.view}`} />
        </div>
      ) : answeredText && !changes.notice ? (
        <p role={answered?.ok ? "status" : "alert"} className="mb-3 rounded-lg border border-stone-300 bg-stone-50 p-3 text-sm text-stone-900">
          {answeredText}
        </p>
      ) : null}
      {changes.notice?.confirmFor ? (
        <div className="mb-3">
          <ConfirmEarlyCheckIn appointmentId={changes.notice.confirmFor} message={changes.notice.text} redirectTo={`/schedule?date=${s.date}&view=${s.view}`} postTo={action} onSubmit={changes.onConfirm} />
        </div>
      ) : changes.notice ? (
        <p role={changes.notice.tone === "error" ? "alert" : "status"} className={`mb-3 rounded-lg border p-3 text-sm ${changes.notice.tone === "error" ? "border-red-300 bg-red-50 text-red-900" : "border-emerald-300 bg-emerald-50 text-emerald-900"}`}>
          {changes.notice.text}
        </p>
      ) : null}
      <nav aria-label="Schedule views" className="mb-3 flex flex-wrap items-center gap-2">
        <Link to={`/schedule?date=${s.prev}&view=${s.view}${keep}`} className={secondaryButtonClass} aria-label={s.view === "week" ? "Previous week" : "Previous day"}>←</Link>
        <Link to={`/schedule?date=${s.today}&view=${s.view}${keep}`} className={secondaryButtonClass}>Today</Link>
        <Link to={`/schedule?date=${s.next}&view=${s.view}${keep}`} className={secondaryButtonClass} aria-label={s.view === "week" ? "Next week" : "Next day"}>→</Link>
        {(["provider", "room", "week"] as const).map((v) => (
          <Link key={v} to={`/schedule?date=${s.date}&view=${v}`} aria-current={s.view === v ? "page" : undefined} className={`${secondaryButtonClass} ${s.view === v ? "border-brand-700 bg-brand-50" : ""}`}>
            {v === "provider" ? "Day by provider" : v === "room" ? "Day by room" : "Week"}
          </Link>
        ))}
      </nav>
      {s.view === "week" && weekOf ? (
        <Form method="get" className="mb-3 flex flex-wrap items-end gap-2">
          <input type="hidden" name="date" value={s.date} />
          <input type="hidden" name="view" value="week" />
          <div>
            <label htmlFor="week-provider" className="text-sm font-medium">Whose week</label>
            <select id="week-provider" name="provider" defaultValue={weekOf.provider?.id ?? ""} className={inputClass}>
              <option value="">Everyone: visits and booked time</option>
              {weekOf.providers.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
          </div>
          <button type="submit" className={secondaryButtonClass}>Show</button>
        </Form>
      ) : null}
      {s.view === "week" && !weekOf?.provider ? (
        <WeekLoad days={s.days} load={weekOf?.load ?? []} today={s.today} />
      ) : !grid || grid.columns.length === 0 ? (
        <EmptyState title={s.view === "room" ? "No rooms at this location" : "No providers at this location"}>Add them in Settings.</EmptyState>
      ) : (
        <>
          <p className="mb-2 text-xs text-stone-700">Drag a visit to move it, or its bottom edge to change its length. From the keyboard: arrow keys move between visits and open times, Enter opens, M moves the visit or changes its length.</p>
          {s.closed ? <p className="mb-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">The location is closed this day.</p> : null}
          {/* Delegated handlers only: the links and forms inside stay ordinary, keyboard-operable elements. */}
          <div ref={gridRef} className="day-grid-scroll" tabIndex={0} role="region" aria-label={weekOf?.provider ? `${weekOf.provider.name}, week` : s.view === "room" ? "Rooms, day" : "Providers, day"} data-day-grid data-from={grid.from} data-to={grid.to} data-slot={grid.slotMinutes} onClick={changes.onClick} onSubmit={changes.onSubmit}>
            <ServerFragment id="schedule-grid" html={s.gridHtml} />
            {s.nowMinute !== null && s.nowMinute >= grid.from && s.nowMinute <= grid.to ? <div className="day-grid-now" style={{ top: nowLineTop(grid, s.nowMinute) }} data-now-line aria-hidden="true" /> : null}
          </div>
          {s.cancelled.length ? (
            <details className="mt-3 text-sm">
              <summary className="cursor-pointer font-medium">{s.cancelled.length} cancelled</summary>
              <ul className="mt-2 space-y-1">
                {s.cancelled.map((c) => (
                  <li key={c.id}><Link to={`/appointments/${c.id}`} className="text-brand-800 underline">{c.patient}</Link> · {c.time}</li>
                ))}
              </ul>
            </details>
          ) : null}
          {changes.changes}
          {movingBlock && dayStartFor(movingBlock.columnId) !== null ? (
            <MoveDialog
              block={movingBlock}
              providers={s.view === "provider" ? grid.columns.map((c) => ({ id: c.id, name: c.title })) : []}
              providerId={weekOf?.provider?.id ?? movingBlock.columnId}
              grid={grid}
              dayStart={dayStartFor(movingBlock.columnId)!}
              timeZone={s.location.timeZone}
              onClose={() => setMoving(null)}
              onSubmit={(move) => {
                setMoving(null);
                changes.submit(moveBody(move), move);
              }}
            />
          ) : null}
          {changes.overriding && blockOf(changes.overriding.appointmentId) ? (
            <MoveDialog
              override={changes.overriding}
              block={blockOf(changes.overriding.appointmentId)!}
              providers={[]}
              providerId={changes.overriding.providerId}
              grid={grid}
              dayStart={0}
              timeZone={s.location.timeZone}
              onClose={() => changes.setOverriding(null)}
              onSubmit={(move, reason) => {
                changes.setOverriding(null);
                changes.submit(moveBody(move, reason), move);
              }}
            />
          ) : null}
        </>
      )}
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
