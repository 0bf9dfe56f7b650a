import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormErrors } from "~/components/field";
import { AuthCard, SetPasswordForm } from "~/components/set-password-form";
import { Notice, buttonClass } from "~/components/ui";
import { completeWithToken } from "~/auth/recovery.server";
import { AcceptWithPasswordSchema, SetPasswordSchema } from "~/auth/schemas";
import { findLiveToken } from "~/auth/tokens.server";
import { NO_STORE } from "~/lib/forms.server";

export const meta: MetaFunction = () => [{ title: "Accept your invitation · Atrium" }];
/** The page\'s own headers (no-store, no referrer: its URL carries a secret link) reach the document. */
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

const EXPIRED = "This invitation has expired or was already used. Ask your clinic to send a new one.";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const live = await findLiveToken(context, token, "invite");
  return data(
    { token, invite: live && { email: live.email, organizationName: live.organizationName, existingAccount: live.hasPassword } },
    { headers: { ...NO_STORE, "Referrer-Policy": "no-referrer" } },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const live = await findLiveToken(context, String(formData.get("token") ?? ""), "invite");
  // Someone who already has an Atrium account confirms with its password; a new user chooses one.
  const submission = parseWithZod(formData, { schema: live?.hasPassword ? AcceptWithPasswordSchema : SetPasswordSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password", "confirm"] }), { status: 400, headers: NO_STORE });
  const done = await completeWithToken(context, "invite", submission.value.token, submission.value.password);
  if (!done.ok) {
    const reply =
      done.reason === "wrong_password" ? submission.reply({ fieldErrors: { password: ["That is not the password of your Atrium account."] }, hideFields: ["password"] })
      : done.reason === "throttled" ? submission.reply({ formErrors: [done.message], hideFields: ["password"] })
      : submission.reply({ formErrors: [EXPIRED], hideFields: ["password", "confirm"] });
    return data(reply, { status: done.reason === "throttled" ? 429 : 400, headers: NO_STORE });
  }
  return redirect("/login?reason=invite_accepted", { headers: NO_STORE });
}

function ExistingAccountForm({ token, lastResult }: { token: string; lastResult: ReturnType<typeof useActionData<typeof action>> }) {
  const [form, fields] = useForm({ id: "accept-invite", lastResult, onValidate: ({ formData }) => parseWithZod(formData, { schema: AcceptWithPasswordSchema }) });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <FormErrors errors={form.errors} />
      <input type="hidden" name="token" value={token} />
      <Field label="Your Atrium password" errors={fields.password.errors} inputProps={{ ...getInputProps(fields.password, { type: "password" }), autoComplete: "current-password" }} />
      <button type="submit" className={`${buttonClass} w-full`}>Accept invitation</button>
    </Form>
  );
}

export default function InvitePage() {
  const { token, invite } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <AuthCard title="Accept your invitation">
      {!invite ? (
        <Notice tone="error">{EXPIRED}</Notice>
      ) : invite.existingAccount ? (
        <>
          <p className="text-stone-700">
            {invite.organizationName} invited {invite.email}. You already use Atrium with this email: enter your password to add {invite.organizationName} to your account.
          </p>
          <ExistingAccountForm token={token} lastResult={lastResult} />
        </>
      ) : (
        <>
          <p className="text-stone-700">{invite.organizationName} invited {invite.email}. Choose a password to start.</p>
          <SetPasswordForm token={token} lastResult={lastResult} submitLabel="Set password and continue" />
        </>
      )}
    </AuthCard>
  );
}
