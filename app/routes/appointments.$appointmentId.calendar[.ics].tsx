import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requirePermission, requireUser } from "~/auth/guards.server";
import { getAppointment } from "~/scheduling/appointments.server";
import { calendarDocument, icsResponse } from "~/scheduling/ics.server";

/** One appointment as an .ics file, for the patient it belongs to or the clinic's staff. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // Patients: their own visits; staff: visits at their locations, with the schedule permission.
  const user = await requireUser(request, context);
  const session = await requirePermission(request, context, user.user.role === "patient" ? "read:patient:own" : "read:schedule:location");
  const appt = await getAppointment(context, session.user, params.appointmentId ?? "");
  if (!appt) throw notFound("That appointment was not found.");
  const body = calendarDocument(`${appt.serviceName} at ${appt.locationName}`, [
    {
      id: appt.id,
      start: appt.startsAt,
      end: appt.endsAt,
      summary: `${appt.serviceName} at ${appt.locationName}`,
      location: appt.address,
      description: `With ${appt.providerName}. To change this visit call ${appt.locationPhone}.`,
      cancelled: appt.status === "cancelled",
    },
  ]);
  return icsResponse(body, "appointment.ics");
}
