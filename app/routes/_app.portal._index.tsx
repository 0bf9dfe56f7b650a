import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { greetingName } from "~/lib/names";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Card, EmptyState, Notice, buttonClass, dangerButtonClass } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { getOwnPatient, ownPatientId } from "~/patients/patients.server";
import { pastForPatient, transitionAppointment, upcomingForPatient } from "~/scheduling/appointments.server";
import { formatDateTime } from "~/scheduling/format";

export const meta: MetaFunction = () => [{ title: "Your portal · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:own");
  // The patient's record and their visits at once: the visits keyed by the signed-in user in SQL.
  const [me, upcoming, past] = await Promise.all([getOwnPatient(context, session), upcomingForPatient(context, session.user, ownPatientId(session)), pastForPatient(context, session.user, ownPatientId(session))]);
  const params = new URL(request.url).searchParams;
  const booked = params.get("booked");
  return data(
    {
      firstName: me?.firstName ?? greetingName(session.user.name),
      organizationName: session.organization.name,
      bookHref: `/book/${session.organization.slug}`,
      hasRecord: Boolean(me),
      justBooked: upcoming.find((a) => a.id === booked)?.status ?? null,
      justMoved: upcoming.find((a) => a.id === params.get("moved")) ? true : false,
      justCancelled: params.get("cancelled") === "1",
      past: past.map((a) => ({ id: a.id, status: a.status, when: formatDateTime(a.startsAt.getTime(), a.timeZone), serviceName: a.serviceName, providerName: a.providerName, locationName: a.locationName })),
      upcoming: upcoming.map((a) => ({ id: a.id, status: a.status, when: formatDateTime(a.startsAt.getTime(), a.timeZone), serviceName: a.serviceName, providerName: a.providerName, locationName: a.locationName, address: a.address })),
    },
    { headers: NO_STORE },
  );
}

const CancelSchema = z.object({ intent: z.literal("cancel"), appointmentId: z.string().max(64) });

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "update:patient:own");
  const parsed = CancelSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false, message: "That request could not be read." }, { status: 400, headers: NO_STORE });
  const result = await transitionAppointment(context, session.user, parsed.data.appointmentId, "cancelled", "cancelled by patient online");
  if (!result.ok) return data({ ok: false, message: result.message }, { status: result.status, headers: NO_STORE });
  return data({ ok: true, message: "Your visit is cancelled." }, { headers: NO_STORE });
}

export default function PortalHome() {
  const { firstName, organizationName, bookHref, hasRecord, justBooked, justMoved, justCancelled, upcoming, past } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Hello, {firstName}</h1>
      {justBooked ? <Notice tone="success">{justBooked === "requested" ? "Request sent. The clinic will confirm it and let you know." : "You're booked. A confirmation is on its way."}</Notice> : null}
      {justMoved ? <Notice tone="success">Your visit has moved. We've sent the new time.</Notice> : null}
      {justCancelled ? <Notice tone="success">Your visit is cancelled.</Notice> : null}
      {result ? <Notice tone={result.ok ? "success" : "error"}>{result.message}</Notice> : null}
      <Card title="Upcoming visits">
        {upcoming.length === 0 ? (
          <EmptyState title="No upcoming visits">
            Visits you book with {organizationName} show here, with the time, place and how to change them.
          </EmptyState>
        ) : (
          <ul className="space-y-3">
            {upcoming.map((a) => (
              <li key={a.id} className="rounded-lg border border-stone-200 p-3">
                <p className="font-semibold">{a.serviceName}</p>
                <p>{a.when}</p>
                <p className="text-sm text-stone-700">
                  {a.providerName} · {a.locationName}, {a.address}
                </p>
                <p className="text-sm font-medium">{a.status === "requested" ? "Waiting for the clinic to confirm" : "Confirmed"}</p>
                <div className="mt-2 flex flex-wrap gap-2">
                  <Link to={`/portal/visits/${a.id}`} className="inline-flex min-h-11 items-center rounded-lg border border-stone-300 px-3 font-medium">
                    Change time
                  </Link>
                  <a href={`/appointments/${a.id}/calendar.ics`} className="inline-flex min-h-11 items-center rounded-lg border border-stone-300 px-3 font-medium">
                    Add to calendar
                  </a>
                  <Form method="post">
                    <input type="hidden" name="intent" value="cancel" />
                    <input type="hidden" name="appointmentId" value={a.id} />
                    <button type="submit" className={dangerButtonClass}>
                      Cancel visit
                    </button>
                  </Form>
                </div>
              </li>
            ))}
          </ul>
        )}
        <Link to={bookHref} className={`${buttonClass} mt-4 w-full`}>
          Book a visit
        </Link>
      </Card>
      <Card title="Past visits">
        {past.length === 0 ? (
          <p className="text-stone-700">Your visits with {organizationName} are listed here once they have happened.</p>
        ) : (
          <ul className="divide-y divide-stone-100">
            {past.map((a) => (
              <li key={a.id} className="py-3">
                <p className="font-semibold">{a.serviceName}</p>
                <p>{a.when}</p>
                <p className="text-sm text-stone-700">
                  {a.providerName} · {a.locationName}
                  {a.status === "completed" ? "" : a.status === "no_show" ? " · Missed" : " · Cancelled"}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {hasRecord ? (
        <Card title="Your details">
          <p>
            Keep your phone and email current so the clinic can reach you.{" "}
            <Link to="/portal/profile" className="font-medium text-brand-700 underline">
              Review your details
            </Link>
          </p>
        </Card>
      ) : null}
    </div>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
