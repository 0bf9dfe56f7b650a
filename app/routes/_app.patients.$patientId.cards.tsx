import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { secretAnswerHeaders } from "~/lib/submission-replay.server";
import { cardsAction, cardsPage } from "~/payments/cards-page.server";
import { CardsOnFile } from "~/payments/cards-view";

export const headers = secretAnswerHeaders;

const base = (patientId: string) => `/patients/${encodeURIComponent(patientId)}/cards`;

/** The record's Cards tab: the patient's cards on file, added in Stripe's field, charged at checkout. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:invoice:location");
  const patientId = (params.patientId ?? "").slice(0, 64);
  return data(await cardsPage(context, session.user, patientId, new URL(request.url), base(patientId)), { headers: NO_STORE });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "checkout:invoice:location");
  const patientId = (params.patientId ?? "").slice(0, 64);
  return cardsAction(context, request, session.user, patientId, base(patientId));
}

export default function PatientCards() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  return (
    <div className="max-w-2xl">
      <CardsOnFile page={page} reply={reply} who="desk" />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
