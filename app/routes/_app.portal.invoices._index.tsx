import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { Card, EmptyState, secondaryButtonClass } from "~/components/ui";
import { portalInvoices } from "~/checkout/portal-invoices.server";

export const meta: MetaFunction = () => [{ title: "Payments · Atrium" }];

/** The patient's invoices and what they owe, large and calm on a phone. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:invoice:own");
  const page = await portalInvoices(context, session);
  if (!page) throw notFound("Your clinic hasn't linked a patient record to this account yet.");
  return data(page, { headers: NO_STORE });
}

export default function PortalInvoices() {
  const page = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Payments</h1>
      <Card>
        <p className="text-sm text-stone-700">You owe</p>
        <p className="text-3xl font-semibold tabular-nums">{page.owed}</p>
        {page.owedCents === 0 ? <p className="mt-1 text-stone-700">Nothing is owed. Thank you!</p> : <a href="/portal/statement.pdf" className={`${secondaryButtonClass} mt-3`}>Statement (PDF)</a>}
      </Card>
      <Card title="Invoices and receipts">
        {page.invoices.length === 0 ? (
          <EmptyState title="Nothing yet">Invoices from your visits show here, with their receipts.</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100">
            {page.invoices.map((i) => (
              <li key={i.id}>
                <Link to={`/portal/invoices/${i.id}`} className="flex min-h-14 items-center justify-between gap-3 py-3">
                  <span>
                    <span className="block font-semibold">Invoice #{i.number}</span>
                    <span className="block text-sm text-stone-600">{i.when} · {i.location}</span>
                  </span>
                  <span className="text-right">
                    <span className="block tabular-nums">{i.total}</span>
                    <span className={`block text-sm ${i.owed ? "font-semibold text-amber-900" : "text-stone-600"}`}>{i.owed ? `${i.owed} due` : i.status}</span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
