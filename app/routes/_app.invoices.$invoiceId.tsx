import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { notFound, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { Notice, PageHeader, secondaryButtonClass } from "~/components/ui";
import { invoicePage } from "~/checkout/invoice-page.server";
import { invoiceAction } from "~/checkout/invoice-actions.server";
import { StripeChargeForms } from "~/payments/charge-forms";
import { GiftCardForms, GiftCardPrints } from "~/gift-cards/gift-card-forms";
import { InvoiceClose, InvoiceHistory, InvoiceLines, InvoiceSummary, PaymentForm, PaymentsList, ReceiptCard, RefundCard, TipForm } from "~/checkout/invoice-view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Invoice #${data.invoice.number} · Atrium` : "Invoice · Atrium" }];

const SAVED: Record<string, string> = { retail: "Product added.", line: "Line changed.", removed: "Line removed.", discount: "Discount saved.", tip: "Tip saved.", issued: "Invoice issued.", void: "Invoice voided.", receipt: "Receipt emailed to the patient.", refund: "Refund recorded.", giftcard: "Gift card added: it holds its value once this invoice is paid." };
/** After the desk confirms a visit's fee (ADR 038). */
const FEE: Record<string, string> = { charged: "Fee charged to the card on file. The receipt is on its way to the patient.", owed: "The fee is on this invoice: the patient owes it until it's paid." };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:invoice:location");
  const page = await invoicePage(context, session, (params.invoiceId ?? "").slice(0, 64));
  if (!page) throw notFound("No invoice with that id at your locations.");
  return data(page, { headers: NO_STORE });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  return invoiceAction(request, context, (params.invoiceId ?? "").slice(0, 64));
}

export default function InvoiceRoute() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const [search] = useSearchParams();
  const taken = page.payments.find((p) => p.id === search.get("taken") && p.status === "succeeded");
  const waiting = page.payments.find((p) => p.id === search.get("waiting") && p.status === "pending");
  const saved = SAVED[search.get("saved") ?? ""];
  const status = page.invoice.status;
  return (
    <>
      <PageHeader
        title={`Invoice #${page.invoice.number} · ${page.patient.name}`}
        description={[page.visit ? `${page.visit.serviceName} · ${page.visit.when}${page.visit.providerName ? ` · ${page.visit.providerName}` : ""}` : null, page.location].filter(Boolean).join(" · ")}
        actions={
          <>
            {page.patient.id ? <Link to={`/patients/${page.patient.id}`} className={secondaryButtonClass}>Patient record</Link> : null}
            {page.invoice.appointmentId ? <Link to={`/appointments/${page.invoice.appointmentId}`} className={secondaryButtonClass}>Visit</Link> : null}
          </>
        }
      />
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <span className={`rounded-full px-3 py-1 text-sm font-semibold ${status === "paid" ? "bg-emerald-100 text-emerald-900" : status === "void" ? "bg-stone-200 text-stone-800" : "bg-amber-100 text-amber-950"}`}>{page.invoice.statusLabel}</span>
        {page.invoice.voidReason ? <span className="text-stone-700">Void: {page.invoice.voidReason}</span> : null}
      </div>
      <div className="mb-4 space-y-2" aria-live="polite">
        {taken ? <Notice tone="success">Took {taken.amount} · {taken.method}{taken.change ? ` · change due ${taken.change}` : ""}.</Notice> : null}
        {saved && !taken ? <Notice tone="success">{saved}</Notice> : null}
        {FEE[search.get("fee") ?? ""] ? <Notice tone={search.get("fee") === "charged" ? "success" : "info"}>{FEE[search.get("fee")!]}</Notice> : null}
        {waiting ? <Notice tone="info">{waiting.onReader ? `Sent ${waiting.amount} to the reader: the patient taps or inserts their card there.` : `Charging ${waiting.amount}: waiting for Stripe's answer.`}</Notice> : null}
        {status === "paid" ? <Notice tone="success">Paid in full.</Notice> : null}
      </div>
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0 space-y-6">
          <InvoiceLines page={page} reply={reply} />
          {/* Tips are a share of services and treatments: a sale of retail or gift cards alone has none. */}
          {page.can.checkout && page.lines.some((l) => l.kind === "service" || l.kind === "treatment") ? <TipForm page={page} reply={reply} /> : null}
          <div className="grid gap-6 lg:grid-cols-2">
            <StripeChargeForms page={page} reply={reply} />
            <GiftCardForms page={page} reply={reply} />
            <GiftCardPrints page={page} />
          </div>
        </div>
        <div className="space-y-6">
          <InvoiceSummary page={page} reply={reply} />
          {page.can.pay ? <PaymentForm page={page} reply={reply} /> : null}
          <PaymentsList page={page} />
          <ReceiptCard page={page} reply={reply} />
          <RefundCard page={page} reply={reply} />
          <InvoiceClose page={page} reply={reply} />
          <InvoiceHistory page={page} />
        </div>
      </div>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
