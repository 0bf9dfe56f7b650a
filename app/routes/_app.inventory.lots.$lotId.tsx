import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorList } from "~/components/field";
import { Card, Notice, PageHeader, dangerButtonClass, secondaryButtonClass } from "~/components/ui";
import { notFound, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { formatCalendarDate, formatDateTime } from "~/scheduling/format";
import { amountWithMeasure } from "~/charting/amounts";
import { findLot, lotMovements, recallLot, traceLot } from "~/charting/stock.server";
import { RecallSchema } from "~/charting/stock-schemas";

export const meta: MetaFunction = () => [{ title: "Lot · Atrium" }];

const MOVEMENT_LABELS = { receive: "Received", use: "Used (signed chart)", adjust: "Adjusted", sell: "Sold at checkout", return: "Returned to stock" } as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "trace:lot:organization");
  const lotId = params.lotId ?? "";
  // The lot, who was treated with it and its movements: one wave, all keyed by the lot's id (ADR 020).
  const [lot, trace, movements] = await Promise.all([findLot(context, session.user.organizationId, lotId), traceLot(context, session, { id: lotId }), lotMovements(context, session.user.organizationId, lotId)]);
  if (!lot) throw notFound("No lot with that id in your organization.");
  return data(
    {
      lot: { id: lot.id, lotNumber: lot.lotNumber, product: lot.productName, location: lot.locationName, expires: formatCalendarDate(lot.expiresOn), remaining: amountWithMeasure(lot.remaining, lot.measure), received: amountWithMeasure(lot.received, lot.measure), recalled: lot.recalledAt ? formatDateTime(lot.recalledAt.getTime(), lot.timeZone) : null, recallReason: lot.recallReason },
      trace: trace.map((t) => ({ encounterId: t.encounterId, patientId: t.patientId, patient: `${t.patientFirst} ${t.patientLast}`, dateOfBirth: formatCalendarDate(t.patientDob), phone: t.patientPhone, visit: formatDateTime(t.visitAt.getTime(), t.timeZone), provider: t.providerName, location: t.locationName, amount: amountWithMeasure(t.amount, lot.measure), signed: t.status === "signed" })),
      movements: movements.map((m) => ({ id: m.id, kind: MOVEMENT_LABELS[m.kind], quantity: amountWithMeasure(m.quantity, lot.measure), when: formatDateTime(m.createdAt.getTime(), lot.timeZone), who: m.actorName ?? "Set-up" })),
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "trace:lot:organization");
  const lot = await findLot(context, session.user.organizationId, params.lotId ?? "");
  if (!lot) throw notFound("No lot with that id in your organization.");
  const parsed = RecallSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ errors: parsed.error.flatten().fieldErrors, message: null }, { status: 400, headers: NO_STORE });
  const recalled = await recallLot(context, session, lot, parsed.data.reason);
  return data({ errors: null, message: recalled ? `Lot ${lot.lotNumber} recalled at ${recalled} location${recalled === 1 ? "" : "s"}. Charts can no longer use it.` : "This lot was already recalled." }, { headers: NO_STORE });
}

export default function LotPage() {
  const { lot, trace, movements } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  return (
    <>
      <PageHeader
        title={`${lot.product} · lot ${lot.lotNumber}`}
        description={`${lot.location} · expires ${lot.expires} · ${lot.remaining} of ${lot.received} left`}
        actions={
          <div className="flex flex-wrap gap-2">
            <a href={`/inventory/lots/${lot.id}/trace.csv`} className={secondaryButtonClass} download>Download trace (CSV)</a>
            <Link to="/inventory" className={secondaryButtonClass}>Inventory</Link>
          </div>
        }
      />
      <div className="space-y-6">
        {lot.recalled ? <Notice tone="error">Recalled {lot.recalled}: {lot.recallReason}</Notice> : null}
        {answer?.message ? <Notice tone="success">{answer.message}</Notice> : null}
        <Card title={`Patients treated with this lot (${trace.length})`}>
          {trace.length === 0 ? (
            <p className="text-stone-700">No chart has used this lot number yet.</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[48rem] text-left text-sm">
                <thead className="border-b border-stone-200 text-stone-600">
                  <tr>
                    <th scope="col" className="py-2 pr-3">Patient</th>
                    <th scope="col" className="pr-3">Born</th>
                    <th scope="col" className="pr-3">Phone</th>
                    <th scope="col" className="pr-3">Visit</th>
                    <th scope="col" className="pr-3">Provider</th>
                    <th scope="col" className="pr-3 text-right">Amount</th>
                    <th scope="col">Chart</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-stone-100">
                  {trace.map((t) => (
                    <tr key={t.encounterId}>
                      <td className="py-2 pr-3"><Link to={`/patients/${t.patientId}`} className="font-medium text-brand-800 underline">{t.patient}</Link></td>
                      <td className="pr-3">{t.dateOfBirth}</td>
                      <td className="pr-3">{t.phone ?? "—"}</td>
                      <td className="pr-3">{t.visit} · {t.location}</td>
                      <td className="pr-3">{t.provider}</td>
                      <td className="pr-3 text-right tabular-nums">{t.amount}</td>
                      <td><Link to={`/charts/${t.encounterId}`} className="text-brand-800 underline">{t.signed ? "Signed" : "Draft"}</Link></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Stock movements">
            <ul className="divide-y divide-stone-100 text-sm">
              {movements.map((m) => (
                <li key={m.id} className="flex justify-between gap-3 py-2">
                  <span>{m.kind} · {m.who} · {m.when}</span>
                  <span className="tabular-nums">{m.quantity}</span>
                </li>
              ))}
            </ul>
          </Card>
          {lot.recalled ? null : (
            <Card title="Recall this lot">
              <Form method="post" className="space-y-3">
                <p className="text-stone-700">A recall applies to lot {lot.lotNumber} of {lot.product} at every location. Charts refuse it from then on.</p>
                <div>
                  <label htmlFor="recall-reason" className="block text-sm font-medium">Reason (the manufacturer's notice)</label>
                  <textarea id="recall-reason" name="reason" rows={2} maxLength={500} className="mt-1 block w-full rounded-lg border border-stone-400 px-3 py-2" aria-invalid={answer?.errors?.reason ? true : undefined} aria-describedby={answer?.errors?.reason ? "recall-reason-error" : undefined} />
                  <ErrorList id="recall-reason-error" errors={answer?.errors?.reason} />
                </div>
                <button type="submit" className={dangerButtonClass}>Recall lot {lot.lotNumber}</button>
              </Form>
            </Card>
          )}
        </div>
      </div>
    </>
  );
}
