import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card, EmptyState } from "~/components/ui";
import { accessibleLocations, currentLocation, notFound, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { formatDateTime } from "~/scheduling/format";
import { patientClinicalRecord } from "~/charting/patient-charts.server";
import { photoTitle } from "~/charting/chart-photos";

const REVIEW_WORDS: Record<string, string> = { pending: "Awaiting co-sign", cosigned: "Co-signed", returned: "Returned to provider" };

/** The record's clinical tab: charts, consents and exams on file, and the latest photos (clinical staff only). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:chart:organization");
  const [record, locations] = await Promise.all([patientClinicalRecord(context, session, (params.patientId ?? "").slice(0, 64)), accessibleLocations(context, session)]);
  if (!record) throw notFound("No patient with that id in your organization.");
  const zone = currentLocation(session, locations)?.timeZone ?? "UTC";
  const when = (d: Date) => formatDateTime(d.getTime(), zone);
  return data(
    {
      charts: record.charts.map((c) => ({ id: c.id, when: when(c.startsAt), service: c.serviceName, provider: c.providerName, status: c.status === "signed" ? "Signed" : "Draft", review: c.review ? REVIEW_WORDS[c.review] : null })),
      consents: record.consents.map((c) => ({ id: c.id, name: c.name, version: c.version, signer: c.signerName, when: when(c.signedAt), method: c.method === "drawn" ? "drawn" : "typed" })),
      exams: record.exams.map((e) => ({ id: e.id, when: when(e.examinedAt), examiner: e.examinerName })),
      photos: record.photos.map((p) => ({ id: p.id, encounterId: p.encounterId, title: photoTitle(p), when: when(p.createdAt) })),
    },
    { headers: NO_STORE },
  );
}

export default function PatientCharts() {
  const { charts, consents, exams, photos } = useLoaderData<typeof loader>();
  return (
    <div className="grid items-start gap-6 xl:grid-cols-[3fr_2fr]">
      <div className="space-y-6">
        <Card title="Charts">
          {charts.length === 0 ? (
            <EmptyState title="No charts yet">A chart is started by the provider from the visit.</EmptyState>
          ) : (
            <ul className="divide-y divide-stone-100">
              {charts.map((c) => (
                <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span className="min-w-0">
                    <Link to={`/charts/${c.id}`} className="font-medium text-brand-800 underline">{c.when}</Link> · {c.service} · {c.provider}
                  </span>
                  <span className="flex gap-2">
                    {c.review ? <span className="rounded bg-stone-100 px-2 py-0.5 text-xs font-semibold text-stone-800">{c.review}</span> : null}
                    <span className={`rounded px-2 py-0.5 text-xs font-semibold ${c.status === "Signed" ? "bg-emerald-100 text-emerald-900" : "bg-amber-100 text-amber-950"}`}>{c.status}</span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Photos">
          {photos.length === 0 ? (
            <EmptyState title="No photos yet">Photos taken while charting appear here, newest first.</EmptyState>
          ) : (
            <ul aria-label="Latest photos" className="grid grid-cols-3 gap-2 sm:grid-cols-4">
              {photos.map((p) => (
                <li key={p.id}>
                  <Link to={`/charts/${p.encounterId}#photos`} className="block overflow-hidden rounded-lg bg-stone-100">
                    <img src={`/charts/${p.encounterId}/photos/${p.id}?size=thumb`} alt={`${p.title}, ${p.when}`} className="aspect-square w-full object-cover" loading="lazy" />
                  </Link>
                  <p className="mt-1 text-xs text-stone-700">{p.title}</p>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <div className="space-y-6">
        <Card title="Consents on file">
          {consents.length === 0 ? (
            <p className="text-stone-600">None signed yet.</p>
          ) : (
            <ul className="divide-y divide-stone-100">
              {consents.map((c) => (
                <li key={c.id} className="py-2">
                  <a href={`/consents/signed/${c.id}.pdf`} className="font-medium text-brand-800 underline">{c.name}</a>
                  <p className="text-sm text-stone-700">{`Version ${c.version} · ${c.signer} · ${c.when} · ${c.method}`}</p>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Good-faith exams">
          {exams.length === 0 ? (
            <p className="text-stone-600">None on file.</p>
          ) : (
            <ul className="divide-y divide-stone-100">
              {exams.map((e) => (
                <li key={e.id} className="py-2 text-sm">{`${e.when} · ${e.examiner}`}</li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
