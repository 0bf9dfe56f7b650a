import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireUser } from "~/auth/guards.server";
import { getAppointment } from "~/scheduling/appointments.server";
import { calendarDocument, icsResponse } from "~/scheduling/ics.server";

/** One appointment as an .ics file, for the patient it belongs to or the clinic's staff. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
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
