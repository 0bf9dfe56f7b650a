import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Card, Notice, PageHeader, buttonClass, secondaryButtonClass } from "~/components/ui";
import { ErrorList, Field } from "~/components/field";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { consentForms, createConsentForm, saveExamRule } from "~/consents/admin.server";

export const meta: MetaFunction = () => [{ title: "Consent forms · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "manage:consent:organization");
  return data(await consentForms(context, session), { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "manage:consent:organization");
  const form = await request.formData();
  if (form.get("intent") === "exam-rule") {
    const saved = await saveExamRule(context, session, form);
    if (!saved.ok) return data({ intent: "exam-rule", message: "Check the exam rule.", errors: saved.errors, ok: false }, { status: 400, headers: NO_STORE });
    return data({ intent: "exam-rule", message: "Exam rule saved.", errors: {} as Record<string, string>, ok: true }, { headers: NO_STORE });
  }
  const created = await createConsentForm(context, session, form);
  if (!created.ok) return data({ intent: "create", message: "Some of the new form needs fixing; each problem is shown by its field.", errors: created.errors, ok: false }, { status: 400, headers: NO_STORE });
  throw redirect(`/consents/${created.id}`, { headers: NO_STORE });
}

export default function ConsentFormsPage() {
  const { forms, examRule } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const errors: Record<string, string> = reply?.errors ?? {};
  const err = (name: string) => (errors[name] ? [errors[name]] : undefined);
  return (
    <>
      <PageHeader title="Consent forms" description="What patients read and sign before treatment. An edit makes a new version; signatures keep the version they signed." />
      {reply?.message ? <div className="mb-4"><Notice tone={reply.ok ? "success" : "error"}>{reply.message}</Notice></div> : null}
      <div className="grid items-start gap-6 xl:grid-cols-[3fr_2fr]">
        <Card title="Forms">
          <ul className="divide-y divide-stone-100">
            {forms.map((f) => (
              <li key={f.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                <div className="min-w-0">
                  <Link to={`/consents/${f.id}`} className="font-semibold text-brand-800 underline">{f.name}</Link>
                  <p className="text-sm text-stone-700">Version {f.version} · stays current {f.validMonths} months</p>
                  <p className="text-sm text-stone-600">{f.services.length ? `Required for ${f.services.join(", ")}` : "Not required by any service"}</p>
                </div>
                <Link to={`/consents/${f.id}`} className={secondaryButtonClass} aria-label={`Edit ${f.name}`}>Edit</Link>
              </li>
            ))}
          </ul>
        </Card>
        <div className="space-y-6">
          <Card title="Good-faith exam for injectables">
            <Form method="post" className="space-y-3">
              <input type="hidden" name="intent" value="exam-rule" />
              <label className="flex min-h-11 items-start gap-3">
                <input type="checkbox" name="required" defaultChecked={examRule.required} className="mt-1 h-5 w-5" />
                <span>Neurotoxin and filler charts need a good-faith exam by a prescriber on file before they are signed.</span>
              </label>
              <Field label="An exam stays current for (months)" errors={err("validMonths")} inputProps={{ id: "exam-months", name: "validMonths", type: "number", inputMode: "numeric", min: 1, max: 36, defaultValue: examRule.validMonths, required: true }} />
              <button type="submit" className={buttonClass}>Save exam rule</button>
            </Form>
          </Card>
          <Card title="New consent form">
            <Form method="post" className="space-y-3">
              <input type="hidden" name="intent" value="create" />
              <Field label="Name" errors={reply?.intent === "create" ? err("name") : undefined} inputProps={{ id: "new-name", name: "name", required: true, maxLength: 120 }} />
              <div>
                <label htmlFor="new-body" className="block text-sm font-medium text-stone-800">Text</label>
                <textarea id="new-body" name="body" rows={8} required maxLength={20000} className="mt-1 block w-full rounded-lg border border-stone-400 px-3 py-2" aria-invalid={errors.body ? true : undefined} aria-describedby={errors.body ? "new-body-error" : undefined} />
                <ErrorList id="new-body-error" errors={reply?.intent === "create" ? err("body") : undefined} />
              </div>
              <Field label="Stays current for (months)" errors={reply?.intent === "create" ? err("validMonths") : undefined} inputProps={{ id: "new-months", name: "validMonths", type: "number", inputMode: "numeric", min: 1, max: 60, defaultValue: 12, required: true }} />
              <button type="submit" className={buttonClass}>Create form</button>
            </Form>
          </Card>
        </div>
      </div>
    </>
  );
}
