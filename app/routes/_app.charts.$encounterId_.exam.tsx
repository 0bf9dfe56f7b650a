import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Card, Notice, PageHeader, buttonClass, secondaryButtonClass } from "~/components/ui";
import { ErrorList } from "~/components/field";
import { notFound, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { examTarget, recordExam } from "~/consents/consents.server";

export const meta: MetaFunction = () => [{ title: "Good-faith exam · Atrium" }];

/** A prescriber's good-faith exam of the chart's patient, recorded before an injectable is signed. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "record:exam:organization");
  const encounterId = (params.encounterId ?? "").slice(0, 64);
  const target = await examTarget(context, session, encounterId);
  if (!target) throw notFound("No chart with that id in your organization.");
  return data({ encounterId, patientName: target.patientName, clientId: crypto.randomUUID() }, { headers: NO_STORE });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "record:exam:organization");
  const encounterId = (params.encounterId ?? "").slice(0, 64);
  const outcome = await recordExam(context, session, encounterId, await request.formData());
  if (outcome.ok) throw redirect(`/charts/${encounterId}?saved=exam`, { headers: NO_STORE });
  return data({ message: outcome.message, errors: outcome.errors }, { status: outcome.status, headers: NO_STORE });
}

export default function ExamPage() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const error = reply?.errors?.findings;
  return (
    <>
      <PageHeader title="Good-faith exam" description={page.patientName} actions={<Link to={`/charts/${page.encounterId}`} className={secondaryButtonClass}>Back to the chart</Link>} />
      {reply?.message ? (
        <div className="mb-4">
          <Notice tone="error">{reply.message}</Notice>
        </div>
      ) : null}
      <Card>
        <Form method="post" className="space-y-4">
          <input type="hidden" name="clientId" value={page.clientId} />
          <div>
            <label htmlFor="findings" className="block text-sm font-medium text-stone-800">Findings and approval</label>
            <p id="findings-hint" className="text-sm text-stone-600">History reviewed, examination, and the treatment you approve (products, areas, limits). Recorded now, under your name.</p>
            <textarea id="findings" name="findings" rows={6} maxLength={4000} required className="mt-1 block w-full rounded-lg border border-stone-400 px-3 py-2" aria-describedby={error ? "findings-hint findings-error" : "findings-hint"} aria-invalid={error ? true : undefined} />
            <ErrorList id="findings-error" errors={error ? [error] : undefined} />
          </div>
          <button type="submit" className={buttonClass}>Record exam</button>
        </Form>
      </Card>
    </>
  );
}
