import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { EmptyState, Notice, PageHeader, inputClass, secondaryButtonClass } from "~/components/ui";
import { audit } from "~/audit/audit.server";
import { accessibleLocations, currentLocation, requirePermission } from "~/auth/guards.server";
import { formatMoment } from "~/scheduling/format";
import { NO_STORE } from "~/lib/forms.server";
import { listOutbox, OUTBOX_PAGE_SIZE, retryDead } from "~/messaging/outbox.server";
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

const FilterSchema = z.object({
  status: z.enum(Object.keys(STATUS) as [string, ...string[]]).optional(),
  channel: z.enum(["email", "sms"]).optional(),
  to: z.string().trim().max(120, "Use at most 120 characters for the address.").optional(),
  before: z.coerce.number().int().positive().optional(),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:outbox:organization");
  const raw = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = FilterSchema.safeParse(raw);
  if (!parsed.success) throw new Response("Those filters could not be read: " + parsed.error.issues.map((i) => i.message).join(" "), { status: 400 });
  const f = parsed.data;
  const timeZone = currentLocation(session, await accessibleLocations(context, session))?.timeZone ?? "UTC";
  const found = await listOutbox(context, session.user.organizationId, f);
  const rows = found.slice(0, OUTBOX_PAGE_SIZE);
  const next = found.length > OUTBOX_PAGE_SIZE ? `?${new URLSearchParams({ ...raw, before: String(rows.at(-1)!.createdAt.getTime()) })}` : null;
  // Messages name patients and carry links, so reading them is audited like a patient record.
  await audit(context, { actor: session.user, action: "outbox.read", entityType: "message", outcome: "allowed" });
  return data(
    {
      providers: { email: context.env.EMAIL_PROVIDER, sms: context.env.SMS_PROVIDER },
      filters: { status: f.status ?? "", channel: f.channel ?? "", to: f.to ?? "" },
      filtered: Boolean(f.status || f.channel || f.to || f.before),
      next,
      messages: rows.map((m) => ({ id: m.id, kind: m.kind, channel: m.channel, to: m.toAddress, subject: m.subject, body: m.body ? m.body.replace(LINK_PLACEHOLDER, LINK_SHOWN_AS) : "(The text of this message was removed 30 days after it was sent.)", held: m.status === "held", status: m.status, attempts: m.attempts, lastError: m.lastError, createdAt: formatMoment(m.createdAt.getTime(), timeZone) })),
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
  const { messages, providers, filters, filtered, next } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageHeader
        title="Message outbox"
        description={`Email: ${providers.email === "local" ? "delivered here (no provider configured)" : providers.email}. Text messages: ${providers.sms === "local" ? "delivered here (no provider configured)" : providers.sms}.`}
      />
      {result ? <div className="mb-4"><Notice>{result.message}</Notice></div> : null}
      <Form method="get" className="mb-4 grid gap-3 rounded-xl border border-stone-200 bg-white p-4 sm:grid-cols-4">
        <div>
          <label htmlFor="o-status" className="text-sm font-medium">Status</label>
          <select id="o-status" name="status" defaultValue={filters.status} className={inputClass}>
            <option value="">Any</option>
            {Object.entries(STATUS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="o-channel" className="text-sm font-medium">Sent by</label>
          <select id="o-channel" name="channel" defaultValue={filters.channel} className={inputClass}>
            <option value="">Email or text</option>
            <option value="email">Email</option>
            <option value="sms">Text message</option>
          </select>
        </div>
        <div>
          <label htmlFor="o-to" className="text-sm font-medium">To (starts with)</label>
          <input id="o-to" name="to" defaultValue={filters.to} maxLength={120} className={inputClass} />
        </div>
        <div className="flex items-end gap-2">
          <button type="submit" className={secondaryButtonClass}>Filter</button>
          {filtered ? <Link to="/outbox" className="text-sm text-brand-800 underline">Clear</Link> : null}
        </div>
      </Form>
      {messages.length === 0 && filtered ? (
        <EmptyState title="No messages match">Try another status, channel or address.</EmptyState>
      ) : messages.length === 0 ? (
        <EmptyState title="No messages yet">Confirmations, reminders, invitations and password resets appear here the moment they are sent.</EmptyState>
      ) : (
        <ul className="space-y-3">
          {messages.map((m) => (
            <li key={m.id}>
              <details className="rounded-xl border border-stone-200 bg-white p-4">
                <summary className="cursor-pointer">
                  <span className="font-medium">{m.subject}</span> <span className="text-stone-600">· {m.channel === "sms" ? "Text" : "Email"} to {m.to}</span>{" "}
                  <span className={`text-sm ${m.status === "dead" ? "font-semibold text-red-800" : m.status === "held" ? "font-semibold text-amber-900" : "text-stone-600"}`}>· {STATUS[m.status]}{m.attempts > 1 ? ` after ${m.attempts} attempts` : ""}</span>{" "}
                  <span className="text-sm text-stone-600">· {m.createdAt}</span>
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
      {next ? <Link to={next} className={`${secondaryButtonClass} mt-4`}>Older messages</Link> : null}
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
