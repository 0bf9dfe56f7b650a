import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Card, Notice, PageHeader, secondaryButtonClass } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { linkServiceTemplate, listTemplates } from "~/charting/templates-admin.server";

export const meta: MetaFunction = () => [{ title: "Chart templates · Atrium" }];

const KIND_LABELS = { neurotoxin: "Neurotoxin", filler: "Dermal filler", peel: "Chemical peel", laser: "Laser / IPL", soap: "SOAP note" } as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "manage:chart_template:organization");
  const { templates, links, services } = await listTemplates(context, session.user.organizationId);
  const linked = new Map(links.map((l) => [l.serviceId, l.templateId]));
  return data(
    {
      templates: templates.map((t) => ({ id: t.id, name: t.name, kind: KIND_LABELS[t.kind], version: t.currentVersion, faceChart: t.faceChart, services: services.filter((s) => linked.get(s.id) === t.id).map((s) => s.name) })),
      services: services.map((s) => ({ id: s.id, name: s.name, templateId: linked.get(s.id) ?? "" })),
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "manage:chart_template:organization");
  const form = await request.formData();
  const ok = await linkServiceTemplate(context, session, String(form.get("serviceId") ?? ""), String(form.get("templateId") ?? ""));
  if (!ok) return data({ message: "Choose a service and a template from the lists.", ok: false }, { status: 400, headers: NO_STORE });
  return data({ message: "New charts for that service start from the chosen template.", ok: true }, { headers: NO_STORE });
}

export default function ChartTemplatesPage() {
  const { templates, services } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  return (
    <>
      <PageHeader title="Chart templates" description="What each service's chart asks. Edits make a new version; charts already started keep theirs." />
      {answer ? <div className="mb-4"><Notice tone={answer.ok ? "success" : "error"}>{answer.message}</Notice></div> : null}
      <div className="grid gap-6 xl:grid-cols-2">
        <Card title="Templates">
          <ul className="divide-y divide-stone-100">
            {templates.map((t) => (
              <li key={t.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                <div>
                  <Link to={`/chart-templates/${t.id}`} className="font-semibold text-brand-800 underline">{t.name}</Link>
                  <p className="text-sm text-stone-700">{t.kind} · version {t.version}{t.faceChart ? " · face chart" : ""}</p>
                  <p className="text-sm text-stone-600">{t.services.length ? `Used by ${t.services.join(", ")}` : "No service uses it yet"}</p>
                </div>
                <Link to={`/chart-templates/${t.id}`} className={secondaryButtonClass} aria-label={`Edit ${t.name}`}>Edit</Link>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Which template each service charts with">
          <ul className="divide-y divide-stone-100">
            {services.map((s) => (
              <li key={s.id} className="py-2">
                <Form method="post" className="flex flex-wrap items-end gap-2">
                  <input type="hidden" name="serviceId" value={s.id} />
                  <div className="min-w-0 grow">
                    <label htmlFor={`template-${s.id}`} className="block text-sm font-medium">{s.name}</label>
                    <select id={`template-${s.id}`} name="templateId" defaultValue={s.templateId} className="mt-1 block min-h-11 w-full rounded-lg border border-stone-400 bg-white px-3">
                      <option value="" disabled>Choose…</option>
                      {templates.map((t) => (
                        <option key={t.id} value={t.id}>{t.name}</option>
                      ))}
                    </select>
                  </div>
                  <button type="submit" className={secondaryButtonClass} aria-label={`Save template for ${s.name}`}>Save</button>
                </Form>
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </>
  );
}
