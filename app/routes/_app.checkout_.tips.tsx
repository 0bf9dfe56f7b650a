import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireWorkingLocation } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { Card, EmptyState, PageHeader, secondaryButtonClass } from "~/components/ui";
import { tipsReport } from "~/checkout/tips-report.server";

export const meta: MetaFunction = () => [{ title: "Tips by pay period · Atrium" }];

const KIND_LABELS = { weekly: "Weekly", biweekly: "Every two weeks", semimonthly: "Twice a month", monthly: "Monthly" } as const;

/** Tips per provider for a pay period at the desk's location (the period set in billing settings). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { session, location } = await requireWorkingLocation(request, context, "read:invoice:location");
  return data(await tipsReport(context, session, location, new URL(request.url).searchParams.get("date")), { headers: NO_STORE });
}

export default function TipsReport() {
  const page = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Tips by pay period"
        description={`${page.location} · ${KIND_LABELS[page.kind]} · ${page.period}`}
        actions={
          <>
            <Link to={`/checkout/tips?date=${page.previous}`} className={secondaryButtonClass}>Previous period</Link>
            {page.next ? <Link to={`/checkout/tips?date=${page.next}`} className={secondaryButtonClass}>Next period</Link> : null}
          </>
        }
      />
      <Card title="Tips per provider" className="max-w-2xl">
        {page.rows.length === 0 ? (
          <EmptyState title="No tips this period">Tips on invoices paid in this period show here, per provider.</EmptyState>
        ) : (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Tips per provider in the pay period</caption>
            <thead className="border-b border-stone-200 text-stone-600">
              <tr>
                <th scope="col" className="py-2 font-medium">Provider</th>
                <th scope="col" className="py-2 text-right font-medium">Invoices</th>
                <th scope="col" className="py-2 text-right font-medium">Tips</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {page.rows.map((r) => (
                <tr key={r.name}>
                  <td className="py-2">{r.name}</td>
                  <td className="py-2 text-right tabular-nums">{r.invoices}</td>
                  <td className="py-2 text-right tabular-nums">{r.amount}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="border-t border-stone-200 font-semibold">
                <th scope="row" className="py-2">Total</th>
                <td />
                <td className="py-2 text-right tabular-nums">{page.total}</td>
              </tr>
            </tfoot>
          </table>
        )}
      </Card>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
