import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Card, EmptyState, PageHeader, buttonClass, secondaryButtonClass } from "~/components/ui";
import { accessibleLocations, currentLocation, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { nextStatuses } from "~/scheduling/lifecycle";
import { addDays, localDateOf } from "~/scheduling/local-time";
import { formatClock24, formatDate, formatShortDate, formatTime } from "~/scheduling/format";
import { appointmentsBetween, freeTime, scheduleResources, weekOf } from "~/scheduling/schedule.server";
import { StatusBadge, StatusButtons } from "~/scheduling/status";

export const meta: MetaFunction = () => [{ title: "Schedule · Atrium" }];

const QuerySchema = z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), view: z.enum(["provider", "room", "week"]).default("provider") });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:schedule:location");
  const parsed = QuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response("Use a date like 2026-11-23 and a view of provider, room or week.", { status: 400 });
  const location = currentLocation(session, await accessibleLocations(context, session));
  if (!location) return data({ location: null }, { headers: NO_STORE });
  const today = localDateOf(location.timeZone, context.clock.now().getTime());
  const date = parsed.data.date ?? today;
  const view = parsed.data.view;
  const days = view === "week" ? weekOf(date) : [date];
  const [rows, resources] = await Promise.all([appointmentsBetween(context, session.user, location, days[0], days[days.length - 1]), scheduleResources(context, session.user.organizationId, location.id)]);
  const free = view === "provider" ? await freeTime(context, session.user.organizationId, location, date, resources.providers.map((p) => p.id), rows) : new Map<string, [number, number][]>();
  const actor = { userId: session.user.id, role: session.user.role };
  const appts = rows.map((a) => ({
    id: a.id,
    status: a.status,
    date: localDateOf(location.timeZone, a.startsAt.getTime()),
    time: `${formatTime(a.startsAt.getTime(), location.timeZone)}–${formatTime(a.endsAt.getTime(), location.timeZone)}`,
    providerId: a.providerId,
    roomId: a.roomId,
    patient: `${a.patientLastName}, ${a.patientFirstName}`,
    flags: [a.lateCancellations ? `${a.lateCancellations} late cancel${a.lateCancellations > 1 ? "s" : ""}` : null, a.noShows ? `${a.noShows} no-show${a.noShows > 1 ? "s" : ""}` : null].filter(Boolean) as string[],
    serviceName: a.serviceName,
    allowed: nextStatuses(a.status, actor, { providerId: a.providerId, patientUserId: null }),
  }));
  return data(
    {
      location: { name: location.name, timeZone: location.timeZone },
      date,
      today,
      view,
      days,
      prev: addDays(date, view === "week" ? -7 : -1),
      next: addDays(date, view === "week" ? 7 : 1),
      providers: resources.providers,
      rooms: resources.rooms,
      appts,
      free: Object.fromEntries([...free].map(([id, intervals]) => [id, intervals.map(([s, e]) => ({ label: `${formatTime(s, location.timeZone)}–${formatTime(e, location.timeZone)}`, time: formatClock24(s, location.timeZone) }))])),
      canBook: ["owner", "manager", "front_desk"].includes(session.user.role),
    },
    { headers: NO_STORE },
  );
}

type Data = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { date: string }>;

function ApptCard({ a, redirectTo }: { a: Data["appts"][number]; redirectTo: string }) {
  return (
    <li className="rounded-lg border border-stone-200 bg-white p-3">
      <div className="flex items-start justify-between gap-2">
        <Link to={`/appointments/${a.id}`} className="font-semibold text-brand-800 underline">
          {a.patient}
        </Link>
        <StatusBadge status={a.status} />
      </div>
      <p className="text-sm">{a.time}</p>
      <p className="text-sm text-stone-700">{a.serviceName}</p>
      {a.flags.length ? <p className="text-sm font-medium text-red-800">{a.flags.join(" · ")}</p> : null}
      <StatusButtons appointmentId={a.id} allowed={a.allowed} redirectTo={redirectTo} />
    </li>
  );
}

export default function SchedulePage() {
  const d = useLoaderData<typeof loader>();
  if (!d.location) return <EmptyState title="You're not assigned to a location yet">Ask a manager to add you to a location in Settings → Staff.</EmptyState>;
  const s = d as Data;
  const here = `/schedule?date=${s.date}&view=${s.view}`;
  const columns = s.view === "room" ? s.rooms.map((r) => ({ id: r.id, title: r.name, appts: s.appts.filter((a) => a.roomId === r.id) })) : s.providers.map((p) => ({ id: p.id, title: p.name, appts: s.appts.filter((a) => a.providerId === p.id) }));
  return (
    <>
      <PageHeader
        title="Schedule"
        description={`${s.location.name} · ${s.view === "week" ? `Week of ${formatShortDate(s.days[0])}` : formatDate(s.date)} · times in ${s.location.timeZone.replace("_", " ")}`}
        actions={s.canBook ? <Link to={`/schedule/new?date=${s.date}`} className={buttonClass}>New appointment</Link> : null}
      />
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
                {s.appts.filter((a) => a.date === day).map((a) => (
                  <li key={a.id} className="text-sm">
                    <Link to={`/appointments/${a.id}`} className="font-medium text-brand-800 underline">{a.time.split("–")[0]} {a.patient}</Link>
                    <div className="text-stone-600">{s.providers.find((p) => p.id === a.providerId)?.name}</div>
                  </li>
                ))}
              </ul>
              <Link to={`/schedule?date=${day}&view=provider`} className="mt-2 inline-block text-sm text-brand-700 underline">Open day</Link>
            </Card>
          ))}
        </div>
      ) : columns.length === 0 ? (
        <EmptyState title={s.view === "room" ? "No rooms at this location" : "No providers at this location"}>Add them in Settings.</EmptyState>
      ) : (
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
          {columns.map((c) => (
            <section key={c.id} aria-label={c.title} className="rounded-xl border border-stone-200 bg-stone-100 p-3">
              <h2 className="mb-2 font-semibold">{c.title}</h2>
              <ul className="space-y-2">
                {c.appts.map((a) => <ApptCard key={a.id} a={a} redirectTo={here} />)}
              </ul>
              {s.view === "provider" && s.canBook ? (
                <ul className="mt-2 space-y-1" aria-label={`Free time for ${c.title}`}>
                  {(s.free[c.id] ?? []).map((f) => (
                    <li key={f.time}>
                      <Link to={`/schedule/new?date=${s.date}&provider=${c.id}&time=${f.time}`} className="block rounded-lg border border-dashed border-stone-400 px-3 py-2 text-sm hover:bg-white">
                        Free {f.label} — book
                      </Link>
                    </li>
                  ))}
                </ul>
              ) : null}
              {c.appts.length === 0 && !(s.free[c.id] ?? []).length ? <p className="text-sm text-stone-600">Nothing scheduled.</p> : null}
            </section>
          ))}
        </div>
      )}
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
