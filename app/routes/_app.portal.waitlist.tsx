import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Card, Notice } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { getOwnPatient, ownPatientId } from "~/patients/patients.server";
import { addDays } from "~/scheduling/local-time";
import { leaveWaitlist, waitlistForPatient } from "~/waitlist/entries.server";
import { EntryList } from "~/waitlist/entry-list";
import { handleJoin } from "~/waitlist/join.server";
import { JoinWaitlistForm } from "~/waitlist/join-form";
import { waitlistOptions } from "~/waitlist/options.server";
import { presentEntries } from "~/waitlist/present";

export const meta: MetaFunction = () => [{ title: "Waitlist · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:own");
  const url = new URL(request.url);
  const today = context.clock.now().toISOString().slice(0, 10);
  // The patient's record, their entries (keyed by the signed-in user in SQL) and the choices, at once.
  const [me, entries, options] = await Promise.all([getOwnPatient(context, session), waitlistForPatient(context, session.user, ownPatientId(session)), waitlistOptions(context, session.user, { onlineOnly: true })]);
  const pick = (key: string) => url.searchParams.get(key)?.slice(0, 64) || undefined;
  return data(
    {
      hasRecord: Boolean(me),
      entries: presentEntries(entries, false),
      options,
      defaults: { locationId: pick("location"), serviceId: pick("service"), providerId: pick("provider"), fromDate: pick("from") ?? today, toDate: pick("to") ?? addDays(today, 14) },
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "update:patient:own");
  // The patient record this account is linked to was read with the session.
  const me = session.patientId ? { id: session.patientId } : null;
  if (!me) return data({ reply: null, message: "Your patient record isn't set up yet. Please call the clinic." }, { status: 409, headers: NO_STORE });
  const formData = await request.formData();
  if (formData.get("intent") === "leave") {
    const left = await leaveWaitlist(context, session.user, String(formData.get("entryId") ?? "").slice(0, 64), me.id);
    return data({ reply: null, message: left ? "You've left that waitlist." : "That waitlist entry was not found." }, { status: left ? 200 : 404, headers: NO_STORE });
  }
  formData.delete("patientId"); // patients always join as themselves
  const joined = await handleJoin(context, session.user, me.id, formData);
  return data({ reply: joined.reply, message: joined.status === 200 ? "You're on the waitlist. We'll message you when a matching time opens up." : null }, { status: joined.status, headers: NO_STORE });
}

export default function PortalWaitlist() {
  const { hasRecord, entries, options, defaults } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Waitlist</h1>
      {result?.message ? <Notice tone={result.reply === null && !result.message.startsWith("You've") ? "error" : "success"}>{result.message}</Notice> : null}
      <Card title="Wait for an earlier time">
        <p className="mb-3 text-sm text-stone-700">When a matching time frees up, the first person waiting gets a message with a link. The first to accept gets the time.</p>
        {hasRecord ? <JoinWaitlistForm options={options} defaults={defaults} lastResult={result?.reply} /> : <p>Your patient record isn't set up yet. Please call the clinic.</p>}
      </Card>
      <Card title="You're waiting for">
        <EntryList rows={entries} removeLabel="Leave" empty="Nothing yet. Join above and we'll let you know when a time opens up." />
      </Card>
    </div>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
