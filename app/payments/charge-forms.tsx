import { useEffect } from "react";
import { Form, Link, useNavigation, useRevalidator } from "@remix-run/react";
import { Card, buttonClass, inputClass, secondaryButtonClass } from "~/components/ui";
import { ErrorList } from "~/components/field";
import type { InvoicePageData } from "../checkout/invoice-view";
import type { InvoiceReply } from "../checkout/invoice-actions.server";
import { errorsFor, formMessage, Input } from "../checkout/invoice-view";

type Payment = InvoicePageData["payments"][number];

/**
 * Stripe at the desk (ADR 034): charge one of the patient's saved cards, or send the amount to a
 * card reader at this location. Plain forms; each posts once per page (its key), so a double tap
 * or a retry after a lost answer is the same charge.
 */
export function StripeChargeForms({ page, reply }: { page: InvoicePageData; reply?: InvoiceReply }) {
  const stripe = page.stripe;
  const busy = useNavigation().state === "submitting";
  if (!stripe || !page.can.pay) return null;
  const amount = (page.totals.chargeableCents / 100).toFixed(2);
  const firstGood = stripe.cards.find((c) => !c.expired);
  return (
    <>
      {page.patient.id ? <Card title="Card on file">
        {formMessage(reply, "chargeCard")}
        {stripe.cards.length === 0 ? (
          <p className="text-sm text-stone-700">
            No cards on file. <Link to={`/patients/${page.patient.id}/invoices#cards`} className="font-medium text-brand-800 underline">Add one on the patient's record</Link>, or ask the patient to add one in their portal.
          </p>
        ) : (
          <Form method="post" className="space-y-3">
            <input type="hidden" name="intent" value="chargeCard" />
            <input type="hidden" name="paymentKey" value={reply?.intent === "chargeCard" && reply.nextKey ? reply.nextKey : page.paymentKey} />
            <fieldset>
              <legend className="text-sm font-medium text-stone-800">Card</legend>
              <div className="mt-1 space-y-2">
                {stripe.cards.map((c) => (
                  <label key={c.id} className={`flex min-h-11 items-center gap-3 rounded-lg border border-stone-300 px-3 py-2 text-sm has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50 ${c.expired ? "opacity-60" : "cursor-pointer"}`}>
                    <input type="radio" name="savedCardId" value={c.id} defaultChecked={c.id === firstGood?.id} disabled={c.expired} className="h-5 w-5 shrink-0" />
                    <span className="font-medium">{c.label}</span>
                    <span className="text-stone-600">exp. {c.expiry}</span>
                    {c.isDefault ? <span className="ml-auto rounded-full bg-stone-100 px-2 py-0.5 text-xs font-medium text-stone-800">Default</span> : null}
                    {c.expired ? <span className="ml-auto text-xs font-medium text-red-800">Expired</span> : null}
                  </label>
                ))}
              </div>
              <ErrorList id="charge-card-error" errors={errorsFor(reply, "chargeCard", "savedCardId")} />
            </fieldset>
            <Input id="charge-card-amount" name="amount" label="Amount, $" inputMode="decimal" defaultValue={amount} errors={errorsFor(reply, "chargeCard", "amount")} hint={page.totals.held ? `${page.totals.held} is being charged already.` : `Balance ${page.totals.balance}.`} />
            <button type="submit" className={`${buttonClass} w-full`} disabled={busy || !firstGood}>Charge card</button>
          </Form>
        )}
      </Card> : null}
      {stripe.readers.length ? (
        <Card title="Card reader">
          {formMessage(reply, "chargeReader")}
          <Form method="post" className="space-y-3">
            <input type="hidden" name="intent" value="chargeReader" />
            <input type="hidden" name="paymentKey" value={reply?.intent === "chargeReader" && reply.nextKey ? reply.nextKey : page.readerKey} />
            <div>
              <label htmlFor="charge-reader" className="block text-sm font-medium text-stone-800">Reader</label>
              <select id="charge-reader" name="readerId" className={inputClass}>
                {stripe.readers.map((r) => (
                  <option key={r.id} value={r.id}>{r.label}</option>
                ))}
              </select>
              <ErrorList id="charge-reader-error" errors={errorsFor(reply, "chargeReader", "readerId")} />
            </div>
            <Input id="charge-reader-amount" name="amount" label="Amount, $" inputMode="decimal" defaultValue={amount} errors={errorsFor(reply, "chargeReader", "amount")} />
            <button type="submit" className={`${buttonClass} w-full`} disabled={busy}>Send to reader</button>
          </Form>
        </Card>
      ) : null}
    </>
  );
}

/** A charge Stripe hasn't answered yet (usually the reader, waiting for a tap): ask again or cancel. */
export function PendingCharge({ payment }: { payment: Payment }) {
  return (
    <div className="mt-2 rounded-lg bg-amber-50 px-3 py-2 text-amber-950">
      <p role="status" className="text-sm font-medium">{payment.onReader ? "Waiting for the card on the reader…" : "Waiting for Stripe's answer…"}</p>
      <div className="mt-2 flex flex-wrap gap-2">
        <Form method="post">
          <input type="hidden" name="intent" value="checkCharge" />
          <input type="hidden" name="paymentId" value={payment.id} />
          <button type="submit" className={secondaryButtonClass}>Check again</button>
        </Form>
        {payment.onReader ? (
          <Form method="post">
            <input type="hidden" name="intent" value="cancelCharge" />
            <input type="hidden" name="paymentId" value={payment.id} />
            <button type="submit" className={secondaryButtonClass}>Cancel on the reader</button>
          </Form>
        ) : null}
      </div>
    </div>
  );
}

/** With JavaScript, the page asks again every 2 seconds while a charge waits (the webhook settles it). */
export function WhilePending() {
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 2000);
    return () => clearInterval(timer);
  }, [revalidator]);
  return null;
}
