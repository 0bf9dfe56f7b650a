import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormErrors } from "~/components/field";
import { Card, Notice, PageHeader, buttonClass, dangerButtonClass } from "~/components/ui";
import { changePassword } from "~/account/account.server";
import { requireUser } from "~/auth/guards.server";
import { ROLE_LABELS, can, mfaRequiredFor } from "~/auth/permissions";
import { ChangePasswordSchema } from "~/auth/schemas";
import { NO_STORE, parseForm } from "~/lib/forms.server";
import { forgetOfflineKey } from "~/pwa/offline-key";

export const meta: MetaFunction = () => [{ title: "My account · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const { user, organization } = session;
  return data(
    {
      name: user.name,
      email: user.email,
      role: ROLE_LABELS[user.role],
      organization: organization.name,
      mfaEnabled: user.mfaEnabled,
      mfaAvailable: user.role !== "patient",
      feedAvailable: user.role === "provider" || user.role === "patient",
      signsCharts: can(user.role, "write:chart:own"),
      mfaRequired: mfaRequiredFor(user.role, organization.mfaRequiredForAllStaff),
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const submission = await parseForm(request, ChangePasswordSchema);
  if (submission.status !== "success") return data({ result: submission.reply({ hideFields: ["current", "password", "confirm"] }), saved: false }, { status: 400, headers: NO_STORE });
  const outcome = await changePassword(context, session, submission.value.current, submission.value.password);
  if (!outcome.ok) {
    return data({ result: submission.reply({ fieldErrors: { [outcome.field]: [outcome.message] }, hideFields: ["current", "password", "confirm"] }), saved: false }, { status: outcome.status, headers: NO_STORE });
  }
  return data({ result: submission.reply({ resetForm: true }), saved: true }, { headers: NO_STORE });
}

export default function AccountPage() {
  const account = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "change-password", lastResult: actionData?.result, onValidate: ({ formData }) => parseWithZod(formData, { schema: ChangePasswordSchema }) });
  return (
    <>
      <PageHeader title="My account" description={`${account.name} · ${account.role} at ${account.organization}`} />
      <div className="grid max-w-4xl gap-6 lg:grid-cols-2">
        <Card title="Password">
          {actionData?.saved ? <div className="mb-3"><Notice tone="success">Password changed. Your other devices were signed out.</Notice></div> : null}
          <Form method="post" {...getFormProps(form)} className="space-y-4">
            <FormErrors errors={form.errors} />
            <input type="text" name="username" autoComplete="username" defaultValue={account.email} hidden readOnly />
            <Field label="Current password" errors={fields.current.errors} inputProps={{ ...getInputProps(fields.current, { type: "password" }), autoComplete: "current-password" }} />
            <Field label="New password" hint="At least 12 characters." errors={fields.password.errors} inputProps={{ ...getInputProps(fields.password, { type: "password" }), autoComplete: "new-password" }} />
            <Field label="Confirm new password" errors={fields.confirm.errors} inputProps={{ ...getInputProps(fields.confirm, { type: "password" }), autoComplete: "new-password" }} />
            <button type="submit" className={buttonClass}>Change password</button>
          </Form>
        </Card>
        <div className="space-y-6">
          {account.mfaAvailable ? (
            <Card title="Two-step verification">
              <p className="mb-3 text-stone-700">
                {account.mfaEnabled ? "On: signing in asks for a code from your authenticator app." : "Off."}{" "}
                {account.mfaRequired ? "Your role requires it." : null}
              </p>
              <Link to="/account/mfa" className={buttonClass}>
                {account.mfaEnabled ? "Manage two-step verification" : "Set up two-step verification"}
              </Link>
            </Card>
          ) : null}
          {account.signsCharts ? (
            <Card title="Signing PIN">
              <p className="mb-3 text-stone-700">Sign charts on the tablet when the Wi-Fi is down, with a six-digit PIN.</p>
              <Link to="/account/signing-pin" className={buttonClass}>Set up signing PIN</Link>
            </Card>
          ) : null}
          {account.feedAvailable ? (
            <Card title="Calendar feed">
              <p className="mb-3 text-stone-700">See your appointments in Google Calendar, Outlook or Apple Calendar with a private link.</p>
              <Link to="/account/calendar" className={buttonClass}>Set up calendar feed</Link>
            </Card>
          ) : null}
          <Card title="Signed-in devices">
            <p className="mb-3 text-stone-700">Lost a device or used a shared computer? Sign out of Atrium everywhere, including here.</p>
            <Form method="post" action="/logout" onSubmit={forgetOfflineKey}>
              <input type="hidden" name="scope" value="everywhere" />
              <button type="submit" className={dangerButtonClass}>Sign out everywhere</button>
            </Form>
          </Card>
        </div>
      </div>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
