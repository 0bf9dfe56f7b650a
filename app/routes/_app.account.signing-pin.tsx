import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormErrors } from "~/components/field";
import { Card, Notice, PageHeader, buttonClass, secondaryButtonClass } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE, parseForm } from "~/lib/forms.server";
import { setSigningPin, signingPinOf } from "~/charting/signing-pin.server";
import { SigningPinSchema } from "~/charting/signing-pin";
import { formatCalendarDate } from "~/scheduling/format";

export const meta: MetaFunction = () => [{ title: "Signing PIN · Atrium" }];

/** A provider's PIN for signing charts on the tablet when there is no connection (ADR 029). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "write:chart:own");
  const pin = await signingPinOf(context, session.user.id);
  return data({ since: pin.setAt ? formatCalendarDate(pin.setAt.toISOString().slice(0, 10)) : null }, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "write:chart:own");
  const submission = await parseForm(request, SigningPinSchema);
  const hide = ["pin", "confirm", "password"];
  if (submission.status !== "success") return data({ result: submission.reply({ hideFields: hide }), saved: false }, { status: 400, headers: NO_STORE });
  const outcome = await setSigningPin(context, session, submission.value);
  if (!outcome.ok) return data({ result: submission.reply({ fieldErrors: { password: [outcome.message] }, hideFields: hide }), saved: false }, { status: outcome.status, headers: NO_STORE });
  return data({ result: submission.reply({ resetForm: true }), saved: true }, { headers: NO_STORE });
}

export default function SigningPinPage() {
  const { since } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "signing-pin", lastResult: reply?.result, onValidate: ({ formData }) => parseWithZod(formData, { schema: SigningPinSchema }) });
  return (
    <>
      <PageHeader title="Signing PIN" description="Sign charts on the tablet when the Wi-Fi is down." actions={<Link to="/account" className={secondaryButtonClass}>My account</Link>} />
      <Card className="max-w-xl">
        {reply?.saved ? <div className="mb-3"><Notice tone="success">Signing PIN saved. Open your charts once online on each tablet you use, so it can check the PIN offline.</Notice></div> : null}
        <p className="mb-4 text-stone-700">
          Offline, you sign a chart with this PIN instead of your password. The tablet checks it; the signature is applied when the chart syncs, after Atrium checks the PIN again. {since ? `Set on ${since}.` : "You have no signing PIN yet."}
        </p>
        <Form method="post" {...getFormProps(form)} className="space-y-4">
          <FormErrors errors={form.errors} />
          <Field label="New PIN (six digits)" errors={fields.pin.errors} inputProps={{ ...getInputProps(fields.pin, { type: "password" }), inputMode: "numeric", autoComplete: "off", maxLength: 6 }} />
          <Field label="The same PIN again" errors={fields.confirm.errors} inputProps={{ ...getInputProps(fields.confirm, { type: "password" }), inputMode: "numeric", autoComplete: "off", maxLength: 6 }} />
          <Field label="Your password" errors={fields.password.errors} inputProps={{ ...getInputProps(fields.password, { type: "password" }), autoComplete: "off" }} />
          <button type="submit" className={buttonClass}>{since ? "Change signing PIN" : "Set signing PIN"}</button>
        </Form>
      </Card>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
