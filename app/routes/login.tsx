import { useEffect } from "react";
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormErrors } from "~/components/field";
import { Notice, buttonClass } from "~/components/ui";
import { createAuthenticator } from "~/auth/login.server";
import { homePathFor } from "~/auth/permissions";
import { LoginSchema } from "~/auth/schemas";
import { createSession, loadSession } from "~/auth/session.server";
import { NO_STORE } from "~/lib/forms.server";
import { forgetOfflineKey } from "~/pwa/offline-key";

export const meta: MetaFunction = () => [{ title: "Sign in · Atrium" }];

const REASONS: Record<string, string> = {
  idle: "You were signed out after a period of inactivity. Sign in again to continue.",
  expired: "Your session reached its maximum length. Sign in again to continue.",
  revoked: "You were signed out. Sign in again to continue.",
  disabled: "This account has been disabled. Contact your clinic manager.",
  signed_out: "You have signed out.",
  password_reset: "Your password was changed. Sign in with the new one.",
  invite_accepted: "Invitation accepted. Sign in to continue.",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const loaded = await loadSession(context, request);
  if (loaded && "session" in loaded && !loaded.session.mfaPending) throw redirect(homePathFor(loaded.session.user.role));
  const url = new URL(request.url);
  const reason = url.searchParams.get("reason");
  return data({ notice: reason ? REASONS[reason] ?? null : null, redirectTo: url.searchParams.get("redirectTo") ?? "" }, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const outcome = await createAuthenticator(context).authenticate("password", request);
  if (outcome.kind === "invalid") return data(outcome.submission.reply(), { status: 400, headers: NO_STORE });
  if (outcome.kind === "refused") {
    return data(outcome.submission.reply({ formErrors: [outcome.message], hideFields: ["password"] }), { status: outcome.status, headers: NO_STORE });
  }
  const { user, redirectTo } = outcome;
  const session = await createSession(context, user, { mfaRequired: user.mfaEnabled });
  const next = user.mfaEnabled ? `/login/mfa${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}` : redirectTo ?? homePathFor(user.role);
  return redirect(next, { headers: { "Set-Cookie": session.setCookie, ...NO_STORE } });
}

export default function LoginPage() {
  const { notice, redirectTo } = useLoaderData<typeof loader>();
  // Whoever signs in next, the last user's offline data on this device stays sealed (ADR 018).
  useEffect(() => forgetOfflineKey(), []);
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: "login",
    lastResult,
    constraint: getZodConstraint(LoginSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
  });
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <p className="text-center text-sm font-semibold uppercase tracking-widest text-brand-700">Atrium</p>
        <h1 className="mt-2 text-center text-2xl font-semibold">Sign in</h1>
        <div className="mt-6 space-y-4 rounded-xl border border-stone-200 bg-white p-6 shadow-sm">
          {notice ? <Notice>{notice}</Notice> : null}
          <Form method="post" {...getFormProps(form)} className="space-y-4">
            <FormErrors errors={form.errors} />
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <Field label="Email" errors={fields.email.errors} inputProps={{ ...getInputProps(fields.email, { type: "email" }), autoComplete: "email" }} />
            <Field
              label="Password"
              errors={fields.password.errors}
              inputProps={{ ...getInputProps(fields.password, { type: "password" }), autoComplete: "current-password" }}
            />
            <button type="submit" className={`${buttonClass} w-full`} disabled={busy}>
              {busy ? "Signing in…" : "Sign in"}
            </button>
          </Form>
          <p className="text-center text-sm">
            <Link to="/forgot-password" className="font-medium text-brand-700 underline">
              Forgot your password?
            </Link>
          </p>
        </div>
      </div>
    </main>
  );
}
