import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card, EmptyState, PageHeader } from "~/components/ui";
import { accessibleLocations, currentLocation, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { formatDateTime } from "~/scheduling/format";
import { localDateOf, localToInstant } from "~/scheduling/local-time";
import { complianceReport, reviewSettings } from "~/charting/reviews.server";

export const meta: MetaFunction = () => [{ title: "Compliance · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "review:chart:organization");
  const zone = currentLocation(session, await accessibleLocations(context, session))?.timeZone ?? "UTC";
  // This month, in the clinic's time zone.
  const monthStart = new Date(localToInstant(zone, `${localDateOf(zone, context.clock.now().getTime()).slice(0, 8)}01`, 0));
  const [{ late, quota, unmet }, settings] = await Promise.all([complianceReport(context, session, monthStart), reviewSettings(context, session.user.organizationId)]);
  return data(
    {
      percent: settings.percent,
      late: late.map((l) => ({ encounterId: l.encounterId, patient: `${l.patientFirst} ${l.patientLast}`, provider: l.providerName, service: l.serviceName, visit: formatDateTime(l.visitAt.getTime(), l.timeZone), state: l.status === "draft" ? "Not signed yet" : `Signed ${formatDateTime(l.signedAt!.getTime(), l.timeZone)}` })),
      unmet: unmet.map((u) => ({ encounterId: u.encounterId, patient: `${u.patientFirst} ${u.patientLast}`, provider: u.providerName, service: u.serviceName, signed: formatDateTime(u.signedAt!.getTime(), u.timeZone), missing: [u.missingConsents, u.missingExam === 1 ? "good-faith exam" : null].filter(Boolean).join("; ") })),
      quota: quota.map((q) => ({ provider: q.providerName, signed: q.signed, chosen: q.chosen, cosigned: q.cosigned ?? 0 })),
    },
    { headers: NO_STORE },
  );
}

export default function CompliancePage() {
  const { late, quota, unmet, percent } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Compliance" description="Charts signed late or without what they needed, and each provider's reviews this month" actions={<Link to="/reviews" className="font-medium text-brand-800 underline">Chart reviews</Link>} />
      <div className="space-y-6">
        <Card title={`Charts not signed within 72 hours of the visit (${late.length})`}>
          {late.length === 0 ? (
            <EmptyState title="Every chart signed on time">Charts still in draft 72 hours after the visit, and charts signed later than that this month, are listed here.</EmptyState>
          ) : (
            <ul className="divide-y divide-stone-100">
              {late.map((l) => (
                <li key={l.encounterId} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span>
                    <Link to={`/charts/${l.encounterId}`} className="font-medium text-brand-800 underline">{l.patient}</Link> · {l.service} · {l.provider} · visit {l.visit}
                  </span>
                  <span className={`rounded px-2 py-0.5 text-xs font-semibold ${l.state === "Not signed yet" ? "bg-red-100 text-red-900" : "bg-amber-100 text-amber-950"}`}>{l.state}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title={`Treatments signed without a required consent or good-faith exam this month (${unmet.length})`}>
          {unmet.length === 0 ? (
            <EmptyState title="Every treatment had what it needed">A chart signed while a consent its service requires, or a good-faith exam the clinic asks for, was missing or out of date is listed here.</EmptyState>
          ) : (
            <ul className="divide-y divide-stone-100">
              {unmet.map((u) => (
                <li key={u.encounterId} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span>
                    <Link to={`/charts/${u.encounterId}`} className="font-medium text-brand-800 underline">{u.patient}</Link> · {u.service} · {u.provider} · signed {u.signed}
                  </span>
                  <span className="rounded bg-red-100 px-2 py-0.5 text-xs font-semibold text-red-900">{`Missing: ${u.missing}`}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title={`Review quota this month (${percent}% sampled, plus services always reviewed)`}>
          {quota.length === 0 ? (
            <p className="text-stone-700">No charts signed this month yet.</p>
          ) : (
            <table className="w-full text-left text-sm">
              <thead className="border-b border-stone-200 text-stone-600">
                <tr>
                  <th scope="col" className="py-2">Provider</th>
                  <th scope="col" className="text-right">Charts signed</th>
                  <th scope="col" className="text-right">Chosen for review</th>
                  <th scope="col" className="text-right">Co-signed</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {quota.map((q) => (
                  <tr key={q.provider}>
                    <td className="py-2">{q.provider}</td>
                    <td className="text-right tabular-nums">{q.signed}</td>
                    <td className="text-right tabular-nums">{q.chosen}</td>
                    <td className="text-right tabular-nums">{q.cosigned}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  );
}
