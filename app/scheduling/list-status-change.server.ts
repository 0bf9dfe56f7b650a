import { data } from "@remix-run/node";
import type { AuthedSession } from "../auth/guards.server";
import type { AppContext } from "../lib/context.server";
import { NO_STORE } from "../lib/forms.server";
import { transitionAppointment } from "./appointments.server";
import { StatusChangeSchema } from "./schemas";

/**
 * A one-tap status change posted from a list of the day (the day view, Today): read, applied
 * through the lifecycle, and either the refusal to answer with (a 4xx and its message) or what
 * changed, for the page to answer in place or redirect.
 */
export async function changeStatusFromList(ctx: AppContext, session: AuthedSession, form: FormData) {
  const parsed = StatusChangeSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { refused: data({ message: "Choose what to change the appointment to." }, { status: 400, headers: NO_STORE }) } as const;
  const result = await transitionAppointment(ctx, session.user, parsed.data.appointmentId, parsed.data.to, null, null, null, { earlyConfirmed: parsed.data.confirmEarly === "1" });
  if (!result.ok) return { refused: data({ message: result.message, confirm: result.confirm ? { appointmentId: parsed.data.appointmentId } : undefined }, { status: result.status, headers: NO_STORE }) } as const;
  return { appointmentId: parsed.data.appointmentId, status: result.status, providerId: result.providerId } as const;
}
