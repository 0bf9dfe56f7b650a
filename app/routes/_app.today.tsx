import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { greetingName } from "~/lib/names";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Card, EmptyState, PageHeader } from "~/components/ui";
import { accessibleLocations, currentLocation, requirePermission } from "~/auth/guards.server";
import { ROLE_LABELS } from "~/auth/permissions";
import { formatLocalNow, workingLocationOverview } from "~/locations/locations.server";
import { formatMoney } from "~/scheduling/format";
import { DayList } from "~/scheduling/day-list";
import { todayList } from "~/scheduling/schedule.server";
import { NO_STORE } from "~/lib/forms.server";
import { unlessAnsweredInPlace, wantsAnswerInPlace } from "~/lib/answer-in-place";
import { changeStatusFromList } from "~/scheduling/list-status-change.server";
import { nextStatuses } from "~/scheduling/lifecycle";
import { seesAllLocations } from "~/auth/permissions";
import { dayCounts } from "~/scheduling/today";
import { keyFigures } from "~/scheduling/today.server";
import { ConfirmEarlyCheckIn } from "~/scheduling/status";
import { Notice } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Today · Atrium" }];

/** Today lists a busy day's visits still to be seen, this many at most; the schedule has the whole day. */
const TODAY_LIST_LIMIT = 50;
const STILL_TO_SEE: readonly string[] = ["requested", "confirmed", "checked_in", "in_room"];

/**
 * A small clinic's whole day; on a busy one (a 100-provider clinic has 1,000 visits) the first
 * visits still to be seen, with counts, so the page stays a glance and not 2 MB (issue 14).
 */
function todaysShortList<T extends { status: string }>(all: T[]) {
  if (all.length <= TODAY_LIST_LIMIT) return { appointments: all, summary: null };
  const open = all.filter((a) => STILL_TO_SEE.includes(a.status));
  return { appointments: open.slice(0, TODAY_LIST_LIMIT), summary: { total: all.length, open: open.length, shown: Math.min(open.length, TODAY_LIST_LIMIT) } };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:schedule:location");
  const location = currentLocation(session, await accessibleLocations(context, session));
  // The location's overview and its day, read together (each query is a round trip on Turso).
  const [overview, all] = await Promise.all([workingLocationOverview(context, session), location ? todayList(context, session.user, location) : []]);
  const { appointments, summary } = todaysShortList(all);
  // Owners and managers also see the day's key figures, the money taken among them.
  const figures = location && seesAllLocations(session.user.role) ? await keyFigures(context, session, location, all) : null;
  return data(
    {
      firstName: greetingName(session.user.name),
      overview: overview && {
        ...overview,
        staff: overview.staff.map((s) => ({ ...s, roleLabel: ROLE_LABELS[s.role] })),
        localNow: formatLocalNow(context.clock.now(), overview.location.timeZone),
        appointments,
        summary,
        counts: dayCounts(all),
        figures: figures && { ...figures, taken: formatMoney(figures.takenCents) },
        now: context.clock.now().getTime(),
      },
    },
    { headers: NO_STORE },
  );
}

/**
 * A one-tap status change from the day's list: back to Today afterwards, or, with JavaScript,
 * that row's new state alone (posted here, so the change needs nothing but this page).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "update:appointment:location");
  const form = await request.formData();
  const changed = await changeStatusFromList(context, session, form);
  if ("refused" in changed) return changed.refused;
  if (wantsAnswerInPlace(form) && changed.providerId) {
    const allowed = nextStatuses(changed.status, { userId: session.user.id, role: session.user.role }, { providerId: changed.providerId, patientUserId: null });
    return data({ updated: { id: changed.appointmentId, status: changed.status, allowed } }, { headers: NO_STORE });
  }
  return redirect("/today", { headers: NO_STORE });
}

export const shouldRevalidate = unlessAnsweredInPlace;

function Count({ label, value, tone = "" }: { label: string; value: number | string; tone?: string }) {
  return (
    <div className={`rounded-xl border border-stone-200 bg-white px-4 py-3 ${tone}`}>
      <dt className="text-sm text-stone-600">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

export default function TodayPage() {
  const { firstName, overview } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as { message?: string; confirm?: { appointmentId: string } } | undefined;
  if (!overview) {
    return (
      <>
        <PageHeader title="Today" />
        <EmptyState title="You're not assigned to a location yet">Ask a manager to add you to a clinic location in Settings → Staff.</EmptyState>
      </>
    );
  }
  const { location, rooms, staff, localNow, appointments, summary, counts, figures, now } = overview;
  return (
    <>
      <PageHeader title={`Good to see you, ${firstName}`} description={`${location.name} · ${localNow}`} />
      {answer?.message ? (
        <div className="mb-4">{answer.confirm ? <ConfirmEarlyCheckIn appointmentId={answer.confirm.appointmentId} message={answer.message} redirectTo="/today" postTo="/today" /> : <Notice tone="error">{answer.message}</Notice>}</div>
      ) : null}
      <dl aria-label="Today so far" className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Count label="Booked" value={counts.booked} />
        <Count label="Arrived" value={counts.arrived} />
        <Count label="Waiting" value={counts.waiting} tone={counts.waiting ? "border-violet-300" : ""} />
        <Count label="In a room" value={counts.inRoom} />
        <Count label="Done" value={counts.done} />
        <Count label="No-shows" value={counts.noShows} tone={counts.noShows ? "border-red-300" : ""} />
      </dl>
      {figures ? (
        <section aria-labelledby="figures-heading" className="mb-6 rounded-xl border border-stone-200 bg-white p-4">
          <h2 id="figures-heading" className="mb-2 font-semibold">
            The day in figures
          </h2>
          <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <div>
              <dt className="text-sm text-stone-600">Bookings made today</dt>
              <dd className="text-xl font-semibold tabular-nums">{figures.bookingsMade}</dd>
            </div>
            <div>
              <dt className="text-sm text-stone-600">Utilization</dt>
              <dd className="text-xl font-semibold tabular-nums">
                {figures.utilization === null ? "Nobody works today" : `${figures.utilization}%`}
                {figures.utilization !== null ? (
                  <span className="mt-1 block h-2 overflow-hidden rounded bg-stone-200" aria-hidden="true">
                    <span className="block h-full bg-brand-600" style={{ width: `${Math.min(100, figures.utilization)}%` }} />
                  </span>
                ) : null}
              </dd>
              {figures.utilization !== null ? <dd className="text-xs text-stone-600">of {figures.workingHours} working hours</dd> : null}
            </div>
            <div>
              <dt className="text-sm text-stone-600">No-shows</dt>
              <dd className="text-xl font-semibold tabular-nums">{figures.noShows}</dd>
            </div>
            <div>
              <dt className="text-sm text-stone-600">Taken today</dt>
              <dd className="text-xl font-semibold tabular-nums">{figures.taken}</dd>
              <dd className="text-xs text-stone-600">
                {"less refunds · "}
                <Link to="/checkout" className="font-medium text-brand-800 underline">
                  Day report
                </Link>
              </dd>
            </div>
          </dl>
        </section>
      ) : null}
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-3">
        <div className="xl:col-span-2">
          <Card title="The day">
            {summary ? (
              <p className="mb-2 text-sm text-stone-700">
                {summary.total.toLocaleString("en-US")} visits today; the next {summary.shown.toLocaleString("en-US")} of {summary.open.toLocaleString("en-US")} still to be seen.{" "}
                <Link to="/schedule" className="font-medium text-brand-800 underline">
                  See the whole day
                </Link>
              </p>
            ) : null}
            <DayList items={appointments} redirectTo="/today" inPlace="/today" timeline={{ now }} empty={<>Visits booked for {location.name} today will be listed here in the clinic's local time. <Link to="/schedule/new" className="underline">Book one</Link>.</>} />
          </Card>
        </div>
        <div className="space-y-6">
          <Card title={`Rooms (${rooms.length})`}>
            {rooms.length ? (
              <ul className="divide-y divide-stone-100">
                {rooms.map((r) => (
                  <li key={r.id} className="flex justify-between py-2">
                    <span>{r.name}</span>
                    <span className="text-sm capitalize text-stone-600">{r.roomType}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <EmptyState title="No rooms yet">
                Add treatment rooms in <Link to="/settings/locations" className="underline">Settings → Locations</Link>.
              </EmptyState>
            )}
          </Card>
          <Card title={`Team at this location (${staff.length})`}>
            <ul className="divide-y divide-stone-100">
              {staff.map((s) => (
                <li key={s.id} className="flex justify-between gap-2 py-2">
                  <span>{s.name}</span>
                  <span className="text-sm text-stone-600">{s.roleLabel}</span>
                </li>
              ))}
            </ul>
          </Card>
        </div>
      </div>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
