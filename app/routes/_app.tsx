import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { accessibleLocations, currentLocation, requireUser } from "~/auth/guards.server";
import { ROLE_LABELS } from "~/auth/permissions";
import { NO_STORE } from "~/lib/forms.server";
import { navFor } from "~/shell/nav";
import { PatientShell, StaffShell } from "~/shell/shells";

/** The signed-in frame. Each child loader checks its own permission; this one only decides the chrome. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context, { allowMfaSetup: true });
  const isPatient = session.user.role === "patient";
  const locations = isPatient ? [] : await accessibleLocations(context, session);
  const current = currentLocation(session, locations);
  return data(
    {
      user: { name: session.user.name, roleLabel: ROLE_LABELS[session.user.role], isPatient },
      organizationName: session.organization.name,
      nav: navFor(session.user.role),
      locations: locations.map((l) => ({ id: l.id, name: l.name })),
      currentLocationId: current?.id ?? null,
    },
    { headers: NO_STORE },
  );
}

export default function AppLayout() {
  const shell = useLoaderData<typeof loader>();
  const Shell = shell.user.isPatient ? PatientShell : StaffShell;
  return (
    <Shell {...shell}>
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  return (
    <main className="mx-auto max-w-2xl p-6">
      <GeneralErrorBoundary />
    </main>
  );
}
