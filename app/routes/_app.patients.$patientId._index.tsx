import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData, useSearchParams } from "@remix-run/react";
import { Card, EmptyState, Notice } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { NO_STORE } from "~/lib/forms.server";
import { pastForPatient, upcomingForPatient } from "~/scheduling/appointments.server";
import { formatDateTime } from "~/scheduling/format";
import { StatusBadge } from "~/scheduling/status";
import type { loader as recordLoader } from "./_app.patients.$patientId";

/** The record's first tab: upcoming and past visits, each with a way to book the same again. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:organization");
  const id = (params.patientId ?? "").slice(0, 64);
  const [upcoming, past] = await Promise.all([upcomingForPatient(context, session.user, id), pastForPatient(context, session.user, id, 50)]);
  const row = (a: (typeof upcoming)[number]) => ({
    id: a.id,
    when: formatDateTime(a.startsAt.getTime(), a.timeZone),
    status: a.status,
    service: a.serviceName,
    provider: a.providerName,
    location: a.locationName,
    rebook: `/schedule/new?${new URLSearchParams({ patient: id, service: a.serviceId, provider: a.providerId })}`,
  });
  return data({ upcoming: upcoming.map(row), past: past.map(row), canBook: can(session.user.role, "create:appointment:location") }, { headers: NO_STORE });
}

function VisitList({ title, rows, canBook, empty }: { title: string; rows: ReturnType<typeof useLoaderData<typeof loader>>["upcoming"]; canBook: boolean; empty: string }) {
  return (
    <Card title={title}>
      {rows.length === 0 ? (
        <p className="text-stone-600">{empty}</p>
      ) : (
        <ul className="divide-y divide-stone-100">
          {rows.map((v) => (
            <li key={v.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 py-3">
              <div className="min-w-0 grow">
                <Link to={`/appointments/${v.id}`} className="font-medium text-brand-700 underline">
                  {v.when}
                </Link>
                <p className="text-sm text-stone-700">
                  {v.service} · {v.provider} · {v.location}
                </p>
              </div>
              <StatusBadge status={v.status} />
              {canBook ? (
                <Link to={v.rebook} className="inline-flex min-h-11 items-center rounded-lg px-3 font-medium text-brand-700 underline" aria-label={`Book ${v.service} again with ${v.provider}`}>
                  Book again
                </Link>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export default function PatientVisits() {
  const { upcoming, past, canBook } = useLoaderData<typeof loader>();
  const record = useRouteLoaderData<typeof recordLoader>("routes/_app.patients.$patientId");
  const [params] = useSearchParams();
  return (
    <div className="space-y-4">
      {params.get("created") === "1" ? <Notice tone="success">Patient created.</Notice> : null}
      {params.get("merged") === "1" ? <Notice tone="success">Records merged. The other record now leads here.</Notice> : null}
      {upcoming.length === 0 && past.length === 0 ? (
        <EmptyState title="No visits yet">{canBook ? <Link to={`/schedule/new?patient=${record?.patient.id ?? ""}`} className="text-brand-700 underline">Book their first visit</Link> : "Visits booked for this patient will be listed here."}</EmptyState>
      ) : (
        <>
          <VisitList title="Upcoming" rows={upcoming} canBook={false} empty="Nothing booked." />
          <VisitList title="Past visits" rows={past} canBook={canBook} empty="No past visits yet." />
        </>
      )}
      {record ? <p className="text-sm text-stone-600">{`Patient since ${record.since}`}</p> : null}
    </div>
  );
}
