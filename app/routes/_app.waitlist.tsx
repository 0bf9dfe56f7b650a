import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { formatCalendarDate } from "~/scheduling/format";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Card, Notice, PageHeader, inputClass, secondaryButtonClass } from "~/components/ui";
import { requireWorkingLocation } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { getPatient, searchPatients } from "~/patients/patients.server";
import { addDays, localDateOf } from "~/scheduling/local-time";
import { leaveWaitlist, waitlistForLocation } from "~/waitlist/entries.server";
import { EntryList } from "~/waitlist/entry-list";
import { handleJoin } from "~/waitlist/join.server";
import { JoinWaitlistForm } from "~/waitlist/join-form";
import { waitlistOptions } from "~/waitlist/options.server";
import { presentEntries } from "~/waitlist/present";
import { openSearch, searchRedirect } from "~/patients/search-param.server";

export const meta: MetaFunction = () => [{ title: "Waitlist · Atrium" }];

const setup = (request: Request, context: LoaderFunctionArgs["context"]) => requireWorkingLocation(request, context, "create:appointment:location");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { session, location } = await setup(request, context);
  const url = new URL(request.url);
  const q = (await openSearch(context, session.id, url.searchParams.get("s"))) ?? "";
  const patientId = url.searchParams.get("patient")?.slice(0, 64);
  const today = localDateOf(location.timeZone, context.clock.now().getTime());
  const [entries, options, found, patient] = await Promise.all([
    waitlistForLocation(context, session.user, location.id),
    waitlistOptions(context, session.user, { onlineOnly: false }),
    q ? searchPatients(context, session, q, 1) : null,
    patientId ? getPatient(context, session, patientId) : null,
  ]);
  return data(
    {
      location: { id: location.id, name: location.name },
      entries: presentEntries(entries, true),
      options,
      q,
      results: (found?.rows ?? []).map((p) => ({ id: p.id, name: `${p.lastName}, ${p.firstName}`, dateOfBirth: p.dateOfBirth })),
      patient: patient && { id: patient.id, name: `${patient.firstName} ${patient.lastName}` },
      defaults: { locationId: location.id, fromDate: today, toDate: addDays(today, 14) },
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { session } = await setup(request, context);
  const formData = await request.formData();
  if (formData.get("intent") === "search") return searchRedirect(context, session.id, "/waitlist", new URLSearchParams(), formData.get("q"));
  if (formData.get("intent") === "leave") {
    const removed = await leaveWaitlist(context, session.user, String(formData.get("entryId") ?? "").slice(0, 64), null);
    return data({ reply: null, ok: removed, message: removed ? "Removed from the waitlist." : "That waitlist entry was not found." }, { status: removed ? 200 : 404, headers: NO_STORE });
  }
  const joined = await handleJoin(context, session.user, null, formData);
  return data({ reply: joined.reply, ok: joined.status === 200, message: joined.status === 200 ? "Added to the waitlist." : null }, { status: joined.status, headers: NO_STORE });
}

export default function WaitlistPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageHeader title="Waitlist" description={`${d.location.name} · first come, first offered. When a visit is cancelled or moved, the first matching patient gets a message.`} />
      {result?.message ? <div className="mb-4"><Notice tone={result.ok ? "success" : "error"}>{result.message}</Notice></div> : null}
      <div className="grid max-w-6xl gap-6 lg:grid-cols-2">
        <Card title={`Waiting at ${d.location.name}`}>
          <EntryList rows={d.entries} removeLabel="Remove" empty="When patients join the waitlist online or you add them here, they show in the order they joined." />
        </Card>
        <Card title="Add a patient">
          {d.patient ? (
            <>
              <p className="mb-3">
                <span className="font-semibold">{d.patient.name}</span> <Link to="/waitlist" className="text-brand-700 underline">Change</Link>
              </p>
              <JoinWaitlistForm options={d.options} defaults={d.defaults} lastResult={result?.reply} patientId={d.patient.id} submitLabel="Add to the waitlist" />
            </>
          ) : (
            <>
              <Form method="post" role="search" className="mb-3 flex gap-2">
                <input type="hidden" name="intent" value="search" />
                <label htmlFor="waitlist-q" className="sr-only">Search patients by name, phone, email or date of birth</label>
                <input id="waitlist-q" name="q" defaultValue={d.q} placeholder="Name, phone or email" className={`${inputClass} mt-0`} maxLength={100} />
                <button type="submit" className={secondaryButtonClass}>Search</button>
              </Form>
              {d.q ? (
                d.results.length ? (
                  <ul className="divide-y divide-stone-100" aria-label="Matching patients">
                    {d.results.map((p) => (
                      <li key={p.id} className="flex items-center justify-between py-2">
                        <span>{p.name} · born {formatCalendarDate(p.dateOfBirth)}</span>
                        <Link to={`/waitlist?patient=${p.id}`} className="font-medium text-brand-700 underline">Choose</Link>
                      </li>
                    ))}
                  </ul>
                ) : <p className="text-stone-700">No patients match.</p>
              ) : <p className="text-stone-700">Find the patient first.</p>}
            </>
          )}
        </Card>
      </div>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
