import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePermission, requireWorkingLocation } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { newSale } from "~/checkout/invoices.server";
import { NO_STORE } from "~/lib/forms.server";
import { Card, EmptyState, Notice, secondaryButtonClass } from "~/components/ui";
import { patientInvoices } from "~/checkout/patient-invoices.server";
import { emailStatement } from "~/checkout/statements.server";

/** The record's Invoices tab: what the patient owes, how old it is, and each invoice. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:invoice:location");
  return data({ ...(await patientInvoices(context, session, (params.patientId ?? "").slice(0, 64))), patientId: (params.patientId ?? "").slice(0, 64), canSell: can(session.user.role, "checkout:invoice:location") }, { headers: NO_STORE });
}

/** A sale without a visit — retail or a gift card — opened for this patient at the desk's location. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { session, location } = await requireWorkingLocation(request, context, "checkout:invoice:location");
  const form = await request.formData();
  if (form.get("intent") === "emailStatement") {
    const sent = await emailStatement(context, session.user, (params.patientId ?? "").slice(0, 64));
    if (!sent.ok) return data({ message: sent.message }, { status: sent.status, headers: NO_STORE });
    return redirect(`/patients/${params.patientId}/invoices?statement=sent`, { headers: NO_STORE });
  }
  if (form.get("intent") !== "newSale") return data({ message: "That action isn't one this page knows." }, { status: 400, headers: NO_STORE });
  const opened = await newSale(context, session.user, (params.patientId ?? "").slice(0, 64), location.id);
  if (!opened.ok) return data({ message: opened.message }, { status: opened.status, headers: NO_STORE });
  return redirect(`/invoices/${opened.invoiceId}`, { headers: NO_STORE });
}

export default function PatientInvoices() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const [search] = useSearchParams();
  const statementSent = search.get("statement") === "sent";
  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_20rem]">
      <Card title="Invoices">
        {reply ? <Notice tone="error">{reply.message}</Notice> : null}
        {page.canSell ? (
          <Form method="post" className="mb-3">
            <input type="hidden" name="intent" value="newSale" />
            <button type="submit" className={secondaryButtonClass}>New sale (retail or gift card)</button>
          </Form>
        ) : null}
        {page.invoices.length === 0 ? (
          <EmptyState title="No invoices yet">An invoice is made when the patient is checked out from a visit.</EmptyState>
        ) : (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">The patient's invoices</caption>
            <thead className="border-b border-stone-200 text-stone-600">
              <tr>
                <th scope="col" className="py-2 font-medium">Invoice</th>
                <th scope="col" className="py-2 pl-2 text-right font-medium">Total</th>
                <th scope="col" className="hidden py-2 pl-2 text-right font-medium sm:table-cell">Paid</th>
                <th scope="col" className="py-2 pl-2 text-right font-medium">Owed</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {page.invoices.map((i) => (
                <tr key={i.id}>
                  <td className="py-2">
                    <Link to={`/invoices/${i.id}`} className="font-semibold text-brand-800 underline-offset-2 hover:underline">{`#${i.number}`}</Link>
                    <span className="block text-xs text-stone-600">{`${i.when} · ${i.location} · ${i.status}`}</span>
                  </td>
                  <td className="py-2 pl-2 text-right tabular-nums">{i.total}</td>
                  <td className="hidden py-2 pl-2 text-right tabular-nums sm:table-cell">{i.paid}</td>
                  <td className="py-2 pl-2 text-right tabular-nums">{i.owed ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title="Balance">
        <p className="text-2xl font-semibold tabular-nums">{page.owed}</p>
        <p className="mb-3 text-sm text-stone-700">{page.owedCents > 0 ? "owed across the invoices above" : "Nothing owed."}</p>
        <dl className="divide-y divide-stone-100 text-sm">
          {page.ageing.map((b) => (
            <div key={b.label} className="flex justify-between py-1">
              <dt className="text-stone-700">{b.label}</dt>
              <dd className={`tabular-nums ${b.cents > 0 && b.label !== "Current" ? "font-semibold text-red-800" : ""}`}>{b.amount}</dd>
            </div>
          ))}
        </dl>
        <div className="mt-4 flex flex-wrap gap-2 border-t border-stone-100 pt-3">
          <a href={`/patients/${page.patientId}/statement.pdf`} className={secondaryButtonClass}>Statement (PDF)</a>
          {page.canSell && page.owedCents > 0 ? (
            <Form method="post">
              <input type="hidden" name="intent" value="emailStatement" />
              <button type="submit" className={secondaryButtonClass}>Email statement</button>
            </Form>
          ) : null}
        </div>
        {statementSent ? <p role="status" className="mt-2 text-sm text-emerald-800">Statement emailed to the patient.</p> : null}
      </Card>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
