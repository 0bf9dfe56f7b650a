import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Card, Notice, PageHeader, buttonClass, secondaryButtonClass } from "~/components/ui";
import { ErrorList, Field } from "~/components/field";
import { notFound, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { formatDateTime } from "~/scheduling/format";
import { consentFormDetail, updateConsentForm } from "~/consents/admin.server";

export const meta: MetaFunction = () => [{ title: "Consent form · Atrium" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "manage:consent:organization");
  const detail = await consentFormDetail(context, session, (params.templateId ?? "").slice(0, 200));
  if (!detail) throw notFound("No consent form with that id in your organization.");
  const tz = session.locations[0]?.timeZone ?? "UTC";
  const saved = new URL(request.url).searchParams.get("saved");
  return data(
    {
      id: detail.form.id,
      name: detail.form.name,
      version: detail.form.currentVersion,
      validMonths: detail.form.validMonths,
      body: detail.current.body,
      services: detail.services,
      versions: detail.versions.map((v) => ({ version: v.version, fingerprint: v.sha.slice(0, 12), when: formatDateTime(v.createdAt.getTime(), tz) })),
      saved: saved === "version" ? "Saved as a new version. Signatures already given keep the version they signed." : saved === "settings" ? "Saved." : null,
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "manage:consent:organization");
  const id = (params.templateId ?? "").slice(0, 200);
  const outcome = await updateConsentForm(context, session, id, await request.formData());
  if (outcome.ok) throw redirect(`/consents/${id}?saved=${outcome.newVersion ? "version" : "settings"}`, { headers: NO_STORE });
  return data({ message: outcome.message, errors: outcome.errors }, { status: outcome.status, headers: NO_STORE });
}

export default function ConsentFormPage() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const errors: Record<string, string> = reply?.errors ?? {};
  const err = (name: string) => (errors[name] ? [errors[name]] : undefined);
  return (
    <>
      <PageHeader title={page.name} description={`Version ${page.version}`} actions={<Link to="/consents" className={secondaryButtonClass}>All consent forms</Link>} />
      <div className="mb-4 space-y-3">
        {page.saved && !reply ? <Notice tone="success">{page.saved}</Notice> : null}
        {reply?.message ? <Notice tone="error">{reply.message}</Notice> : null}
      </div>
      <div className="grid gap-6 xl:grid-cols-[3fr_2fr]">
        <Card title="Text and settings">
          <Form method="post" className="space-y-4" key={page.version}>
            <input type="hidden" name="version" value={page.version} />
            <Field label="Name (the title patients read)" errors={err("name")} inputProps={{ id: "name", name: "name", defaultValue: page.name, required: true, maxLength: 120 }} />
            <div>
              <label htmlFor="body" className="block text-sm font-medium text-stone-800">Text</label>
              <p id="body-hint" className="text-sm text-stone-600">Leave a blank line between paragraphs. Changing the name or text makes version {page.version + 1}.</p>
              <textarea id="body" name="body" rows={16} required maxLength={20000} defaultValue={page.body} className="mt-1 block w-full rounded-lg border border-stone-400 px-3 py-2" aria-invalid={errors.body ? true : undefined} aria-describedby={errors.body ? "body-hint body-error" : "body-hint"} />
              <ErrorList id="body-error" errors={err("body")} />
            </div>
            <Field label="A signature stays current for (months)" errors={err("validMonths")} inputProps={{ id: "months", name: "validMonths", type: "number", inputMode: "numeric", min: 1, max: 60, defaultValue: page.validMonths, required: true }} />
            <fieldset>
              <legend className="text-sm font-medium text-stone-800">Required before signing a chart for</legend>
              <div className="mt-2 grid gap-1 sm:grid-cols-2">
                {page.services.map((s) => (
                  <label key={s.id} className="flex min-h-11 items-center gap-2">
                    <input type="checkbox" name="serviceId" value={s.id} defaultChecked={s.required} className="h-5 w-5" /> {s.name}
                  </label>
                ))}
              </div>
            </fieldset>
            <button type="submit" className={buttonClass}>Save</button>
          </Form>
        </Card>
        <Card title="Versions">
          <ol className="divide-y divide-stone-100">
            {page.versions.map((v) => (
              <li key={v.version} className="py-2 text-sm">
                <span className="font-semibold">Version {v.version}</span> · {v.when} · fingerprint <code>{v.fingerprint}</code>
              </li>
            ))}
          </ol>
        </Card>
      </div>
    </>
  );
}
