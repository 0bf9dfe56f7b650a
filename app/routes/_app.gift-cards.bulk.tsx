import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission, requireWorkingLocation } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { Card, Notice, PageHeader, buttonClass, inputClass } from "~/components/ui";
import { ErrorList, Field } from "~/components/field";
import { BulkGiftCardSchema } from "~/gift-cards/schemas";
import { BULK_MAX_CARDS, giftCardShop, placeBulkOrder } from "~/gift-cards/orders.server";
import { parseTiers, tierFor, tierText } from "~/gift-cards/bulk-tiers";
import { DESIGN_LABELS } from "~/gift-cards/designs";
import { CardFace } from "~/gift-cards/public-views";
import { formatMoney } from "~/scheduling/format";
import { GIFT_CARD_DESIGNS } from "../../db/schema";

export const meta: MetaFunction = () => [{ title: "Bulk gift card order · Atrium" }];

/**
 * A company's order (ADR 037): N cards of one amount, the clinic's volume discount applied, one
 * invoice for the buyer. The desk takes payment on that invoice; its codes download as a CSV.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "checkout:invoice:location");
  const shop = await giftCardShop(context, session.user.organizationId);
  if (!shop) throw new Response("Add a location first.", { status: 409 });
  return data({ clinic: shop.name, tiers: parseTiers(shop.tiers).map(tierText), range: `${formatMoney(shop.min)} to ${formatMoney(shop.max)}`, max: BULK_MAX_CARDS, validity: shop.months ? `Cards are good for ${shop.months} months.` : "Cards never expire." }, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { session, location } = await requireWorkingLocation(request, context, "checkout:invoice:location");
  const submission = parseWithZod(await request.formData(), { schema: BulkGiftCardSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400, headers: NO_STORE });
  // Sold at the desk's working location (its tax mode, its day report).
  const shop = await giftCardShop(context, session.user.organizationId, location.id);
  if (!shop) return data(submission.reply({ formErrors: ["Choose one of your locations first."] }), { status: 403, headers: NO_STORE });
  const v = submission.value;
  const placed = await placeBulkOrder(context, session.user, shop, { ...v, amountCents: v.amount, discountBasisPoints: tierFor(parseTiers(shop.tiers), v.count) });
  if (!placed.ok) return data(submission.reply(placed.field ? { fieldErrors: { [placed.field]: [placed.message] } } : { formErrors: [placed.message] }), { status: placed.status, headers: NO_STORE });
  return redirect(`/invoices/${placed.invoiceId}`, { headers: NO_STORE });
}

export default function BulkGiftCards() {
  const page = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({ id: "bulk", lastResult, constraint: getZodConstraint(BulkGiftCardSchema), shouldValidate: "onBlur", onValidate: ({ formData }) => parseWithZod(formData, { schema: BulkGiftCardSchema }) });
  return (
    <>
      <PageHeader title="Bulk gift card order" description="Many cards at once for a company or an event: one invoice for the buyer, codes as a spreadsheet once it's paid." />
      <div className="grid max-w-5xl gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <Card title="Order">
          <Form method="post" {...getFormProps(form)} className="space-y-4">
            {form.errors ? <Notice tone="error">{form.errors.join(" ")}</Notice> : null}
            <div className="grid gap-3 sm:grid-cols-2">
              <Field label="Buyer (company or person)" errors={fields.buyerName.errors} inputProps={{ ...getInputProps(fields.buyerName, { type: "text" }), autoComplete: "organization" }} />
              <Field label="Buyer's email" hint="The invoice and receipt go here." errors={fields.buyerEmail.errors} inputProps={{ ...getInputProps(fields.buyerEmail, { type: "email" }), autoComplete: "off" }} />
              <Field label="Number of cards" hint={`1 to ${page.max}.`} errors={fields.count.errors} inputProps={{ ...getInputProps(fields.count, { type: "text" }), inputMode: "numeric", autoComplete: "off" }} />
              <Field label="Each card, $" hint={`From ${page.range}.`} errors={fields.amount.errors} inputProps={{ ...getInputProps(fields.amount, { type: "text" }), inputMode: "decimal", autoComplete: "off" }} />
            </div>
            <fieldset>
              <legend className="text-sm font-medium text-stone-800">Design</legend>
              <div className="mt-1 grid max-w-md grid-cols-3 gap-2">
                {GIFT_CARD_DESIGNS.map((d) => (
                  <label key={d} className="cursor-pointer rounded-lg border-2 border-transparent p-1 has-[:checked]:border-brand-700 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-700">
                    <input type="radio" name={fields.design.name} value={d} defaultChecked={(fields.design.initialValue ?? "botanical") === d} className="sr-only" />
                    <CardFace design={d} clinic={page.clinic} />
                    <span className="mt-1 block text-center text-sm">{DESIGN_LABELS[d]}</span>
                  </label>
                ))}
              </div>
              <ErrorList id="bulk-design-error" errors={fields.design.errors} />
            </fieldset>
            <div>
              <label htmlFor={fields.message.id} className="block text-sm font-medium text-stone-800">Message on each card (optional)</label>
              <textarea {...getTextareaProps(fields.message)} key={fields.message.key} rows={2} maxLength={300} className={inputClass} />
              <ErrorList id={fields.message.errorId} errors={fields.message.errors} />
            </div>
            <button type="submit" className={buttonClass} disabled={busy}>{busy ? "Making the cards…" : "Create the order"}</button>
          </Form>
        </Card>
        <Card title="Volume discounts">
          {page.tiers.length ? (
            <ul className="space-y-1 text-sm">
              {page.tiers.map((t) => (
                <li key={t}>{t}</li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-stone-700">None set.</p>
          )}
          <p className="mt-3 text-sm text-stone-600">Applied to the invoice by itself. Each card holds its full amount. {page.validity} The owner sets these in Billing settings.</p>
        </Card>
      </div>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
