import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { AuthCard, SetPasswordForm } from "~/components/set-password-form";
import { Notice } from "~/components/ui";
import { completeWithToken } from "~/auth/recovery.server";
import { SetPasswordSchema } from "~/auth/schemas";
import { findLiveToken } from "~/auth/tokens.server";
import { NO_STORE, parseForm } from "~/lib/forms.server";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Atrium" }];
/** The page\'s own headers (no-store, no referrer: its URL carries a secret link) reach the document. */
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

const EXPIRED = "This reset link has expired or was already used. Ask for a new one from the sign-in page.";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const live = await findLiveToken(context, token, "password_reset");
  return data({ token, valid: Boolean(live), email: live?.email ?? null }, { headers: { ...NO_STORE, "Referrer-Policy": "no-referrer" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = await parseForm(request, SetPasswordSchema);
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password", "confirm"] }), { status: 400, headers: NO_STORE });
  const done = await completeWithToken(context, "password_reset", submission.value.token, submission.value.password);
  if (!done.ok) return data(submission.reply({ formErrors: [EXPIRED], hideFields: ["password", "confirm"] }), { status: 400, headers: NO_STORE });
  return redirect("/login?reason=password_reset", { headers: NO_STORE });
}

export default function Page() {
  const { token, valid, email } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <AuthCard title="Choose a new password">
      {valid ? <p className="text-stone-700">For {email}.</p> : <Notice tone="error">{EXPIRED}</Notice>}
      {valid ? <SetPasswordForm token={token} lastResult={lastResult} submitLabel="Save new password" /> : null}
    </AuthCard>
  );
}
