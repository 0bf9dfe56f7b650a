import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { EmptyState, PageHeader } from "~/components/ui";
import { audit } from "~/audit/audit.server";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { listOutbox } from "~/mail/outbox.server";

export const meta: MetaFunction = () => [{ title: "Email outbox · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:outbox:organization");
  const emails = await listOutbox(context, session.user.organizationId);
  // Messages name patients and carry links, so reading them is audited like a patient record.
  await audit(context, { actor: session.user, action: "outbox.read", entityType: "email", outcome: "allowed" });
  return data({ emails: emails.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })) }, { headers: NO_STORE });
}

/** The embedded default's mail delivery: every email Atrium sends lands here for staff to read. */
export default function OutboxPage() {
  const { emails } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Email outbox" description="With no email provider configured, Atrium delivers messages here. Invitations and password resets show up the moment they are sent." />
      {emails.length === 0 ? (
        <EmptyState title="No emails yet">Invitations, password resets and, later, appointment messages will appear here.</EmptyState>
      ) : (
        <ul className="space-y-3">
          {emails.map((e) => (
            <li key={e.id}>
              <details className="rounded-xl border border-stone-200 bg-white p-4">
                <summary className="cursor-pointer">
                  <span className="font-medium">{e.subject}</span> <span className="text-stone-600">to {e.toAddress}</span>{" "}
                  <span className="text-sm text-stone-600">· {e.createdAt.replace("T", " ").slice(0, 16)} UTC</span>
                </summary>
                <pre className="mt-3 whitespace-pre-wrap break-all font-sans text-stone-800">{e.textBody}</pre>
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
