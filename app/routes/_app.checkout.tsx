import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireWorkingLocation } from "~/auth/guards.server";
import { NO_STORE, fieldMessages } from "~/lib/forms.server";
import { Card, EmptyState, Notice, PageHeader, buttonClass, inputClass, secondaryButtonClass } from "~/components/ui";
import { Field } from "~/components/field";
import { dayPage } from "~/checkout/day-page.server";
import { closeDrawer, moveCash, openDrawer } from "~/checkout/drawer.server";
import { DrawerSchema } from "~/checkout/schemas";

export const meta: MetaFunction = () => [{ title: "Checkout · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { session, location } = await requireWorkingLocation(request, context, "read:invoice:location");
  return data(await dayPage(context, session, location, new URL(request.url).searchParams.get("date")), { headers: NO_STORE });
}

type Reply = { intent: string; message: string; errors: Record<string, string> };

/** The drawer at the location the desk works in: open, cash in or out, close with the count. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { session, location } = await requireWorkingLocation(request, context, "checkout:invoice:location");
  const form = Object.fromEntries(await request.formData());
  const intent = String(form.intent ?? "");
  const parsed = DrawerSchema.safeParse(form);
  if (!parsed.success) return data<Reply>({ intent, message: "Check the highlighted fields.", errors: fieldMessages(parsed.error) }, { status: 400, headers: NO_STORE });
  const v = parsed.data;
  const actor = session.user;
  const done = v.intent === "open" ? await openDrawer(context, actor, location.id, v.float) : v.intent === "close" ? await closeDrawer(context, actor, location.id, v.counted, v.note || null) : await moveCash(context, actor, location.id, v.intent === "cashIn" ? "in" : "out", v.amount, v.reason);
  if (!done.ok) return data<Reply>({ intent, message: done.message, errors: {} }, { status: done.status, headers: NO_STORE });
  return redirect(`/checkout?saved=${v.intent}`, { headers: NO_STORE });
}

const SAVED: Record<string, string> = { open: "Drawer opened.", cashIn: "Cash in recorded.", cashOut: "Cash out recorded.", close: "Drawer closed." };

export default function CheckoutDay() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const errs = (intent: string, f: string) => (reply?.intent === intent && reply.errors[f] ? [reply.errors[f]] : undefined);
  const note = (intent: string) => (reply?.intent === intent && !Object.keys(reply.errors).length ? <Notice tone="error">{reply.message}</Notice> : null);
  const [search] = useSearchParams();
  const saved = SAVED[search.get("saved") ?? ""];
  return (
    <>
      <PageHeader
        title="Checkout"
        description={`${page.location} · the day's money, drawer and invoices`}
        actions={
          <Form method="get" className="flex items-end gap-2">
            <label className="text-sm font-medium">
              Day
              <input type="date" name="date" defaultValue={page.date} max={page.today} className={inputClass} />
            </label>
            <button type="submit" className={secondaryButtonClass}>Show</button>
          </Form>
        }
      />
      {saved ? <div className="mb-4"><Notice tone="success">{saved}</Notice></div> : null}
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0 space-y-6">
          <Card title="Money in">
            {page.byMethod.length === 0 ? (
              <p className="text-stone-700">No payments or refunds on this day.</p>
            ) : (
              <table className="w-full text-left text-sm">
                <caption className="sr-only">Payments by method</caption>
                <thead className="border-b border-stone-200 text-stone-600">
                  <tr><th scope="col" className="py-2 font-medium">Method</th><th scope="col" className="hidden py-2 pl-3 text-right font-medium sm:table-cell">Payments</th><th scope="col" className="py-2 pl-3 text-right font-medium">Taken</th><th scope="col" className="py-2 pl-3 text-right font-medium">Refunded</th><th scope="col" className="py-2 pl-3 text-right font-medium">Net</th></tr>
                </thead>
                <tbody className="divide-y divide-stone-100">
                  {page.byMethod.map((m) => (
                    <tr key={m.method}><th scope="row" className="py-2 font-medium">{m.method}</th><td className="hidden py-2 pl-3 text-right tabular-nums sm:table-cell">{m.payments}</td><td className="py-2 pl-3 text-right tabular-nums">{m.taken}</td><td className="py-2 pl-3 text-right tabular-nums">{m.refunded}</td><td className="py-2 pl-3 text-right tabular-nums">{m.net}</td></tr>
                  ))}
                </tbody>
                <tfoot><tr className="border-t border-stone-300 font-semibold"><th scope="row" className="py-2">All methods</th><td colSpan={2} /><td className="hidden sm:table-cell" /><td className="py-2 text-right tabular-nums">{page.net}</td></tr></tfoot>
              </table>
            )}
          </Card>
          <Card title="The day's invoices">
            <dl className="mb-4 grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
              {[["Invoices", String(page.sums.invoices)], ["Sales before discounts", page.sums.subtotal], ["Discounts", page.sums.discounts], ["Tax", page.sums.tax], ["Tips", page.sums.tips], ["Refunds", page.sums.refunds], ["Gift cards sold", page.sums.giftCardsSold], ["Gift cards spent", page.sums.giftCardsRedeemed], ["Deposits paid online", page.sums.deposits], ["Invoiced", page.sums.total], ["Still owed", page.sums.owed]].map(([k, v]) => (
                <div key={k}><dt className="text-stone-600">{k}</dt><dd className="font-semibold tabular-nums">{v}</dd></div>
              ))}
            </dl>
            {page.sums.invoices > page.invoices.length ? <p className="mb-2 text-sm text-stone-700">The latest {page.invoices.length} of {page.sums.invoices}; the totals above count them all.</p> : null}
            {page.invoices.length === 0 ? (
              <EmptyState title="No invoices on this day">Check a patient out from their visit: the invoice builds itself from the chart.</EmptyState>
            ) : (
              <ul className="divide-y divide-stone-100">
                {page.invoices.map((i) => (
                  <li key={i.id}>
                    <Link to={`/invoices/${i.id}`} className="flex min-h-11 flex-wrap items-center justify-between gap-2 py-2 hover:bg-stone-50">
                      <span><span className="font-semibold">{`#${i.number} · ${i.patient}`}</span><span className="block text-xs text-stone-600">{i.when} · {i.status}</span></span>
                      <span className="text-right tabular-nums">{i.total}{i.owed ? <span className="block text-xs text-amber-900">{i.owed} owed</span> : null}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
        <div className="space-y-6">
          <Card title="Cash drawer">
            {page.drawer ? (
              <>
                <dl className="divide-y divide-stone-100 text-sm">
                  {[["Opened", page.drawer.opened], ["Float", page.drawer.float], ["Cash taken", page.drawer.cashIn], ["Cash refunded", page.drawer.cashBack]].map(([k, v]) => (
                    <div key={k} className="flex justify-between py-1"><dt className="text-stone-700">{k}</dt><dd className="tabular-nums">{v}</dd></div>
                  ))}
                  {page.drawer.moves.map((m) => (
                    <div key={m.id} className="flex justify-between py-1"><dt className="text-stone-700">Cash {m.kind} · {m.reason}</dt><dd className="tabular-nums">{m.kind === "in" ? "+" : "−"} {m.amount}</dd></div>
                  ))}
                  <div className="flex justify-between py-1 text-base font-semibold"><dt>Should hold</dt><dd className="tabular-nums">{page.drawer.expected}</dd></div>
                </dl>
                {page.canOperate ? (
                  <div className="mt-4 space-y-4">
                    {(["cashIn", "cashOut"] as const).map((k) => (
                      <details key={k} open={reply?.intent === k}>
                        <summary className="inline-flex min-h-11 cursor-pointer items-center font-medium text-brand-800">{k === "cashIn" ? "Put cash in" : "Take cash out"}</summary>
                        <Form method="post" className="mt-2 space-y-2">
                          <input type="hidden" name="intent" value={k} />
                          {note(k)}
                          <Field label="Amount, $" errors={errs(k, "amount")} inputProps={{ id: `${k}-amount`, name: "amount", inputMode: "decimal" }} />
                          <Field label="Why" errors={errs(k, "reason")} inputProps={{ id: `${k}-reason`, name: "reason" }} />
                          <button type="submit" className={secondaryButtonClass}>{k === "cashIn" ? "Record cash in" : "Record cash out"}</button>
                        </Form>
                      </details>
                    ))}
                    <Form method="post" className="space-y-2 border-t border-stone-200 pt-4">
                      <input type="hidden" name="intent" value="close" />
                      {note("close")}
                      <Field label="Cash counted, $" errors={errs("close", "counted")} inputProps={{ id: "close-counted", name: "counted", inputMode: "decimal" }} />
                      <Field label="Note (optional)" errors={errs("close", "note")} inputProps={{ id: "close-note", name: "note" }} />
                      <button type="submit" className={buttonClass}>Close drawer</button>
                    </Form>
                  </div>
                ) : null}
              </>
            ) : page.canOperate ? (
              <Form method="post" className="space-y-2">
                <input type="hidden" name="intent" value="open" />
                {note("open")}
                <p className="text-sm text-stone-700">The drawer is closed. Count the float in to open it.</p>
                <Field label="Float, $" errors={errs("open", "float")} inputProps={{ id: "open-float", name: "float", inputMode: "decimal", defaultValue: "200.00" }} />
                <button type="submit" className={buttonClass}>Open drawer</button>
              </Form>
            ) : (
              <p className="text-stone-700">No drawer open{page.date === page.today ? "" : " at the end of this day"}.</p>
            )}
          </Card>
          {page.closed.length ? (
            <Card title="Drawers closed">
              <ul className="space-y-3 text-sm">
                {page.closed.map((d) => (
                  <li key={d.id}>
                    <p className="font-medium">{d.opened} – {d.closed}</p>
                    <p className="text-stone-700">Expected {d.expected} · counted {d.counted} · <span className={d.short ? "font-semibold text-red-800" : "font-semibold text-emerald-800"}>{`${d.label} ${d.overShort}`}</span></p>
                    {d.note ? <p className="text-stone-700">“{d.note}”</p> : null}
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
          <Card title="Tips by provider">
            <Link to="/checkout/tips" className="mb-2 inline-block text-sm font-medium text-brand-800 underline">By pay period</Link>
            {page.tips.length ? (
              <ul className="divide-y divide-stone-100 text-sm">
                {page.tips.map((t) => (
                  <li key={t.name} className="flex justify-between py-1"><span>{t.name}</span><span className="tabular-nums">{t.amount}</span></li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-stone-700">No tips on this day.</p>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
