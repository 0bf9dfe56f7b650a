import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { notFound, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { SECRET_ANSWER, secretAnswerHeaders } from "~/lib/submission-replay.server";
import { Card, Notice, buttonClass, secondaryButtonClass } from "~/components/ui";
import { portalInvoice } from "~/checkout/portal-invoices.server";
import { confirmOnlinePayment, ownInvoice, paidQuery, startOnlinePayment } from "~/payments/online.server";
import { StripeElementForm } from "~/payments/stripe-element";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Invoice #${data.number} · Atrium` : "Invoice · Atrium" }];
export const headers = secretAnswerHeaders;

/** One of the patient's invoices: the receipt, its PDF, and paying what is owed on the phone. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:invoice:own");
  const invoiceId = (params.invoiceId ?? "").slice(0, 64);
  const url = new URL(request.url);
  // Back from Stripe's Payment Element: Stripe's word on the payment, then the plain page.
  const intent = url.searchParams.get("payment_intent");
  if (intent) {
    const confirmed = await confirmOnlinePayment(context, await ownInvoice(context, session, invoiceId), intent.slice(0, 200));
    if (!confirmed.ok) throw notFound(confirmed.message);
    throw redirect(`/portal/invoices/${invoiceId}?${paidQuery(confirmed)}`, { headers: NO_STORE });
  }
  const page = await portalInvoice(context, session, invoiceId);
  if (!page) throw notFound("No invoice of yours with that id.");
  return data({ ...page, justPaid: url.searchParams.get("paid") === "1", processing: url.searchParams.get("processing") === "1", declined: url.searchParams.get("declined") }, { headers: NO_STORE });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "pay:invoice:own");
  const form = await request.formData();
  if (form.get("intent") !== "pay") return data({ message: "That action isn't one this page knows.", pay: null }, { status: 400, headers: NO_STORE });
  const started = await startOnlinePayment(context, await ownInvoice(context, session, (params.invoiceId ?? "").slice(0, 64)));
  if (!started.ok) return data({ message: started.message, pay: null }, { status: started.status, headers: NO_STORE });
  const returnUrl = `${context.origin}/portal/invoices/${encodeURIComponent(params.invoiceId ?? "")}`;
  // The intent's client secret goes to this page only: never kept for a replay.
  return data({ message: "", pay: { publishableKey: started.publishableKey, clientSecret: started.clientSecret, returnUrl, amount: started.amount } }, { headers: { ...NO_STORE, ...SECRET_ANSWER } });
}

export default function PortalInvoice() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="space-y-4">
      <Link to="/portal/invoices" className="text-sm font-medium text-brand-800 underline">← Payments</Link>
      <h1 className="text-2xl font-semibold">Invoice #{page.number}</h1>
      <div className="space-y-2" aria-live="polite">
        {page.justPaid ? <Notice tone="success">Thank you — your payment went through. Your receipt is below.</Notice> : null}
        {page.processing ? <Notice tone="info">Your bank is still confirming the payment. This page shows it once it's done.</Notice> : null}
        {page.declined ? <Notice tone="error">The payment didn't go through: {page.declined} Nothing was taken.</Notice> : null}
        {reply?.message ? <Notice tone="error">{reply.message}</Notice> : null}
      </div>
      {page.payable ? (
        <Card title={`Pay ${page.balance}`}>
          {reply?.pay ? (
            <StripeElementForm publishableKey={reply.pay.publishableKey} clientSecret={reply.pay.clientSecret} returnUrl={reply.pay.returnUrl} mode="payment" submitLabel={`Pay ${reply.pay.amount}`} />
          ) : (
            <Form method="post">
              <input type="hidden" name="intent" value="pay" />
              <button type="submit" className={`${buttonClass} w-full`} disabled={busy}>Pay {page.balance} by card</button>
            </Form>
          )}
        </Card>
      ) : null}
      {page.paysAtDesk ? <Notice tone="info">{page.balance} is due. You can pay at your next visit or by calling the clinic.</Notice> : null}
      {page.charging ? <Notice tone="info">A payment of {page.charging} is being confirmed.</Notice> : null}
      <Card title={page.clinic}>
        <p className="text-sm text-stone-600">{page.issued} · {page.status}</p>
        <ul className="mt-3 divide-y divide-stone-100">
          {page.lines.map((l, i) => (
            <li key={i} className="flex justify-between gap-3 py-2">
              <span>
                {l.description}
                <span className="block text-sm text-stone-600">Qty {l.quantity}{l.discount ? ` · ${l.discount}` : ""}</span>
              </span>
              <span className="tabular-nums">{l.amount}</span>
            </li>
          ))}
        </ul>
        <dl className="mt-3 space-y-1 border-t border-stone-200 pt-3">
          {page.totals.map(([label, value]) => (
            <div key={label} className={`flex justify-between ${label === "Total" ? "text-lg font-semibold" : ""}`}>
              <dt>{label}</dt>
              <dd className="tabular-nums">{value}</dd>
            </div>
          ))}
          {page.payments.map(([label, value], i) => (
            <div key={`p${i}`} className="flex justify-between text-stone-700">
              <dt>{label}</dt>
              <dd className="tabular-nums">{value}</dd>
            </div>
          ))}
          <div className="flex justify-between font-semibold">
            <dt>Balance</dt>
            <dd className="tabular-nums">{page.balance}</dd>
          </div>
        </dl>
        {page.hsa ? (
          <div className="mt-4 rounded-lg bg-stone-50 p-3">
            <p className="font-semibold">HSA/FSA eligible</p>
            <dl className="mt-1 space-y-1 text-sm">
              {page.hsa.lines.map(([label, value], i) => (
                <div key={i} className="flex justify-between gap-3">
                  <dt>{label}</dt>
                  <dd className="tabular-nums">{value}</dd>
                </div>
              ))}
              <div className="flex justify-between font-semibold">
                <dt>Eligible subtotal (before tax)</dt>
                <dd className="tabular-nums">{page.hsa.subtotal}</dd>
              </div>
            </dl>
          </div>
        ) : null}
        <div className="mt-4 flex flex-col gap-2 sm:flex-row">
          <a href={`/portal/invoices/${page.id}/receipt.pdf?paper=letter`} className={secondaryButtonClass}>Receipt (PDF)</a>
          <a href={`/portal/invoices/${page.id}/superbill.pdf`} className={secondaryButtonClass}>Superbill for your insurer (PDF)</a>
        </div>
      </Card>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
