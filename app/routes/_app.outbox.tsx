import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { EmptyState, Notice, PageHeader, secondaryButtonClass } from "~/components/ui";
import { audit } from "~/audit/audit.server";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { listOutbox, retryDead } from "~/messaging/outbox.server";
import { LINK_PLACEHOLDER } from "../../db/schema";

export const meta: MetaFunction = () => [{ title: "Message outbox · Atrium" }];

const STATUS: Record<string, string> = {
  pending: "Waiting to send",
  sent: "Sent",
  delivered_local: "Delivered here",
  dead: "Failed — not sent",
  held: "Waiting for an email provider",
  skipped: "Not sent — no account to send it to",
};
/** What staff see in place of a one-time link: only its recipient ever gets it. */
const LINK_SHOWN_AS = "[one-time link or code — sent only to the recipient, never shown here]";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:outbox:organization");
  const rows = await listOutbox(context, session.user.organizationId);
  // Messages name patients and carry links, so reading them is audited like a patient record.
  await audit(context, { actor: session.user, action: "outbox.read", entityType: "message", outcome: "allowed" });
  return data(
    {
      providers: { email: context.env.EMAIL_PROVIDER, sms: context.env.SMS_PROVIDER },
      messages: rows.map((m) => ({ id: m.id, kind: m.kind, channel: m.channel, to: m.toAddress, subject: m.subject, body: m.body ? m.body.replace(LINK_PLACEHOLDER, LINK_SHOWN_AS) : "(The text of this message was removed 30 days after it was sent.)", held: m.status === "held", status: m.status, attempts: m.attempts, lastError: m.lastError, createdAt: m.createdAt.toISOString() })),
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "retry:message:organization");
  const parsed = z.object({ intent: z.literal("retry"), messageId: z.string().max(64) }).safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ message: "That request could not be read." }, { status: 400, headers: NO_STORE });
  const ok = await retryDead(context, session.user.organizationId, parsed.data.messageId);
  await audit(context, { actor: session.user, action: "message.retry", entityType: "message", entityId: parsed.data.messageId, outcome: ok ? "allowed" : "denied" });
  return data({ message: ok ? "Queued to send again." : "That message is not waiting for a retry." }, { status: ok ? 200 : 404, headers: NO_STORE });
}

/** Every message Atrium sends. With no provider configured, this page is where they are delivered. */
export default function OutboxPage() {
  const { messages, providers } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageHeader
        title="Message outbox"
        description={`Email: ${providers.email === "local" ? "delivered here (no provider configured)" : providers.email}. Text messages: ${providers.sms === "local" ? "delivered here (no provider configured)" : providers.sms}.`}
      />
      {result ? <div className="mb-4"><Notice>{result.message}</Notice></div> : null}
      {messages.length === 0 ? (
        <EmptyState title="No messages yet">Confirmations, reminders, invitations and password resets appear here the moment they are sent.</EmptyState>
      ) : (
        <ul className="space-y-3">
          {messages.map((m) => (
            <li key={m.id}>
              <details className="rounded-xl border border-stone-200 bg-white p-4">
                <summary className="cursor-pointer">
                  <span className="font-medium">{m.subject}</span> <span className="text-stone-600">· {m.channel === "sms" ? "Text" : "Email"} to {m.to}</span>{" "}
                  <span className={`text-sm ${m.status === "dead" ? "font-semibold text-red-800" : m.status === "held" ? "font-semibold text-amber-900" : "text-stone-600"}`}>· {STATUS[m.status]}{m.attempts > 1 ? ` after ${m.attempts} attempts` : ""}</span>{" "}
                  <span className="text-sm text-stone-600">· {m.createdAt.replace("T", " ").slice(0, 16)} UTC</span>
                </summary>
                <pre className="mt-3 whitespace-pre-wrap break-all font-sans text-stone-800">{m.body}</pre>
                {m.held ? (
                  <p className="mt-3 text-sm text-stone-700">
                    This email carries a one-time link or code, so it can only go to the person&apos;s inbox. It will be sent as soon as Atrium has an email provider (SMTP or SendGrid, see the README)
                    {m.kind === "signup" ? "." : <>; meanwhile whoever runs the Atrium server can make the link for them with <code>npm run account:link -- {m.to}</code>.</>}
                  </p>
                ) : null}
                {m.status === "dead" ? (
                  <Form method="post" className="mt-3 flex items-center gap-3">
                    <input type="hidden" name="intent" value="retry" />
                    <input type="hidden" name="messageId" value={m.id} />
                    <span className="text-sm text-red-800">Last error: {m.lastError}</span>
                    <button type="submit" className={secondaryButtonClass}>Try again</button>
                  </Form>
                ) : null}
              </details>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
