import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, ErrorList } from "~/components/field";
import { Notice, buttonClass, inputClass } from "~/components/ui";
import { replyField, replyFormErrors } from "~/components/plain-form";
import { findOrganization } from "~/booking/booking-flow.server";
import { NO_STORE } from "~/lib/forms.server";
import { SECRET_ANSWER, secretAnswerHeaders } from "~/lib/submission-replay.server";
import { giftCardShop, placeOnlineOrder } from "~/gift-cards/orders.server";
import { OnlineGiftCardSchema } from "~/gift-cards/schemas";
import { CardFace, PublicShell } from "~/gift-cards/public-views";
import { DESIGN_LABELS } from "~/gift-cards/designs";
import { stripeGateway } from "~/payments/stripe-gateway.server";
import { formatMoney } from "~/scheduling/format";
import { GIFT_CARD_DESIGNS } from "../../db/schema";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d ? `Gift cards · ${d.clinic}` : "Gift cards · Atrium" }];
export const headers = secretAnswerHeaders;

async function shopFor(ctx: LoaderFunctionArgs["context"], slug: string) {
  const organization = await findOrganization(ctx, slug.slice(0, 80));
  const shop = organization ? await giftCardShop(ctx, organization.id) : null;
  if (!organization || !shop) throw new Response("No clinic with that address.", { status: 404 });
  // Cards are paid for on this page, so it sells only where the clinic takes card payments online.
  return { shop, open: shop.online && stripeGateway(ctx.env) !== null };
}

/**
 * A clinic's gift cards, bought on a phone with no account (ADR 037): the buyer chooses an amount
 * and a design, says who it is for, and pays on the next page; the card is emailed on the day.
 */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const { shop, open } = await shopFor(context, params.org ?? "");
  return data(
    {
      clinic: shop.name,
      open,
      phone: shop.location.phone,
      amounts: shop.amountChoices.map((c) => ({ value: String(c / 100), label: formatMoney(c) })),
      range: `${formatMoney(shop.min)} to ${formatMoney(shop.max)}`,
      validity: shop.months ? `Good for ${shop.months} months from purchase.` : "Never expires.",
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { shop, open } = await shopFor(context, params.org ?? "");
  if (!open) return data({ result: null, message: "This clinic sells gift cards at the front desk." }, { status: 409, headers: NO_STORE });
  const submission = parseWithZod(await request.formData(), { schema: OnlineGiftCardSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), message: null }, { status: 400, headers: NO_STORE });
  const v = submission.value;
  const placed = await placeOnlineOrder(context, shop, { ...v, buyerName: v.senderName });
  if (!placed.ok) {
    const field = placed.field === "amount" ? (v.otherAmount || v.amount === "other" ? "otherAmount" : "amount") : placed.field;
    return data({ result: submission.reply(field ? { fieldErrors: { [field]: [placed.message] } } : { formErrors: [placed.message] }), message: null }, { status: placed.status, headers: NO_STORE });
  }
  // The order's link is the buyer's alone: never kept for a replay to anyone else.
  return redirect(`/gift/${shop.slug}/orders/${placed.token}`, { headers: { ...NO_STORE, ...SECRET_ANSWER } });
}

export default function BuyGiftCard() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const field = (name: string) => replyField(reply?.result, name, "gift");
  const chosen = (reply?.result?.initialValue?.amount as string | undefined) ?? page.amounts[1]?.value ?? page.amounts[0]?.value;
  const chosenDesign = (reply?.result?.initialValue?.design as string | undefined) ?? "botanical";
  const formErrors = replyFormErrors(reply?.result);
  return (
    <PublicShell clinic={page.clinic}>
      <h1 className="text-2xl font-semibold">Give a gift card</h1>
      {!page.open ? (
        <div className="mt-4">
          <Notice>Gift cards from {page.clinic} are sold at the front desk. Call {page.phone} and we'll get one ready.</Notice>
        </div>
      ) : (
        <Form method="post" className="mt-4 space-y-6" noValidate>
          {reply?.message ? <Notice tone="error">{reply.message}</Notice> : null}
          {formErrors ? <Notice tone="error">{formErrors.join(" ")}</Notice> : null}
          <fieldset>
            <legend className="text-base font-semibold">Amount</legend>
            <p className="text-sm text-stone-600">Any amount from {page.range}. {page.validity}</p>
            <div className="mt-2 grid grid-cols-2 gap-2">
              {page.amounts.map((a) => (
                <label key={a.value} className="flex min-h-12 cursor-pointer items-center justify-center gap-2 rounded-xl border border-stone-300 px-3 text-lg font-semibold has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-700">
                  <input type="radio" name="amount" value={a.value} defaultChecked={chosen === a.value} className="sr-only" />
                  {a.label}
                </label>
              ))}
              <label className="col-span-2 flex min-h-12 cursor-pointer items-center gap-3 rounded-xl border border-stone-300 px-3 has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50">
                <input type="radio" name="amount" value="other" defaultChecked={chosen === "other"} className="h-5 w-5" />
                <span className="font-medium">Another amount</span>
              </label>
            </div>
            <ErrorList id="gift-amount-error" errors={field("amount").errors} />
            <div className="mt-2">
              <Field label="Other amount, $" errors={field("otherAmount").errors} inputProps={{ ...field("otherAmount").inputProps, inputMode: "decimal", autoComplete: "off" }} />
            </div>
          </fieldset>
          <fieldset>
            <legend className="text-base font-semibold">Design</legend>
            <div className="mt-2 grid grid-cols-3 gap-2">
              {GIFT_CARD_DESIGNS.map((d) => (
                <label key={d} className="cursor-pointer rounded-xl border-2 border-transparent p-1 has-[:checked]:border-brand-700 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-700">
                  <input type="radio" name="design" value={d} defaultChecked={chosenDesign === d} className="sr-only" />
                  <CardFace design={d} clinic={page.clinic} />
                  <span className="mt-1 block text-center text-sm font-medium">{DESIGN_LABELS[d]}</span>
                </label>
              ))}
            </div>
            <ErrorList id="gift-design-error" errors={field("design").errors} />
          </fieldset>
          <fieldset className="space-y-3">
            <legend className="text-base font-semibold">Who it's for</legend>
            <Field label="Their name" errors={field("recipientName").errors} inputProps={{ ...field("recipientName").inputProps, autoComplete: "off" }} />
            <Field label="Their email" hint="We email the card there, as a PDF with its code." errors={field("recipientEmail").errors} inputProps={{ ...field("recipientEmail").inputProps, type: "email", autoComplete: "off" }} />
            <div>
              <label htmlFor="gift-message" className="block text-sm font-medium text-stone-800">A message (optional)</label>
              <textarea id="gift-message" name="message" rows={3} maxLength={300} defaultValue={field("message").inputProps.defaultValue} className={inputClass} aria-invalid={field("message").errors ? true : undefined} aria-describedby={field("message").errors ? "gift-message-error" : undefined} />
              <ErrorList id="gift-message-error" errors={field("message").errors} />
            </div>
            <Field label="Send it on (optional)" hint="Leave empty to send it as soon as you've paid." errors={field("deliverOn").errors} inputProps={{ ...field("deliverOn").inputProps, type: "date" }} />
          </fieldset>
          <fieldset className="space-y-3">
            <legend className="text-base font-semibold">From you</legend>
            <Field label="Your name" errors={field("senderName").errors} inputProps={{ ...field("senderName").inputProps, autoComplete: "name" }} />
            <Field label="Your email" hint="For your receipt." errors={field("buyerEmail").errors} inputProps={{ ...field("buyerEmail").inputProps, type: "email", autoComplete: "email" }} />
          </fieldset>
          <button type="submit" className={`${buttonClass} w-full text-lg`} disabled={busy}>
            {busy ? "Working…" : "Continue to payment"}
          </button>
        </Form>
      )}
    </PublicShell>
  );
}

export { PublicErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
