import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Card, Notice, PageHeader, buttonClass, dangerButtonClass, inputClass, secondaryButtonClass } from "~/components/ui";
import { notFound, requirePermission } from "~/auth/guards.server";
import { SafeRedirectSchema } from "~/auth/schemas";
import { NO_STORE, readIntent } from "~/lib/forms.server";
import { offlineOwnerHeaders, refuseOtherUsersChange } from "~/pwa/offline-owner.server";
import { appointmentHistory, getAppointment, roomsOfVisit, transitionAppointment } from "~/scheduling/appointments.server";
import { RoomPicker } from "~/board/room-picker";
import { formatDateTime, formatMoney } from "~/scheduling/format";
import { handleMove, loadMovePicker } from "~/scheduling/move.server";
import { MoveVisit } from "~/scheduling/move-visit";
import { ConfirmEarlyCheckIn, StatusBadge, StatusButtons, STATUS_LABELS } from "~/scheduling/status";
import { APPOINTMENT_STATUSES, encounters, invoices } from "../../db/schema";
import { invoiceForVisit } from "~/checkout/invoices.server";
import { chargeVisitFee, visitFee } from "~/payments/visit-fees.server";
import { refundDeposit, visitAsks } from "~/payments/deposits.server";
import { and, eq } from "drizzle-orm";
import { can } from "~/auth/permissions";
import { ChartBadge, ChartLink } from "~/charting/chart-link";

export { offlineOwnerHeaders as headers };

export const meta: MetaFunction = () => [{ title: "Appointment · Atrium" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:schedule:location");
  const id = (params.appointmentId ?? "").slice(0, 64);
  // Everything the page may show is read at once, keyed by the visit's id (each query is a round
  // trip on Turso); what doesn't apply to the visit as it turns out to be is dropped.
  const desk = can(session.user.role, "checkout:invoice:location");
  const [appt, history, picker, roomRows, [chart], [invoice], fee, asks] = await Promise.all([
    getAppointment(context, session.user, id),
    appointmentHistory(context, id),
    loadMovePicker(context, session.user, id, new URL(request.url)),
    roomsOfVisit(context, session.user.organizationId, id),
    context.db.select({ id: encounters.id, status: encounters.status }).from(encounters).where(and(eq(encounters.appointmentId, id), eq(encounters.organizationId, session.user.organizationId))),
    context.db.select({ id: invoices.id, number: invoices.number }).from(invoices).where(and(eq(invoices.appointmentId, id), eq(invoices.organizationId, session.user.organizationId))),
    desk ? visitFee(context, session.user, id) : null,
    desk ? visitAsks(context, session.user.organizationId, id) : null,
  ]);
  if (!appt) throw notFound("No appointment with that id in your organization.");
  const move = appt.status === "requested" || appt.status === "confirmed" ? picker : null;
  const rooms = appt.allowedNext.includes("in_room") ? roomRows.filter((r) => !appt.serviceRoomType || r.roomType === appt.serviceRoomType).map(({ roomType: _type, ...room }) => room) : null;
  return data(
    {
      appt: {
        id: appt.id,
        status: appt.status,
        when: formatDateTime(appt.startsAt.getTime(), appt.timeZone),
        until: formatDateTime(appt.endsAt.getTime(), appt.timeZone),
        patient: `${appt.patientFirstName} ${appt.patientLastName}`,
        patientId: appt.patientId,
        serviceName: appt.serviceName,
        providerName: appt.providerName,
        locationName: appt.locationName,
        roomId: appt.roomId,
        roomName: appt.roomName,
        price: formatMoney(appt.priceCents),
        allowed: appt.allowedNext,
      },
      move,
      rooms,
      // The chart: a link for those who read charts (and the visit's provider may start it); the desk sees its status only.
      chart: { current: chart ?? null, opens: can(session.user.role, "read:chart:organization") && (Boolean(chart) || appt.providerId === session.user.id) },
      // Checkout for the desk: the visit's invoice, or a button to build it once the patient is here.
      // A no-show or late cancellation under the clinic's fee policy: the desk confirms the fee.
      // A deposit paid online (ADR 039): applied at checkout, or refunded here when cancelled in time.
      deposit: asks?.deposit && asks.deposit.status !== "pending" && asks.deposit.status !== "failed" ? { amount: formatMoney(asks.deposit.amountCents), card: asks.deposit.cardLast4 ? `card •••• ${asks.deposit.cardLast4}` : "card", status: asks.deposit.status, refundable: asks.deposit.status === "paid" && appt.status === "cancelled" && !asks.visit.cancelledLate && can(session.user.role, "refund:payment:location") } : asks && asks.visit.deposit > 0 && (appt.status === "requested" || appt.status === "confirmed") ? { amount: formatMoney(asks.visit.deposit), card: null, status: "due" as const, refundable: false } : null,
      fee: fee && !fee.invoice ? { label: fee.label, amount: fee.amount, card: fee.card?.label ?? null, paymentKey: crypto.randomUUID() } : null,
      checkout: desk && (invoice || ["checked_in", "in_room", "completed"].includes(appt.status)) ? { invoiceId: invoice?.id ?? null, number: invoice?.number ?? null } : null,
      history: history.map((h) => ({ ...h, createdAt: formatDateTime(h.createdAt.getTime(), appt.timeZone) })),
    },
    { headers: NO_STORE },
  );
}

const ActionSchema = z.object({
  intent: z.enum(["status", "cancel"]),
  to: z.enum(APPOINTMENT_STATUSES).optional(),
  reason: z.string().trim().max(300, "Keep the reason under 300 characters.").optional(),
  redirectTo: SafeRedirectSchema,
  /** Set by a tablet replaying changes made offline: applied exactly once. */
  idempotencyKey: z.string().regex(/^[A-Za-z0-9-]{16,64}$/, "That change's key could not be read.").optional(),
  /** Taking the patient to a room other than the booked one. */
  roomId: z.string().trim().min(1).max(64).optional(),
  /** The desk confirmed an unusually early check-in. */
  confirmEarly: z.literal("1").optional(),
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  // Checking out opens (or builds) the visit's invoice: a permission of its own (issue 12).
  if ((await readIntent(request)) === "checkout") {
    const desk = await requirePermission(request, context, "checkout:invoice:location");
    const opened = await invoiceForVisit(context, desk.user, (params.appointmentId ?? "").slice(0, 64));
    if (!opened.ok) return data({ message: opened.message }, { status: opened.status, headers: NO_STORE });
    return redirect(`/invoices/${opened.invoiceId}`, { headers: NO_STORE });
  }
  if ((await readIntent(request)) === "refundDeposit") {
    const desk = await requirePermission(request, context, "refund:payment:location");
    const refunded = await refundDeposit(context, desk.user, (params.appointmentId ?? "").slice(0, 64));
    if (!refunded.ok) return data({ message: refunded.message }, { status: refunded.status, headers: NO_STORE });
    return redirect(`/appointments/${params.appointmentId}?deposit=refunded`, { headers: NO_STORE });
  }
  if ((await readIntent(request)) === "chargeFee") {
    const desk = await requirePermission(request, context, "checkout:invoice:location");
    const form = await request.formData();
    if (form.get("confirm") !== "on") return data({ message: "Tick the box to confirm the fee first.", feeField: true }, { status: 400, headers: NO_STORE });
    const key = String(form.get("paymentKey") ?? "");
    if (!/^[0-9a-f-]{36}$/.test(key)) return data({ message: "This form is out of date; reload the page." }, { status: 400, headers: NO_STORE });
    const fee = await chargeVisitFee(context, desk.user, (params.appointmentId ?? "").slice(0, 64), key);
    if (!fee.ok) return data({ message: fee.message }, { status: fee.status, headers: NO_STORE });
    return redirect(`/invoices/${fee.invoiceId}?fee=${fee.charged ? "charged" : "owed"}`, { headers: NO_STORE });
  }
  const session = await requirePermission(request, context, "update:appointment:location");
  const formData = await request.formData();
  const notMine = refuseOtherUsersChange(formData, session.user.id);
  if (notMine) return notMine;
  if (formData.get("intent") === "move") {
    const moved = await handleMove(context, session.user, params.appointmentId ?? "", formData);
    if (!moved.ok) return data(moved, { status: moved.status, headers: NO_STORE });
    return redirect(`/appointments/${params.appointmentId}`, { headers: NO_STORE });
  }
  const parsed = ActionSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return data({ message: parsed.error.issues[0]?.message ?? "That request could not be read." }, { status: 400, headers: NO_STORE });
  const { intent, to, reason, redirectTo, idempotencyKey, roomId, confirmEarly } = parsed.data;
  const target = intent === "cancel" ? "cancelled" : to;
  if (!target) return data({ message: "Choose what to change the appointment to." }, { status: 400, headers: NO_STORE });
  if (intent === "cancel" && !reason) return data({ message: "Give a reason for the cancellation." }, { status: 400, headers: NO_STORE });
  const result = await transitionAppointment(context, session.user, params.appointmentId ?? "", target, reason ?? null, idempotencyKey, roomId, { earlyConfirmed: confirmEarly === "1" });
  if (!result.ok) return data({ message: result.message, confirm: result.confirm ? { appointmentId: params.appointmentId ?? "", redirectTo: redirectTo ?? null } : undefined }, { status: result.status, headers: NO_STORE });
  return redirect(redirectTo ?? `/appointments/${params.appointmentId}`, { headers: NO_STORE });
}

export default function AppointmentPage() {
  const { appt, history, move, rooms, chart, checkout, fee, deposit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const confirmEarly = result && "confirm" in result ? (result.confirm as { appointmentId: string; redirectTo: string | null } | undefined) : undefined;
  return (
    <>
      <PageHeader title={appt.patient} description={`${appt.serviceName} · ${appt.when}`} />
      <div className="grid max-w-5xl gap-6 lg:grid-cols-2">
        <Card title="Visit">
          {confirmEarly && result ? (
            <div className="mb-3">
              <ConfirmEarlyCheckIn appointmentId={confirmEarly.appointmentId} message={result.message} redirectTo={confirmEarly.redirectTo ?? `/appointments/${appt.id}`} />
            </div>
          ) : result && !("alternatives" in result) ? <div className="mb-3"><Notice tone="error">{result.message}</Notice></div> : null}
          <dl className="grid grid-cols-[8rem_1fr] gap-y-2">
            <dt className="text-stone-600">Status</dt>
            <dd><StatusBadge status={appt.status} /></dd>
            <dt className="text-stone-600">Starts</dt>
            <dd>{appt.when}</dd>
            <dt className="text-stone-600">Ends</dt>
            <dd>{appt.until}</dd>
            <dt className="text-stone-600">Provider</dt>
            <dd>{appt.providerName}</dd>
            <dt className="text-stone-600">Where</dt>
            <dd>{appt.locationName}{appt.roomName ? ` · ${appt.roomName}` : ""}</dd>
            <dt className="text-stone-600">Price</dt>
            <dd>{appt.price}</dd>
            {deposit ? (
              <>
                <dt className="text-stone-600">Deposit</dt>
                <dd>{deposit.status === "due" ? `${deposit.amount} due (the patient pays it online)` : deposit.status === "paid" ? `${deposit.amount} paid online (${deposit.card})` : deposit.status === "applied" ? `${deposit.amount} paid online, on the invoice` : `${deposit.amount} refunded to the ${deposit.card}`}</dd>
              </>
            ) : null}
          </dl>
          <StatusButtons appointmentId={appt.id} allowed={appt.allowed} redirectTo={`/appointments/${appt.id}`} large />
          {rooms ? (
            <div className="mt-4 border-t border-stone-200 pt-4">
              <p className="text-sm font-medium">Or take the patient to another room</p>
              <RoomPicker appointmentId={appt.id} rooms={rooms} defaultRoomId={appt.roomId} redirectTo={`/appointments/${appt.id}`} label="Take to this room" />
            </div>
          ) : null}
          <div className="mt-4 flex flex-wrap items-center gap-2">
            {chart.opens ? <ChartLink appointmentId={appt.id} status={appt.status} chart={chart.current} patient={appt.patient} /> : <ChartBadge chart={chart.current} />}
            {checkout ? (
              checkout.invoiceId ? (
                <Link to={`/invoices/${checkout.invoiceId}`} className={buttonClass}>Invoice #{checkout.number}</Link>
              ) : (
                <Form method="post">
                  <input type="hidden" name="intent" value="checkout" />
                  <button type="submit" className={buttonClass}>Check out</button>
                </Form>
              )
            ) : null}
            <Link to={`/patients/${appt.patientId}`} className={secondaryButtonClass}>Patient record</Link>
            <a href={`/appointments/${appt.id}/calendar.ics`} className={secondaryButtonClass}>Download .ics</a>
          </div>
          {appt.allowed.includes("cancelled") ? (
            <Form method="post" className="mt-6 space-y-2 border-t border-stone-200 pt-4">
              <input type="hidden" name="intent" value="cancel" />
              <label htmlFor="cancel-reason" className="block text-sm font-medium">Cancellation reason</label>
              <input id="cancel-reason" name="reason" required maxLength={300} className={inputClass} />
              <button type="submit" className={dangerButtonClass}>Cancel appointment</button>
            </Form>
          ) : null}
        </Card>
        {deposit?.refundable ? (
          <Card title="Deposit">
            <p className="text-sm text-stone-700">{`Cancelled in time: the ${deposit.amount} deposit can go back to the ${deposit.card}.`}</p>
            <Form method="post" className="mt-3">
              <input type="hidden" name="intent" value="refundDeposit" />
              <button type="submit" className={secondaryButtonClass}>{`Refund the ${deposit.amount} deposit`}</button>
            </Form>
          </Card>
        ) : null}
        {fee ? (
          <Card title={fee.label}>
            <p className="text-sm text-stone-700">The clinic's policy charges {fee.amount} for a visit that ends this way. Confirm it before anything is charged.</p>
            <Form method="post" className="mt-3 space-y-3">
              <input type="hidden" name="intent" value="chargeFee" />
              <input type="hidden" name="paymentKey" value={fee.paymentKey} />
              <label className="flex min-h-11 items-start gap-3 text-sm">
                <input type="checkbox" name="confirm" required className="mt-0.5 h-5 w-5 shrink-0" />
                <span>{fee.card ? `Charge ${fee.amount} to ${fee.card}, the patient's card on file, and email the receipt.` : `Add ${fee.amount} to what the patient owes (no card on file to charge).`}</span>
              </label>
              <button type="submit" className={buttonClass}>{fee.card ? `Charge ${fee.amount}` : `Add ${fee.amount} fee`}</button>
            </Form>
          </Card>
        ) : null}
        {move ? (
          <Card title="Move to another time">
            <MoveVisit move={move} staff result={result && "alternatives" in result ? (result as { ok: false; message: string; alternatives: string[] }) : null} />
          </Card>
        ) : null}
        <Card title="History">
          <ol className="space-y-2">
            {history.map((h) => (
              <li key={h.id} className="text-sm">
                <span className="font-medium">{h.fromStatus ? `${STATUS_LABELS[h.fromStatus as keyof typeof STATUS_LABELS]} → ` : "Booked as "}{STATUS_LABELS[h.toStatus as keyof typeof STATUS_LABELS]}</span>
                <span className="text-stone-600"> · {h.createdAt} · {h.actorName ?? "system"}</span>
                {h.reason ? <div className="text-stone-700">{h.reason}</div> : null}
              </li>
            ))}
          </ol>
        </Card>
      </div>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
