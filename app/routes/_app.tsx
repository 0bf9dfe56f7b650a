// Plain-words validation messages for every schema (server-wide: the server build loads every
// route module at start; in the browser, the staff pages that validate as people type).
import { seemsOffline } from "~/pwa/network-state";
import "~/lib/plain-messages";
import { useEffect } from "react";
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useMatches, type ShouldRevalidateFunctionArgs } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { accessibleLocations, currentLocation, requireUser } from "~/auth/guards.server";
import { ROLE_LABELS } from "~/auth/permissions";
import { NO_STORE } from "~/lib/forms.server";
import { unlessAnsweredInPlace } from "~/lib/answer-in-place";
import { navFor } from "~/shell/nav";
import { PatientShell, StaffShell } from "~/shell/shells";
import { confirmOfflineKeyOwner } from "~/pwa/offline-key";
import { StaffAppInstall } from "~/pwa/staff-app-install";
import { UpdatePrompt } from "~/pwa/update-prompt";

/** The staff app's manifest, start-up screens and service worker, put in the document head by the root layout on staff pages. */
export const handle = { documentHead: StaffAppInstall };

/** The signed-in frame. Each child loader checks its own permission; this one only decides the chrome. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context, { allowMfaSetup: true, allowPrivacyScreen: true });
  const isPatient = session.user.role === "patient";
  const locations = isPatient ? [] : await accessibleLocations(context, session);
  const organizations = session.organizations;
  const current = currentLocation(session, locations);
  return data(
    {
      user: { id: session.user.id, name: session.user.name, roleLabel: ROLE_LABELS[session.user.role], isPatient, idleMinutes: session.idleMinutes },
      organizationName: session.organization.name,
      organizations: organizations.length > 1 ? organizations.map((o) => ({ id: o.id, name: o.name })) : [],
      currentOrganizationId: session.organization.id,
      // A privacy screen gets no way to the rest of the app.
      nav: session.privacyScreen ? [] : navFor(session.user.role),
      locations: locations.map((l) => ({ id: l.id, name: l.name })),
      currentLocationId: current?.id ?? null,
    },
    { headers: NO_STORE },
  );
}

// The shell (name, locations, navigation) doesn't change when a row or card is answered in place,
// and with no network it stays as it is: single fetch reloads parents on every navigation, and a
// chart opened offline from the tablet (ADR 030) must not fail for want of the frame's data.
export function shouldRevalidate(args: ShouldRevalidateFunctionArgs) {
  if (seemsOffline()) return false;
  return unlessAnsweredInPlace(args);
}

export default function AppLayout() {
  const shell = useLoaderData<typeof loader>();
  // A tablet keeps offline data sealed for one user: another user's key is forgotten here.
  useEffect(() => confirmOfflineKeyOwner(shell.user.id, shell.user.idleMinutes * 60_000), [shell.user.id, shell.user.idleMinutes]);
  const Shell = shell.user.isPatient ? PatientShell : StaffShell;
  // A privacy screen (the board on a wall patients can see) is the board alone, full screen: no
  // staff navigation, names or locations around it (issue 10).
  const fullScreen = useMatches().some((m) => m.id === "routes/_app.board" && (m.data as { privacy?: boolean } | undefined)?.privacy === true);
  if (fullScreen) {
    return (
      <main id="main" className="min-h-screen p-4 sm:p-6">
        <Outlet />
        <UpdatePrompt />
      </main>
    );
  }
  return (
    <Shell {...shell}>
      <Outlet />
      <UpdatePrompt />
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
