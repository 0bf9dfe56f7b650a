import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Outlet, useActionData, useLoaderData } from "@remix-run/react";
import { formatCalendarDate, formatMoney } from "~/scheduling/format";
import { localDateOf } from "~/scheduling/local-time";
import { Notice } from "~/components/ui";
import { accessibleLocations, currentLocation, notFound, requirePermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { NO_STORE } from "~/lib/forms.server";
import { invitePatientToPortal } from "~/patients/patients.server";
import { loadRecordHeader } from "~/patients/record.server";
import { ageOn } from "~/patients/age";
import { RECORD_SECTIONS } from "~/patients/record-sections";
import { RecordHeader } from "~/patients/record-header";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.patient.firstName} ${data.patient.lastName} · Atrium` : "Patient · Atrium" }];

/** The record's frame: the header and its tabs; each tab is a child route (record-sections.ts). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:organization");
  const [header, locations] = await Promise.all([loadRecordHeader(context, session, params.patientId ?? "", { withBalance: can(session.user.role, "read:invoice:location") }), accessibleLocations(context, session)]);
  if (!header) throw notFound("No patient with that id in your organization.");
  // A record merged into another: its links (bookmarks, old messages, history) lead to the one kept.
  if (header.mergedIntoId) {
    const url = new URL(request.url);
    throw redirect(url.pathname.replace(`/patients/${header.id}`, `/patients/${header.mergedIntoId}`) + url.search, { headers: NO_STORE });
  }
  const today = localDateOf(currentLocation(session, locations)?.timeZone ?? "UTC", context.clock.now().getTime());
  const role = session.user.role;
  const { mergedIntoId: _merged, createdAt, owedCents, ...patient } = header;
  return data(
    {
      patient: { ...patient, age: ageOn(patient.dateOfBirth, today), owed: owedCents ? formatMoney(owedCents) : null },
      dateOfBirthLabel: formatCalendarDate(patient.dateOfBirth),
      since: formatCalendarDate(localDateOf(currentLocation(session, locations)?.timeZone ?? "UTC", createdAt.getTime())),
      actions: { book: can(role, "create:appointment:location"), message: can(role, "message:patient:organization"), invite: can(role, "invite:patient:organization") },
      sections: RECORD_SECTIONS.filter((s) => can(role, s.needs)),
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

export default function PatientRecord() {
  const { patient, dateOfBirthLabel, actions, sections } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="max-w-5xl">
      <RecordHeader patient={patient} dateOfBirthLabel={dateOfBirthLabel} actions={actions} sections={sections} />
      {result ? (
        <div className="mb-4">
          <Notice tone={result.ok ? "success" : "error"}>{result.message}</Notice>
        </div>
      ) : null}
      <Outlet />
    </div>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
