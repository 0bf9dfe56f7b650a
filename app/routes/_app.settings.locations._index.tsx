import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Card, EmptyState, PageHeader } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { NO_STORE, parseForm } from "~/lib/forms.server";
import { LocationForm, timeZoneOptions } from "~/settings/location-form";
import { createLocation, listLocations } from "~/settings/locations.server";
import { LocationSchema } from "~/settings/schemas";

export const meta: MetaFunction = () => [{ title: "Locations · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:organization:organization");
  return data({ locations: await listLocations(context, session), canManage: can(session.user.role, "manage:location:organization"), timeZones: timeZoneOptions() }, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "manage:location:organization");
  const submission = await parseForm(request, LocationSchema);
  if (submission.status !== "success") return data(submission.reply(), { status: 400, headers: NO_STORE });
  const id = await createLocation(context, session, submission.value);
  return redirect(`/settings/locations/${id}`, { headers: NO_STORE });
}

export default function LocationsSettings() {
  const { locations, canManage, timeZones } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <PageHeader title="Locations & rooms" description="Each location keeps its own time zone; appointments are shown in it." />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <Card title="Your locations">
          {locations.length === 0 ? (
            <EmptyState title="No locations yet">Add your first clinic location to start adding rooms and staff.</EmptyState>
          ) : (
            <ul className="divide-y divide-stone-100">
              {locations.map((l) => (
                <li key={l.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                  <Link to={`/settings/locations/${l.id}`} className="font-medium text-brand-700 underline">{l.name}</Link>
                  <span className="text-sm text-stone-600">{l.city}, {l.region} · {l.timeZone} · {l.rooms} rooms</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        {canManage ? (
          <Card title="Add a location">
            <LocationForm id="new-location" lastResult={lastResult} defaultValue={{ country: "US" }} timeZones={timeZones} submitLabel="Add location" />
          </Card>
        ) : null}
      </div>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
