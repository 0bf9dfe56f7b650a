import { useEffect, useState } from "react";
import { Form, useNavigation } from "@remix-run/react";
import { Card, buttonClass, inputClass, secondaryButtonClass } from "~/components/ui";
import { ErrorList } from "~/components/field";
import type { InvoicePageData } from "../checkout/invoice-view";
import type { InvoiceReply } from "../checkout/invoice-actions.server";
import { errorsFor, formMessage, Input } from "../checkout/invoice-view";

const DESIGNS = [
  ["botanical", "Botanical"],
  ["gold", "Gold foil"],
  ["minimal", "Minimal"],
] as const;

/**
 * Selling a gift card at the desk, or adding value to one (ADR 035): plain forms on the invoice.
 * The card holds its value once the invoice is paid; it is emailed on the chosen day, or printed.
 */
export function GiftCardForms({ page, reply }: { page: InvoicePageData; reply?: InvoiceReply }) {
  const busy = useNavigation().state === "submitting";
  const [amount, setAmount] = useState(page.giftCards.amounts[1]?.value ?? page.giftCards.amounts[0]?.value ?? "");
  // The amount buttons fill the field below: they do nothing before JavaScript, so they show after it.
  const [enhanced, setEnhanced] = useState(false);
  useEffect(() => setEnhanced(true), []);
  if (!page.can.checkout || page.invoice.status === "paid" || page.payments.some((p) => p.status === "succeeded")) return null;
  const errs = (field: string) => errorsFor(reply, "giftCardSell", field);
  return (
    <Card title="Gift card">
      {formMessage(reply, "giftCardSell")}
      <Form method="post" className="space-y-3">
        <input type="hidden" name="intent" value="giftCardSell" />
        {enhanced ? <fieldset>
          <legend className="text-sm font-medium text-stone-800">Amount <span className="font-normal text-stone-600">({page.giftCards.range})</span></legend>
          <div className="mt-1 flex flex-wrap gap-2">
            {page.giftCards.amounts.map((a) => (
              <button key={a.value} type="button" onClick={() => setAmount(a.value)} className={`${secondaryButtonClass} ${amount === a.value ? "ring-2 ring-brand-700 ring-offset-1" : ""}`} aria-pressed={amount === a.value}>
                {a.label}
              </button>
            ))}
          </div>
        </fieldset> : null}
        <Input id="gift-amount" name="amount" label="Amount, $" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} errors={errs("amount")} hint={enhanced ? undefined : `From ${page.giftCards.range}.`} />
        <fieldset>
          <legend className="text-sm font-medium text-stone-800">Design</legend>
          <div className="mt-1 grid grid-cols-3 gap-2">
            {DESIGNS.map(([value, label], i) => (
              <label key={value} className="flex min-h-11 cursor-pointer items-center gap-2 rounded-lg border border-stone-300 px-2 py-2 text-sm has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50">
                <input type="radio" name="design" value={value} defaultChecked={i === 0} className="h-5 w-5 shrink-0" />
                {label}
              </label>
            ))}
          </div>
          <ErrorList id="gift-design-error" errors={errs("design")} />
        </fieldset>
        <div className="grid gap-3 sm:grid-cols-2">
          <Input id="gift-recipient" name="recipientName" label="For (optional)" autoComplete="off" errors={errs("recipientName")} />
          <Input id="gift-sender" name="senderName" label="From (optional)" autoComplete="off" errors={errs("senderName")} />
        </div>
        <Input id="gift-email" name="recipientEmail" type="email" label="Email it to (optional)" hint="Leave empty to print the card here." autoComplete="off" errors={errs("recipientEmail")} />
        <div>
          <label htmlFor="gift-message" className="block text-sm font-medium text-stone-800">Message (optional)</label>
          <textarea id="gift-message" name="message" rows={2} maxLength={300} className={inputClass} aria-invalid={errs("message") ? true : undefined} />
          <ErrorList id="gift-message-error" errors={errs("message")} />
        </div>
        <Input id="gift-deliver" name="deliverOn" type="date" label="Email on (optional)" hint="Empty: as soon as it's paid." errors={errs("deliverOn")} />
        <button type="submit" className={`${buttonClass} w-full`} disabled={busy}>Add gift card</button>
      </Form>
      <details className="mt-4 border-t border-stone-100 pt-3">
        <summary className="cursor-pointer text-sm font-medium text-brand-800">Add value to an existing card</summary>
        {formMessage(reply, "giftCardReload")}
        <Form method="post" className="mt-3 grid gap-3 sm:grid-cols-2">
          <input type="hidden" name="intent" value="giftCardReload" />
          <Input id="reload-code" name="code" label="Card code" autoComplete="off" autoCapitalize="characters" spellCheck={false} placeholder="XXXX-XXXX-XXXX-XXXX" errors={errorsFor(reply, "giftCardReload", "code")} />
          <Input id="reload-amount" name="amount" label="Add, $" inputMode="decimal" errors={errorsFor(reply, "giftCardReload", "amount")} />
          <div className="sm:col-span-2">
            <button type="submit" className={secondaryButtonClass} disabled={busy}>Add value</button>
          </div>
        </Form>
      </details>
    </Card>
  );
}

/** Cards this paid invoice sold, to print and hand over. */
export function GiftCardPrints({ page }: { page: InvoicePageData }) {
  const sold = page.lines.filter((l) => l.giftCardId);
  if (!page.giftCards.printable || sold.length === 0) return null;
  return (
    <Card title="Gift cards">
      {sold.length > 1 ? (
        <p className="mb-3">
          <a href={`/invoices/${page.invoice.id}/gift-codes.csv`} className={secondaryButtonClass}>Download all {sold.length} codes (CSV)</a>
        </p>
      ) : null}
      <ul className="space-y-2 text-sm">
        {sold.map((l) => (
          <li key={l.id} className="flex flex-wrap items-center justify-between gap-2">
            <span className="font-medium">{l.description}</span>
            <span className="flex gap-2">
              <a href={`/gift-cards/${l.giftCardId}/card.pdf`} className={secondaryButtonClass}>Print</a>
              <a href={`/gift-cards/${l.giftCardId}`} className={secondaryButtonClass}>Balance</a>
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
