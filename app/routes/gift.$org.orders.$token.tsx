import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Card, Notice, buttonClass } from "~/components/ui";
import { findOrganization } from "~/booking/booking-flow.server";
import { NO_STORE } from "~/lib/forms.server";
import { SECRET_ANSWER, secretAnswerHeaders } from "~/lib/submission-replay.server";
import { giftCardShop, orderByToken } from "~/gift-cards/orders.server";
import { CardFace, PublicShell } from "~/gift-cards/public-views";
import { queueBuyerReceipt } from "~/checkout/receipt-email.server";
import { confirmOnlinePayment, paidQuery, startOnlinePayment } from "~/payments/online.server";
import { StripeElementForm } from "~/payments/stripe-element";
import { formatDateTime, formatMoney } from "~/scheduling/format";

export const meta: MetaFunction = () => [{ title: "Your gift card order" }];
/** The link is the buyer's alone: never sent on as a referrer, never cached. */
const PRIVATE = { ...NO_STORE, "Referrer-Policy": "no-referrer" };
export const headers: HeadersFunction = (args) => {
  const headers = secretAnswerHeaders(args) as Headers;
  headers.set("Referrer-Policy", "no-referrer");
  return headers;
};

async function orderOf(ctx: LoaderFunctionArgs["context"], params: LoaderFunctionArgs["params"]) {
  const organization = await findOrganization(ctx, (params.org ?? "").slice(0, 80));
  const order = organization ? await orderByToken(ctx, organization.id, (params.token ?? "").slice(0, 80)) : null;
  const shop = order ? await giftCardShop(ctx, organization!.id) : null;
  if (!organization || !order || !shop) throw new Response("No gift card order at this link. Check the link, or start a new order.", { status: 404, headers: PRIVATE });
  return { organization, order, shop };
}

/**
 * The buyer's order, found by its link (ADR 037): pay with Stripe's Payment Element, and come back
 * here to see that it went through and when the card goes out.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { organization, order, shop } = await orderOf(context, params);
  const url = new URL(request.url);
  const intent = url.searchParams.get("payment_intent");
  const here = `/gift/${organization.slug}/orders/${params.token}`;
  if (intent) {
    const confirmed = await confirmOnlinePayment(context, order.invoice, intent.slice(0, 200));
    if (!confirmed.ok) throw new Response(confirmed.message, { status: 404, headers: PRIVATE });
    if (confirmed.status === "succeeded") await queueBuyerReceipt(context, order.invoice.id);
    throw redirect(`${here}?${paidQuery(confirmed)}`, { headers: PRIVATE });
  }
  const { invoice, cards } = order;
  const zone = shop.location.timeZone;
  return data(
    {
      clinic: organization.name,
      shopHref: `/gift/${organization.slug}`,
      number: invoice.number,
      total: formatMoney(invoice.totalCents),
      owed: formatMoney(invoice.totalCents - invoice.paidCents),
      // A pay page opened before holds its amount; paying again picks up that same payment.
      state: invoice.status === "paid" ? "paid" : invoice.status === "void" ? "void" : "unpaid",
      buyerEmail: invoice.buyerEmail,
      cards: cards.map((c) => ({
        id: c.id,
        design: c.design,
        amount: formatMoney(c.initialCents),
        recipient: c.recipientName,
        delivery: c.deliveredAt ? `Emailed to ${c.recipientEmail} on ${formatDateTime(c.deliveredAt.getTime(), zone)}.` : c.status !== "active" ? `Goes to ${c.recipientEmail} ${c.deliverAt ? `on ${formatDateTime(c.deliverAt.getTime(), zone)}` : "as soon as it's paid"}.` : `Goes to ${c.recipientEmail} ${c.deliverAt ? `on ${formatDateTime(c.deliverAt.getTime(), zone)}` : "in a few minutes"}.`,
      })),
      justPaid: url.searchParams.get("paid") === "1",
      processing: url.searchParams.get("processing") === "1",
      declined: url.searchParams.get("declined"),
    },
    { headers: PRIVATE },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { organization, order } = await orderOf(context, params);
  const form = await request.formData();
  if (form.get("intent") !== "pay") return data({ message: "That action isn't one this page knows.", pay: null }, { status: 400, headers: PRIVATE });
  const started = await startOnlinePayment(context, order.invoice);
  if (!started.ok) return data({ message: started.message, pay: null }, { status: started.status, headers: PRIVATE });
  const returnUrl = `${context.origin}/gift/${organization.slug}/orders/${encodeURIComponent(params.token ?? "")}`;
  // The intent's client secret goes to this page only: never kept for a replay.
  return data({ message: "", pay: { publishableKey: started.publishableKey, clientSecret: started.clientSecret, returnUrl, amount: started.amount } }, { headers: { ...PRIVATE, ...SECRET_ANSWER } });
}

export default function GiftCardOrder() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <PublicShell clinic={page.clinic}>
      <h1 className="text-2xl font-semibold">{page.state === "paid" ? "Your gift card is on its way" : "Pay for your gift card"}</h1>
      <div className="mt-3 space-y-2" aria-live="polite">
        {page.justPaid ? <Notice tone="success">Thank you — your payment went through. Your receipt is on its way to {page.buyerEmail}.</Notice> : null}
        {page.processing ? <Notice>Your bank is still confirming the payment. This page shows it once it's done.</Notice> : null}
        {page.declined ? <Notice tone="error">The payment didn't go through: {page.declined} Nothing was taken.</Notice> : null}
        {reply?.message ? <Notice tone="error">{reply.message}</Notice> : null}
        {page.state === "void" ? <Notice tone="error">This order wasn't paid in time and has been closed. Nothing was taken. <Link to={page.shopHref} className="font-medium underline">Start a new order</Link>.</Notice> : null}
      </div>
      <ul className="mt-4 space-y-3">
        {page.cards.map((c) => (
          <li key={c.id} className="grid grid-cols-[7rem_1fr] items-center gap-3">
            <CardFace design={c.design} clinic={page.clinic} amount={c.amount} />
            <div>
              <p className="font-semibold">{`${c.amount} gift card for ${c.recipient}`}</p>
              <p className="text-sm text-stone-700">{c.delivery}</p>
            </div>
          </li>
        ))}
      </ul>
      {page.state === "unpaid" ? (
        <Card title={`Pay ${page.owed}`} className="mt-5">
          {reply?.pay ? (
            <StripeElementForm publishableKey={reply.pay.publishableKey} clientSecret={reply.pay.clientSecret} returnUrl={reply.pay.returnUrl} mode="payment" submitLabel={`Pay ${reply.pay.amount}`} />
          ) : (
            <Form method="post">
              <input type="hidden" name="intent" value="pay" />
              <button type="submit" className={`${buttonClass} w-full text-lg`} disabled={busy}>Pay {page.owed} by card</button>
            </Form>
          )}
          <p className="mt-3 text-sm text-stone-600">Card details go straight to Stripe, our payment processor. Order #{page.number}.</p>
        </Card>
      ) : page.state === "paid" ? (
        <p className="mt-5 text-sm text-stone-700">Order #{page.number} · {page.total} paid. Keep this page's link private: it shows your order.</p>
      ) : null}
    </PublicShell>
  );
}

export { PublicErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
