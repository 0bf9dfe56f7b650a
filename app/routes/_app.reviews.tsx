import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Card, EmptyState, Notice, PageHeader, buttonClass } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { formatDateTime } from "~/scheduling/format";
import { reviewQueue, reviewSettings, saveReviewSettings } from "~/charting/reviews.server";
import { listTemplates } from "~/charting/templates-admin.server";

export const meta: MetaFunction = () => [{ title: "Chart reviews · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "review:chart:organization");
  const [queue, settings, { services }] = await Promise.all([reviewQueue(context, session), reviewSettings(context, session.user.organizationId), listTemplates(context, session.user.organizationId)]);
  return data(
    {
      queue: queue.map((q) => ({ encounterId: q.encounterId, patient: `${q.patientFirst} ${q.patientLast}`, provider: q.providerName, service: q.serviceName, visit: formatDateTime(q.visitAt.getTime(), q.timeZone), reason: q.reason === "always" ? "Service always reviewed" : "Sampled", status: q.status, comment: q.comment })),
      percent: settings.percent,
      services: services.map((s) => ({ id: s.id, name: s.name, always: settings.always.has(s.id) })),
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "review:chart:organization");
  const form = await request.formData();
  const raw = String(form.get("percent") ?? "").trim();
  const percent = raw === "" ? NaN : Number(raw);
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) return data({ ok: false, message: "The share is a whole number from 0 to 100." }, { status: 400, headers: NO_STORE });
  await saveReviewSettings(context, session, percent, form.getAll("always").map(String).slice(0, 500));
  return data({ ok: true, message: "Review settings saved. They apply to charts signed from now on." }, { headers: NO_STORE });
}

export default function ReviewsPage() {
  const { queue, percent, services } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const pending = queue.filter((q) => q.status === "pending");
  const returned = queue.filter((q) => q.status === "returned");
  return (
    <>
      <PageHeader title="Chart reviews" description={`${pending.length} waiting for your co-signature · ${returned.length} returned to their provider`} actions={<Link to="/compliance" className="font-medium text-brand-800 underline">Compliance</Link>} />
      {answer ? <div className="mb-4"><Notice tone={answer.ok ? "success" : "error"}>{answer.message}</Notice></div> : null}
      <div className="grid gap-6 xl:grid-cols-[1fr_22rem]">
        <div className="space-y-6">
          <Card title="Waiting for co-signature">
            {pending.length === 0 ? <EmptyState title="Nothing to review">Charts of services set to “always review”, and the sampled share of the others, appear here when they are signed.</EmptyState> : <QueueList items={pending} />}
          </Card>
          {returned.length ? (
            <Card title="Returned to the provider">
              <QueueList items={returned} />
            </Card>
          ) : null}
        </div>
        <Card title="What is reviewed">
          <Form method="post" className="space-y-3">
            <div>
              <label htmlFor="percent" className="block text-sm font-medium">Share of each provider's other charts, %</label>
              <input id="percent" name="percent" type="number" min={0} max={100} defaultValue={percent} className="mt-1 block min-h-11 w-32 rounded-lg border border-stone-400 px-3" />
            </div>
            <fieldset>
              <legend className="text-sm font-medium">Services always reviewed</legend>
              {services.map((s) => (
                <label key={s.id} className="flex min-h-11 items-center gap-2">
                  <input type="checkbox" name="always" value={s.id} defaultChecked={s.always} className="h-5 w-5" /> {s.name}
                </label>
              ))}
            </fieldset>
            <button type="submit" className={buttonClass}>Save</button>
          </Form>
        </Card>
      </div>
    </>
  );
}

function QueueList({ items }: { items: { encounterId: string; patient: string; provider: string; service: string; visit: string; reason: string; comment: string | null }[] }) {
  return (
    <ul className="divide-y divide-stone-100">
      {items.map((q) => (
        <li key={q.encounterId} className="flex flex-wrap items-center justify-between gap-2 py-3">
          <div>
            <Link to={`/charts/${q.encounterId}`} className="font-semibold text-brand-800 underline">{q.patient}</Link>
            <p className="text-sm text-stone-700">{q.service} · {q.provider} · {q.visit}</p>
            {q.comment ? <p className="text-sm text-amber-950">Your comment: {q.comment}</p> : null}
          </div>
          <span className="rounded bg-stone-100 px-2 py-0.5 text-xs font-medium text-stone-700">{q.reason}</span>
        </li>
      ))}
    </ul>
  );
}
