import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AuthCard } from "~/components/set-password-form";
import { Notice, buttonClass } from "~/components/ui";
import { NO_STORE } from "~/lib/forms.server";
import { optOutOfEmail, unsubscribeTarget } from "~/messaging/email-consent.server";

export const meta: MetaFunction = () => [{ title: "Email preferences · Atrium" }];

/**
 * The link at the foot of every patient email. Opening it only asks (mail scanners open links);
 * the button, or a mail app's RFC 8058 one-click POST, turns emails off.
 */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const target = await unsubscribeTarget(context, params.token ?? "");
  if (!target) throw new Response("This unsubscribe link is not valid.", { status: 404, headers: NO_STORE });
  return data({ firstName: target.firstName, clinic: target.clinic, subscribed: target.emailConsent }, { headers: NO_STORE });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const target = await unsubscribeTarget(context, params.token ?? "");
  if (!target) return data({ done: false, message: "This unsubscribe link is not valid." }, { status: 404, headers: NO_STORE });
  const form = await request.formData();
  await optOutOfEmail(context, target, form.get("List-Unsubscribe") === "One-Click" ? "one_click" : "link");
  return data({ done: true, message: `Done. ${target.clinic} won't email you any more. You can turn emails back on in your patient portal or by asking the clinic.` }, { headers: NO_STORE });
}

export default function Unsubscribe() {
  const { firstName, clinic, subscribed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <AuthCard title="Email preferences">
      {result ? (
        <Notice tone={result.done ? "success" : "error"}>{result.message}</Notice>
      ) : subscribed ? (
        <>
          <p className="mb-4">Hello {firstName}. Stop appointment emails from {clinic}? Texts, if you get them, are separate: reply STOP to any text.</p>
          <Form method="post">
            <button type="submit" className={buttonClass}>Stop emails</button>
          </Form>
        </>
      ) : (
        <Notice tone="info">{clinic} doesn't email you. You can turn emails back on in your patient portal or by asking the clinic.</Notice>
      )}
    </AuthCard>
  );
}
