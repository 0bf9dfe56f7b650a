import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { Field, FormErrors } from "~/components/field";
import { buttonClass } from "~/components/ui";
import { checkSecondFactor } from "~/auth/mfa.server";
import { homePathFor } from "~/auth/permissions";
import { MfaCodeSchema, SafeRedirectSchema } from "~/auth/schemas";
import { loadSession, loginRedirect } from "~/auth/session.server";
import { NO_STORE } from "~/lib/forms.server";
import { forgetOfflineKey } from "~/pwa/offline-key";

export const meta: MetaFunction = () => [{ title: "Two-step verification · Atrium" }];

async function pendingSession(request: Request, context: LoaderFunctionArgs["context"]) {
  const loaded = await loadSession(context, request);
  if (!loaded || "ended" in loaded) throw loginRedirect(request, loaded && "ended" in loaded ? loaded.ended : undefined);
  return loaded.session;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await pendingSession(request, context);
  if (!session.mfaPending) throw redirect(homePathFor(session.user.role));
  return data(null, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await pendingSession(request, context);
  if (!session.mfaPending) throw redirect(homePathFor(session.user.role));
  const submission = parseWithZod(await request.formData(), { schema: MfaCodeSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400, headers: NO_STORE });
  // The code is consumed, the session verified and the outcome audited in one batch.
  const result = await checkSecondFactor(context, session.user, submission.value.code, "auth.mfa_verify", session.id);
  if (!result.ok) return data(submission.reply({ formErrors: [result.message], hideFields: ["code"] }), { status: result.status, headers: NO_STORE });
  const redirectTo = SafeRedirectSchema.parse(new URL(request.url).searchParams.get("redirectTo") ?? undefined);
  return redirect(redirectTo ?? homePathFor(session.user.role), { headers: NO_STORE });
}

export default function MfaPage() {
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "mfa", lastResult, onValidate: ({ formData }) => parseWithZod(formData, { schema: MfaCodeSchema }) });
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm space-y-4 rounded-xl border border-stone-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold">Two-step verification</h1>
        <p className="text-stone-700">Enter the 6-digit code from your authenticator app. Lost your device? Use one of your recovery codes.</p>
        <Form method="post" {...getFormProps(form)} className="space-y-4">
          <FormErrors errors={form.errors} />
          <Field
            label="Code"
            errors={fields.code.errors}
            inputProps={{ ...getInputProps(fields.code, { type: "text" }), autoComplete: "one-time-code", inputMode: "text", autoFocus: true }}
          />
          <button type="submit" className={`${buttonClass} w-full`}>
            Verify
          </button>
        </Form>
        <Form method="post" action="/logout" onSubmit={forgetOfflineKey}>
          <button type="submit" className="text-sm font-medium text-brand-700 underline">
            Cancel and sign out
          </button>
        </Form>
      </div>
    </main>
  );
}
