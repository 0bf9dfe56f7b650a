import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Card, Notice, buttonClass, dangerButtonClass, secondaryButtonClass } from "~/components/ui";
import { SECRET_ANSWER, secretAnswerHeaders } from "~/lib/submission-replay.server";
import { confirmDeposit, startDeposit, visitAsks } from "~/payments/deposits.server";
import { StripeElementForm } from "~/payments/stripe-element";
import { formatMoney } from "~/scheduling/format";
import { notFound, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { getAppointment, transitionAppointment } from "~/scheduling/appointments.server";
import { formatDateTime } from "~/scheduling/format";
import { handleMove, loadMovePicker } from "~/scheduling/move.server";
import { MoveVisit } from "~/scheduling/move-visit";
import { signedEncounterOfPatientVisit } from "~/charting/encounters.server";

export const meta: MetaFunction = () => [{ title: "Your visit · Atrium" }];
export const headers = secretAnswerHeaders;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:own");
  const id = (params.appointmentId ?? "").slice(0, 64);
  const url = new URL(request.url);
  // Back from Stripe's Payment Element with the deposit: Stripe's word on it, then the plain page.
  const intent = url.searchParams.get("payment_intent");
  if (intent) {
    const status = await confirmDeposit(context, session, id, intent.slice(0, 200));
    if (!status) throw notFound("We couldn't find that payment.");
    throw redirect(`/portal/visits/${id}?deposit=${status === "paid" ? "paid" : status === "failed" ? "declined" : "processing"}`, { headers: NO_STORE });
  }
  // The visit, its open times and what it asks of the patient at once (the picker reads by the visit's id; dropped if it can't move).
  const [appt, picker, record, asks] = await Promise.all([getAppointment(context, session.user, id), loadMovePicker(context, session.user, id, url), signedEncounterOfPatientVisit(context, session.user, id), visitAsks(context, session.user.organizationId, id)]);
  if (!appt) throw notFound("We couldn't find that visit.");
  const changeable = appt.status === "requested" || appt.status === "confirmed";
  const move = changeable ? picker : null;
  return data(
    {
      visit: { id: appt.id, status: appt.status, when: formatDateTime(appt.startsAt.getTime(), appt.timeZone), serviceName: appt.serviceName, providerName: appt.providerName, locationName: appt.locationName, address: appt.address, phone: appt.locationPhone, canCancel: appt.allowedNext.includes("cancelled") },
      move,
      hasRecord: !!record,
      // A deposit to pay, or a card to add, before the visit (ADR 039); what's been paid already.
      deposit: asks?.depositDue ? formatMoney(asks.depositDue) : null,
      depositPaid: asks?.deposit && (asks.deposit.status === "paid" || asks.deposit.status === "applied") ? formatMoney(asks.deposit.amountCents) : null,
      cardDue: Boolean(asks?.cardDue),
      depositState: url.searchParams.get("deposit"),
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "update:patient:own");
  const id = params.appointmentId ?? "";
  const formData = await request.formData();
  if (formData.get("intent") === "payDeposit") {
    const started = await startDeposit(context, session, id.slice(0, 64));
    if (!started.ok) return data({ ok: false as const, message: started.message, alternatives: [] as string[] }, { status: started.status, headers: NO_STORE });
    // The intent's client secret goes to this page only: never kept for a replay.
    return data({ ok: true as const, pay: { publishableKey: started.publishableKey, clientSecret: started.clientSecret, amount: started.amount, returnUrl: `${context.origin}/portal/visits/${encodeURIComponent(id)}` } }, { headers: { ...NO_STORE, ...SECRET_ANSWER } });
  }
  if (formData.get("intent") === "cancel") {
    const result = await transitionAppointment(context, session.user, id, "cancelled", "cancelled by patient online");
    if (!result.ok) return data({ ok: false, message: result.message, alternatives: [] as string[] }, { status: result.status, headers: NO_STORE });
    return redirect("/portal?cancelled=1", { headers: NO_STORE });
  }
  const moved = await handleMove(context, session.user, id, formData);
  if (!moved.ok) return data(moved, { status: moved.status, headers: NO_STORE });
  return redirect(`/portal?moved=${encodeURIComponent(id)}`, { headers: NO_STORE });
}

export default function PortalVisit() {
  const { visit, move, hasRecord, deposit, depositPaid, cardDue, depositState } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const pay = result && "pay" in result ? result.pay : null;
  return (
    <div className="space-y-4">
      <Link to="/portal" className="inline-flex min-h-11 items-center font-medium text-brand-700 underline">← Your visits</Link>
      <Card title={visit.serviceName}>
        <p className="text-lg font-semibold">{visit.when}</p>
        <p className="text-stone-700">{visit.providerName} · {visit.locationName}, {visit.address}</p>
        <p className="mt-1 text-sm font-medium">{visit.status === "requested" ? "Waiting for the clinic to confirm" : visit.status === "confirmed" ? "Confirmed" : visit.status.replace("_", " ")}</p>
        <a href={`/appointments/${visit.id}/calendar.ics`} className={`${secondaryButtonClass} mt-3`}>Add to calendar</a>
      </Card>
      {depositState === "paid" ? <Notice tone="success">Thank you — your deposit is paid. It comes off the bill at your visit.</Notice> : depositState === "declined" ? <Notice tone="error">The deposit didn't go through. Nothing was taken; try another card.</Notice> : depositState === "processing" ? <Notice>Your bank is still confirming the deposit. This page shows it once it's done.</Notice> : null}
      {deposit ? (
        <Card title={`Deposit: ${deposit}`}>
          <p className="mb-3 text-stone-700">The clinic asks for a deposit to hold this visit. It comes off the bill at your visit.</p>
          {pay ? (
            <StripeElementForm publishableKey={pay.publishableKey} clientSecret={pay.clientSecret} returnUrl={pay.returnUrl} mode="payment" submitLabel={`Pay ${pay.amount}`} />
          ) : (
            <Form method="post">
              <input type="hidden" name="intent" value="payDeposit" />
              <button type="submit" className={`${buttonClass} w-full`}>Pay the {deposit} deposit</button>
            </Form>
          )}
        </Card>
      ) : depositPaid ? (
        <p className="text-sm text-stone-700">{`Deposit of ${depositPaid} paid.`}</p>
      ) : null}
      {cardDue ? (
        <Card title="A card on file">
          <p className="mb-3 text-stone-700">The clinic keeps a card on file for this kind of visit (for its cancellation policy). Nothing is charged now.</p>
          <Link to="/portal/cards" className={`${buttonClass} w-full`}>Add a card</Link>
        </Card>
      ) : null}
      {hasRecord ? (
        <Card title="Your treatment record">
          <p className="mb-3 text-stone-700">What was done at this visit, what was used, your aftercare and the consents you signed.</p>
          <a href={`/portal/visits/${visit.id}/chart.pdf`} className={secondaryButtonClass}>Treatment record (PDF)</a>
        </Card>
      ) : null}
      {move ? (
        <Card title="Change the time">
          <MoveVisit move={move} staff={false} result={result && !result.ok ? result : null} />
        </Card>
      ) : null}
      {visit.canCancel ? (
        <Card title="Cancel">
          {result && !result.ok && !result.alternatives?.length && !move ? <Notice tone="error">{result.message}</Notice> : null}
          <p className="mb-3 text-sm text-stone-700">Can't make it? Cancel here, or call {visit.phone}.</p>
          <Form method="post">
            <input type="hidden" name="intent" value="cancel" />
            <button type="submit" className={dangerButtonClass}>Cancel visit</button>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
