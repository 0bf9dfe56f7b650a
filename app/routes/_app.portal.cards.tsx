import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { notFound, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { secretAnswerHeaders } from "~/lib/submission-replay.server";
import { cardsAction, cardsPage } from "~/payments/cards-page.server";
import { CardsOnFile } from "~/payments/cards-view";

export const meta: MetaFunction = () => [{ title: "Your cards · Atrium" }];
export const headers = secretAnswerHeaders;

const NOT_LINKED = "Your clinic hasn't linked a patient record to this account yet.";

/** The patient's own cards on file: added in Stripe's field on their phone, removed here too. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:own");
  if (!session.patientId) throw notFound(NOT_LINKED);
  return data(await cardsPage(context, session.user, session.patientId, new URL(request.url), "/portal/cards"), { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "update:patient:own");
  if (!session.patientId) throw notFound(NOT_LINKED);
  return cardsAction(context, request, session.user, session.patientId, "/portal/cards");
}

export default function PortalCards() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Your cards</h1>
      <CardsOnFile page={page} reply={reply} who="patient" />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
