import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Field, FormErrors } from "~/components/field";
import { Card, Notice, PageHeader, buttonClass, dangerButtonClass } from "~/components/ui";
import { confirmMfaEnrolment, disableMfa, startMfaEnrolment, unusedRecoveryCodeCount } from "~/account/account.server";
import { checkSecondFactor } from "~/auth/mfa.server";
import { requireUser } from "~/auth/guards.server";
import { homePathFor, mfaRequiredFor } from "~/auth/permissions";
import { NO_STORE } from "~/lib/forms.server";
import { SECRET_ANSWER, secretAnswerHeaders } from "~/lib/submission-replay.server";

export { secretAnswerHeaders as headers };

export const meta: MetaFunction = () => [{ title: "Two-step verification · Atrium" }];

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("enrol"), code: z.string({ required_error: "Enter the 6-digit code your app shows." }).trim().regex(/^\d{6}$/, "Enter the 6 digits your app shows.") }),
  z.object({ intent: z.literal("disable"), code: z.string({ required_error: "Enter a current code to confirm." }).trim().max(20) }),
]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context, { allowMfaSetup: true });
  if (session.user.role === "patient") throw redirect("/account");
  const required = mfaRequiredFor(session.user.role, session.organization.mfaRequiredForAllStaff);
  if (session.user.mfaEnabled) {
    return data({ enabled: true as const, required, recoveryLeft: await unusedRecoveryCodeCount(context, session.user.id), home: homePathFor(session.user.role) }, { headers: NO_STORE });
  }
  const { secret, qr } = await startMfaEnrolment(context, session);
  return data({ enabled: false as const, required, secret, qr, home: homePathFor(session.user.role) }, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context, { allowMfaSetup: true });
  if (session.user.role === "patient") throw redirect("/account");
  const submission = parseWithZod(await request.formData(), { schema: ActionSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), recoveryCodes: null }, { status: 400, headers: NO_STORE });
  if (submission.value.intent === "enrol") {
    const outcome = await confirmMfaEnrolment(context, session, submission.value.code);
    if (!outcome.ok) return data({ result: submission.reply({ fieldErrors: { code: [outcome.message] } }), recoveryCodes: null }, { status: outcome.status, headers: NO_STORE });
    return data({ result: submission.reply({ resetForm: true }), recoveryCodes: outcome.recoveryCodes }, { headers: { ...NO_STORE, ...SECRET_ANSWER } });
  }
  if (mfaRequiredFor(session.user.role, session.organization.mfaRequiredForAllStaff)) {
    return data({ result: submission.reply({ formErrors: ["Your role requires two-step verification, so it cannot be turned off."] }), recoveryCodes: null }, { status: 403, headers: NO_STORE });
  }
  const check = await checkSecondFactor(context, session.user, submission.value.code, "auth.mfa_disable_check");
  if (!check.ok) return data({ result: submission.reply({ fieldErrors: { code: [check.message] } }), recoveryCodes: null }, { status: check.status, headers: NO_STORE });
  await disableMfa(context, session);
  return redirect("/account", { headers: NO_STORE });
}

export default function MfaSettingsPage() {
  const state = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "mfa-form", lastResult: actionData?.result });

  if (actionData?.recoveryCodes) {
    return (
      <>
        <PageHeader title="Two-step verification is on" />
        <Card title="Save your recovery codes" className="max-w-xl">
          <p className="mb-3 text-stone-700">Each code signs you in once if you lose your phone. They are shown only now: print them or keep them in a password manager.</p>
          <ul className="grid grid-cols-2 gap-2 font-mono text-lg" aria-label="Recovery codes">
            {actionData.recoveryCodes.map((c) => (
              <li key={c} className="rounded bg-stone-100 px-3 py-1">{c}</li>
            ))}
          </ul>
          <Link to={state.home} className={`${buttonClass} mt-4`}>I've saved them, continue</Link>
        </Card>
      </>
    );
  }

  if (state.enabled) {
    return (
      <>
        <PageHeader title="Two-step verification" description="On. Signing in asks for a code from your authenticator app." />
        <Card className="max-w-xl">
          <p className="text-stone-700">{state.recoveryLeft} unused recovery codes left.</p>
          {state.required ? (
            <p className="mt-3 text-stone-700">Your role requires two-step verification, so it stays on.</p>
          ) : (
            <Form method="post" {...getFormProps(form)} className="mt-4 space-y-3">
              <FormErrors errors={form.errors} />
              <input type="hidden" name="intent" value="disable" />
              <Field label="Current code, to confirm" errors={fields.code.errors} inputProps={{ ...getInputProps(fields.code, { type: "text" }), autoComplete: "one-time-code" }} />
              <button type="submit" className={dangerButtonClass}>Turn off two-step verification</button>
            </Form>
          )}
        </Card>
      </>
    );
  }

  return (
    <>
      <PageHeader title="Set up two-step verification" description="Use an authenticator app such as 1Password, Google Authenticator or Microsoft Authenticator." />
      {state.required ? <div className="mb-4 max-w-xl"><Notice>Your role requires two-step verification. Set it up to continue to Atrium.</Notice></div> : null}
      <Card className="max-w-xl">
        <ol className="list-decimal space-y-4 pl-5">
          <li>
            Scan this code with your app:
            <div className="mt-2 w-48 rounded bg-white p-2" role="img" aria-label="QR code for your authenticator app" dangerouslySetInnerHTML={{ __html: state.qr }} />
          </li>
          <li>
            Or type this key into the app: <code className="block break-all rounded bg-stone-100 px-2 py-1 font-mono text-lg" data-testid="mfa-secret">{state.secret}</code>
          </li>
          <li>
            <Form method="post" {...getFormProps(form)} className="space-y-3">
              <FormErrors errors={form.errors} />
              <input type="hidden" name="intent" value="enrol" />
              <Field label="Enter the 6-digit code it shows" errors={fields.code.errors} inputProps={{ ...getInputProps(fields.code, { type: "text" }), autoComplete: "one-time-code", inputMode: "numeric" }} />
              <button type="submit" className={buttonClass}>Turn on</button>
            </Form>
          </li>
        </ol>
      </Card>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
