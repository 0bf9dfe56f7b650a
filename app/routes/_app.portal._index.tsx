import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card, EmptyState } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { getOwnPatient } from "~/patients/patients.server";

export const meta: MetaFunction = () => [{ title: "Your portal · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:own");
  const me = await getOwnPatient(context, session);
  return data({ firstName: me?.firstName ?? session.user.name.split(" ")[0], organizationName: session.organization.name, hasRecord: Boolean(me) }, { headers: NO_STORE });
}

export default function PortalHome() {
  const { firstName, organizationName, hasRecord } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Hello, {firstName}</h1>
      <Card title="Upcoming visits">
        <EmptyState title="No upcoming visits">Appointments you book with {organizationName} will show here, with the time, place and how to prepare.</EmptyState>
      </Card>
      <Card title="Your details">
        {hasRecord ? (
          <p>
            Keep your phone and email current so the clinic can reach you.{" "}
            <Link to="/portal/profile" className="font-medium text-brand-700 underline">
              Review your details
            </Link>
          </p>
        ) : (
          <p>Your clinic hasn't linked a patient record to this account yet. Call them and they will connect it.</p>
        )}
      </Card>
    </div>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
