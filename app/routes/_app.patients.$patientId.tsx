import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { formatCalendarDate } from "~/scheduling/format";
import { localDateOf } from "~/scheduling/local-time";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Card, Notice, PageHeader, secondaryButtonClass } from "~/components/ui";
import { accessibleLocations, currentLocation, notFound, requirePermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { NO_STORE } from "~/lib/forms.server";
import { getPatient, invitePatientToPortal } from "~/patients/patients.server";

export const meta: MetaFunction = () => [{ title: "Patient · Atrium" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:organization");
  const patient = await getPatient(context, session, params.patientId ?? "");
  if (!patient) throw notFound("No patient with that id in your organization.");
  const created = new URL(request.url).searchParams.get("created") === "1";
  return data(
    {
      // When they became a patient, on the calendar of the location the viewer works in.
      patient: { ...patient, createdAt: formatCalendarDate(localDateOf(currentLocation(session, await accessibleLocations(context, session))?.timeZone ?? "UTC", patient.createdAt.getTime())), dateOfBirth: formatCalendarDate(patient.dateOfBirth) },
      created,
      canInvite: can(session.user.role, "invite:patient:organization"),
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "invite:patient:organization");
  const form = await request.formData();
  if (form.get("intent") !== "invite") return data({ ok: false, message: "Unknown action." }, { status: 400 });
  const result = await invitePatientToPortal(context, request, session, params.patientId ?? "");
  if (!result.ok) return data({ ok: false, message: result.message }, { status: result.message.includes("not found") ? 404 : 400, headers: NO_STORE });
  return data({ ok: true, message: "Invitation sent. The patient has 7 days to accept it." }, { headers: NO_STORE });
}

export default function PatientPage() {
  const { patient, created, canInvite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const portal = patient.portalStatus === "active" ? "Active" : patient.portalStatus === "invited" ? "Invited, not yet accepted" : "Not invited";
  return (
    <>
      <PageHeader title={`${patient.firstName} ${patient.lastName}`} description={`Patient since ${patient.createdAt}`} />
      <div className="max-w-2xl space-y-4">
        {created ? <Notice tone="success">Patient created.</Notice> : null}
        {result ? <Notice tone={result.ok ? "success" : "error"}>{result.message}</Notice> : null}
        <Card title="Details">
          <dl className="grid grid-cols-[10rem_1fr] gap-y-2">
            <dt className="text-stone-600">Date of birth</dt>
            <dd>{patient.dateOfBirth}</dd>
            <dt className="text-stone-600">Phone</dt>
            <dd>{patient.phone ?? "—"}</dd>
            <dt className="text-stone-600">Email</dt>
            <dd className="break-all">{patient.email ?? "—"}</dd>
            <dt className="text-stone-600">Messages</dt>
            <dd>{[patient.smsConsent && "Text", patient.emailConsent && "Email"].filter(Boolean).join(", ") || "None agreed"}</dd>
            <dt className="text-stone-600">Portal</dt>
            <dd>{portal}</dd>
          </dl>
          {canInvite && patient.portalStatus !== "active" ? (
            <Form method="post" className="mt-4">
              <input type="hidden" name="intent" value="invite" />
              <button type="submit" className={secondaryButtonClass}>
                {patient.portalStatus === "invited" ? "Re-send portal invitation" : "Invite to patient portal"}
              </button>
            </Form>
          ) : null}
        </Card>
      </div>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
