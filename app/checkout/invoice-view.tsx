import { useEffect, useState, type ReactNode } from "react";
import { Form, useNavigation } from "@remix-run/react";
import { Card, Notice, buttonClass, dangerButtonClass, inputClass, secondaryButtonClass } from "~/components/ui";
import { ErrorList, Field } from "~/components/field";
import type { invoicePage } from "./invoice-page.server";
import type { InvoiceReply } from "./invoice-actions.server";
import { CARD_BRANDS } from "./schemas";
import { BRAND_LABELS } from "./labels";
import { PendingCharge, WhilePending } from "../payments/charge-forms";

export type InvoicePageData = NonNullable<Awaited<ReturnType<typeof invoicePage>>>;


/** Errors of one field of one form: shown only beside the form that was sent. */
export function errorsFor(reply: InvoiceReply | undefined, intent: string, field: string, target: string | null = null) {
  if (!reply || reply.intent !== intent || (target !== null && reply.target !== target)) return undefined;
  return reply.errors[field];
}

export function formMessage(reply: InvoiceReply | undefined, intent: string, target: string | null = null) {
  if (!reply || reply.intent !== intent || (target !== null && reply.target !== target)) return null;
  return Object.keys(reply.errors).length ? null : <Notice tone="error">{reply.message}</Notice>;
}

/** The shared labelled field, with the props written as on an input. */
export function Input({ id, label, errors, hint, name, ...props }: { id: string; name: string; label: string; errors?: string[]; hint?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return <Field label={label} hint={hint} errors={errors} inputProps={{ id, name, ...props }} />;
}

function Row({ label, value, strong = false, hint }: { label: string; value: string; strong?: boolean; hint?: ReactNode }) {
  return (
    <div className={`flex items-baseline justify-between gap-4 py-1 ${strong ? "text-lg font-semibold" : ""}`}>
      <dt className={strong ? "" : "text-stone-700"}>{label}{hint ? <span className="block text-xs font-normal text-stone-600">{hint}</span> : null}</dt>
      <dd className="tabular-nums">{value}</dd>
    </div>
  );
}

/** The lines, each with its changes behind a disclosure (quantity and price, discount, removal). */
export function InvoiceLines({ page, reply }: { page: InvoicePageData; reply?: InvoiceReply }) {
  return (
    <Card title="Lines">
      {page.chartDraft ? <div className="mb-3"><Notice tone="info">The chart for this visit isn't signed yet: what was charted may still change.</Notice></div> : null}
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Invoice lines</caption>
        <thead className="border-b border-stone-200 text-stone-600">
          <tr>
            <th scope="col" className="py-2 font-medium">Item</th>
            <th scope="col" className="py-2 pl-2 text-right font-medium">Qty</th>
            <th scope="col" className="py-2 pl-2 text-right font-medium">Price</th>
            <th scope="col" className="py-2 pl-2 text-right font-medium">Amount</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {page.lines.map((l) => (
            <tr key={l.id} className="align-top">
              <td className="py-2 pr-2">
                <span className="font-medium text-stone-900">{l.description}</span>
                <span className="block text-xs text-stone-600">{l.kind === "retail" ? "Retail" : l.kind === "treatment" ? "Charted" : l.kind === "gift_card" ? "Gift card" : "Service"}{l.taxRate ? ` · tax ${l.taxRate}` : ""}</span>
                {l.discount ? <span className="block text-xs text-emerald-800">{l.discount.label} off ({l.discount.cents}){l.discount.reason ? ` · ${l.discount.reason}` : ""}</span> : null}
                {page.can.edit || page.can.discount ? <LineChanges page={page} line={l} reply={reply} /> : null}
              </td>
              <td className="py-2 pl-2 text-right tabular-nums">{l.quantity}</td>
              <td className="py-2 pl-2 text-right tabular-nums">{l.unitPrice}</td>
              <td className="py-2 pl-2 text-right tabular-nums">{l.gross}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.lines.length === 0 ? <p className="py-3 text-stone-700">No lines yet. Add a retail product below, or a gift card.</p> : null}
      {page.can.checkout && page.retail.length > 0 && page.invoice.status !== "paid" ? <RetailForm page={page} reply={reply} /> : null}
    </Card>
  );
}

function LineChanges({ page, line, reply }: { page: InvoicePageData; line: InvoicePageData["lines"][number]; reply?: InvoiceReply }) {
  const open = reply?.target === line.id;
  return (
    <details className="mt-1" open={open}>
      <summary className="inline-flex min-h-11 cursor-pointer items-center text-sm font-medium text-brand-800 underline-offset-2 hover:underline">Change<span className="sr-only"> {line.description}</span></summary>
      <div className="mt-2 space-y-4 rounded-lg border border-stone-200 bg-stone-50 p-3">
        {formMessage(reply, "editLine", line.id)}
        {formMessage(reply, "discount", line.id)}
        {/* A gift card's amount is its value: it is removed and sold again, never repriced. */}
        {page.can.edit && line.kind !== "gift_card" ? (
          <Form method="post" className="grid gap-3 sm:grid-cols-2">
            <input type="hidden" name="intent" value="editLine" />
            <input type="hidden" name="lineId" value={line.id} />
            <Input id={`qty-${line.id}`} name="quantity" label="Quantity" inputMode="decimal" defaultValue={line.quantity} errors={errorsFor(reply, "editLine", "quantity", line.id)} />
            <Input id={`price-${line.id}`} name="unitPrice" label="Price of one, $" inputMode="decimal" defaultValue={line.unitPriceInput} errors={errorsFor(reply, "editLine", "unitPrice", line.id)} />
            <div className="sm:col-span-2"><Input id={`reason-${line.id}`} name="reason" label="Why" errors={errorsFor(reply, "editLine", "reason", line.id)} /></div>
            <div className="sm:col-span-2"><button type="submit" className={secondaryButtonClass}>Save line</button></div>
          </Form>
        ) : null}
        {page.can.discount ? <DiscountForm target={line.id} idPrefix={`line-${line.id}`} reply={reply} limit={page.can.discountLimit} hasDiscount={Boolean(line.discount)} /> : null}
        {page.can.edit ? (
          <Form method="post" className="flex flex-wrap items-end gap-2 border-t border-stone-200 pt-3">
            <input type="hidden" name="intent" value="removeLine" />
            <input type="hidden" name="lineId" value={line.id} />
            <div className="min-w-48 flex-1"><Input id={`remove-${line.id}`} name="reason" label="Why remove it" errors={errorsFor(reply, "removeLine", "reason", line.id)} /></div>
            <button type="submit" className={dangerButtonClass}>Remove line</button>
          </Form>
        ) : null}
      </div>
    </details>
  );
}

function DiscountForm({ target, idPrefix, reply, limit, hasDiscount }: { target: string; idPrefix: string; reply?: InvoiceReply; limit: string | null; hasDiscount: boolean }) {
  const [kind, setKind] = useState<"percent" | "amount">("percent");
  const errs = (f: string) => errorsFor(reply, "discount", f, target);
  return (
    <div className="space-y-2">
      <Form method="post" className="space-y-3">
        <input type="hidden" name="intent" value="discount" />
        <input type="hidden" name="target" value={target} />
        <fieldset>
          <legend className="text-sm font-medium text-stone-800">Discount{limit ? ` (up to ${limit} without a manager)` : ""}</legend>
          <div className="mt-1 flex gap-4">
            <label className="inline-flex min-h-11 items-center gap-2"><input type="radio" name="kind" value="percent" checked={kind === "percent"} onChange={() => setKind("percent")} className="h-5 w-5" /> Percent</label>
            <label className="inline-flex min-h-11 items-center gap-2"><input type="radio" name="kind" value="amount" checked={kind === "amount"} onChange={() => setKind("amount")} className="h-5 w-5" /> Amount</label>
          </div>
        </fieldset>
        <div className="grid gap-3 sm:grid-cols-2">
          {kind === "percent" ? <Input id={`${idPrefix}-percent`} name="percent" label="Percent off" inputMode="decimal" errors={errs("percent")} /> : <Input id={`${idPrefix}-amount`} name="amount" label="Amount off, $" inputMode="decimal" errors={errs("amount")} />}
          <Input id={`${idPrefix}-dreason`} name="reason" label="Reason" errors={errs("reason")} />
        </div>
        <button type="submit" className={secondaryButtonClass}>Apply discount</button>
      </Form>
      {hasDiscount ? (
        <Form method="post">
          <input type="hidden" name="intent" value="removeDiscount" />
          <input type="hidden" name="target" value={target} />
          <button type="submit" className="min-h-11 text-sm font-medium text-red-800 underline">Remove discount</button>
        </Form>
      ) : null}
    </div>
  );
}

function RetailForm({ page, reply }: { page: InvoicePageData; reply?: InvoiceReply }) {
  return (
    <Form method="post" className="mt-4 grid gap-3 border-t border-stone-200 pt-4 sm:grid-cols-[1fr_7rem_auto] sm:items-end">
      <input type="hidden" name="intent" value="retail" />
      <div>
        <label htmlFor="retail-product" className="block text-sm font-medium text-stone-800">Add a retail product</label>
        <select id="retail-product" name="productId" className={inputClass} aria-invalid={errorsFor(reply, "retail", "productId") ? true : undefined} aria-describedby={errorsFor(reply, "retail", "productId") ? "retail-product-error" : undefined}>
          {page.retail.map((r) => (
            <option key={r.id} value={r.id}>{r.label}</option>
          ))}
        </select>
        <ErrorList id="retail-product-error" errors={errorsFor(reply, "retail", "productId")} />
      </div>
      <Input id="retail-quantity" name="quantity" label="How many" inputMode="numeric" defaultValue="1" errors={errorsFor(reply, "retail", "quantity")} />
      <button type="submit" className={secondaryButtonClass}>Add</button>
    </Form>
  );
}

/** Totals, the tip, and the invoice-wide discount. */
export function InvoiceSummary({ page, reply }: { page: InvoicePageData; reply?: InvoiceReply }) {
  const t = page.totals;
  return (
    <Card title="Summary">
      <dl className="divide-y divide-stone-100">
        <Row label="Subtotal" value={t.subtotal} />
        {t.discount ? <Row label="Discounts" value={`− ${t.discount}`} hint={t.invoiceDiscount ? `${t.invoiceDiscount.label} off the invoice${t.invoiceDiscount.reason ? ` · ${t.invoiceDiscount.reason}` : ""}` : undefined} /> : null}
        {t.taxes.map((x) => (
          <Row key={x.rate} label={`${t.taxIncluded ? "Tax included" : "Tax"} ${x.rate}`} value={x.tax} />
        ))}
        {t.tip ? <Row label="Tip" value={t.tip} hint={page.tips.map((x) => `${x.name} ${x.amount}`).join(" · ")} /> : null}
        <Row label="Total" value={t.total} strong />
        <Row label="Paid" value={t.paid} />
        {page.refunded ? <Row label="Refunded" value={`− ${page.refunded}`} /> : null}
        <Row label="Balance" value={t.balance} strong />
      </dl>
      {page.can.discount ? (
        <details className="mt-3" open={reply?.intent === "discount" && reply.target === "invoice"}>
          <summary className="inline-flex min-h-11 cursor-pointer items-center font-medium text-brand-800">Discount the whole invoice</summary>
          <div className="mt-2">
            {formMessage(reply, "discount", "invoice")}
            <DiscountForm target="invoice" idPrefix="invoice" reply={reply} limit={page.can.discountLimit} hasDiscount={Boolean(t.invoiceDiscount)} />
          </div>
        </details>
      ) : null}
    </Card>
  );
}

export function TipForm({ page, reply }: { page: InvoicePageData; reply?: InvoiceReply }) {
  const [choice, setChoice] = useState(page.currentTip.choice);
  const errs = (f: string) => errorsFor(reply, "tip", f);
  return (
    <Card title="Tip">
      {formMessage(reply, "tip")}
      <Form method="post" className="space-y-3">
        <input type="hidden" name="intent" value="tip" />
        <fieldset>
          <legend className="sr-only">Tip amount</legend>
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-3">
            {[...page.tipOptions, { value: "custom", label: "Other amount" }, { value: "none", label: "No tip" }].map((o) => (
              <label key={o.value} className="flex min-h-11 cursor-pointer items-center gap-2 rounded-lg border border-stone-300 px-3 py-2 text-sm has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50">
                <input type="radio" name="tip" value={o.value} checked={choice === o.value} onChange={() => setChoice(o.value)} className="h-5 w-5" />
                {o.label}
              </label>
            ))}
          </div>
        </fieldset>
        <Input id="tip-custom" name="customAmount" label="Other amount, $" inputMode="decimal" defaultValue={page.currentTip.custom} errors={errs("customAmount")} hint="Used when “Other amount” is chosen." />
        {page.providers.length > 0 ? (
          <fieldset>
            <legend className="text-sm font-medium text-stone-800">For</legend>
            <div className="mt-1 flex flex-wrap gap-x-4">
              {page.providers.map((p) => (
                <label key={p.id} className="inline-flex min-h-11 items-center gap-2">
                  <input type="checkbox" name="providerIds" value={p.id} defaultChecked={page.defaultTipProviders.includes(p.id)} className="h-5 w-5" /> {p.name}
                </label>
              ))}
            </div>
            <ErrorList id="tip-providers-error" errors={errs("providerIds")} />
          </fieldset>
        ) : null}
        <button type="submit" className={secondaryButtonClass}>Save tip</button>
      </Form>
    </Card>
  );
}

const METHOD_CHOICES = [
  ["cash", "Cash"],
  ["card", "Card"],
  ["split", "Split: card + cash"],
  ["gift_card", "Gift card"],
] as const;

const centsOf = (typed: string) => (/^\d{1,6}(\.\d{1,2})?$/.test(typed.trim()) ? Math.round(Number(typed) * 100) : null);

/** Cash (with the change due), a card on the clinic's terminal, or a split of the two in one go. */
export function PaymentForm({ page, reply }: { page: InvoicePageData; reply?: InvoiceReply }) {
  const [method, setMethod] = useState<(typeof METHOD_CHOICES)[number][0]>("cash");
  const [tendered, setTendered] = useState((page.totals.balanceCents / 100).toFixed(2));
  const [onCard, setOnCard] = useState("");
  // Before JavaScript every field shows (each labelled with when it counts); after, only the chosen method's.
  const [enhanced, setEnhanced] = useState(false);
  useEffect(() => setEnhanced(true), []);
  const busy = useNavigation().state === "submitting";
  const errs = (f: string) => errorsFor(reply, "pay", f);
  const cash = centsOf(tendered);
  const card = method === "split" ? (centsOf(onCard) ?? 0) : 0;
  const cashDue = page.totals.balanceCents - card;
  const change = (method === "cash" || method === "split") && cash !== null && cash > cashDue && cashDue >= 0 ? cash - cashDue : 0;
  const showCard = !enhanced || method === "card" || method === "split";
  return (
    <Card title="Take payment">
      {formMessage(reply, "pay")}
      <Form method="post" className="space-y-3">
        <input type="hidden" name="intent" value="pay" />
        <input type="hidden" name="paymentKey" value={page.paymentKey} />
        <fieldset>
          <legend className="text-sm font-medium text-stone-800">Method</legend>
          <div className="mt-1 grid grid-cols-2 gap-2">
            {METHOD_CHOICES.map(([m, label]) => (
              <label key={m} className="flex min-h-11 cursor-pointer items-center gap-2 rounded-lg border border-stone-300 px-2 py-2 text-sm has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50">
                <input type="radio" name="method" value={m} checked={method === m} onChange={() => setMethod(m)} className="h-5 w-5 shrink-0" />
                {label}
              </label>
            ))}
          </div>
        </fieldset>
        {!enhanced || method === "gift_card" ? <Input id="pay-gift-code" name="giftCardCode" label={enhanced ? "Gift card code" : "Gift card code (gift card only)"} autoComplete="off" autoCapitalize="characters" spellCheck={false} placeholder="XXXX-XXXX-XXXX-XXXX" errors={errs("giftCardCode")} /> : null}
        <Input id="pay-amount" name="amount" label={method === "card" ? "Amount on the card, $" : method === "gift_card" ? "Amount from the gift card, $" : "Cash handed over, $"} inputMode="decimal" value={tendered} onChange={(e) => setTendered(e.target.value)} errors={errs("amount")} hint={`Balance ${page.totals.balance}.${enhanced ? "" : " For a card alone, this is the amount charged."}`} />
        {change > 0 ? <p role="status" className="rounded-lg bg-amber-50 px-3 py-2 font-semibold text-amber-950">Change due {new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(change / 100)}</p> : null}
        {showCard ? (
          <fieldset className="space-y-3 rounded-lg border border-stone-200 p-3">
            <legend className="px-1 text-sm font-medium text-stone-800">Card on the clinic's terminal{enhanced ? "" : " (card and split only)"}</legend>
            {!enhanced || method === "split" ? <Input id="pay-card-amount" name="cardAmount" label={enhanced ? "On the card, $" : "On the card, $ (split only)"} inputMode="decimal" value={onCard} onChange={(e) => setOnCard(e.target.value)} errors={errs("cardAmount")} /> : null}
            <div>
              <label htmlFor="pay-brand" className="block text-sm font-medium text-stone-800">Brand</label>
              <select id="pay-brand" name="cardBrand" className={inputClass} aria-invalid={errs("cardBrand") ? true : undefined}>
                {CARD_BRANDS.map((b) => (
                  <option key={b} value={b}>{b === "other" ? "Other" : BRAND_LABELS[b]}</option>
                ))}
              </select>
              <ErrorList id="pay-brand-error" errors={errs("cardBrand")} />
            </div>
            <div className="grid gap-3 sm:grid-cols-2">
              <Input id="pay-last4" name="cardLast4" label="Last 4 digits" inputMode="numeric" maxLength={4} autoComplete="off" errors={errs("cardLast4")} />
              <Input id="pay-auth" name="authCode" label="Authorization code" autoComplete="off" errors={errs("authCode")} />
            </div>
          </fieldset>
        ) : null}
        <button type="submit" className={`${buttonClass} w-full`} disabled={busy}>{method === "cash" ? "Take cash" : method === "card" ? "Record card payment" : method === "gift_card" ? "Take from gift card" : "Take card and cash"}</button>
      </Form>
    </Card>
  );
}

export function PaymentsList({ page }: { page: InvoicePageData }) {
  const pending = page.payments.some((p) => p.status === "pending");
  if (page.payments.length === 0) return null;
  return (
    <Card title="Payments">
      {pending ? <WhilePending /> : null}
      <ul className="divide-y divide-stone-100 text-sm">
        {page.payments.map((p) => (
          <li key={p.id} className="py-2">
            <div className="flex items-baseline justify-between gap-3">
              <span>
                <span className={`font-medium ${p.status === "failed" ? "text-stone-500 line-through" : ""}`}>{p.method}</span>
                <span className="block text-xs text-stone-600">{p.when}{p.change ? ` · tendered ${p.tendered}, change ${p.change}` : ""}</span>
              </span>
              <span className={`tabular-nums ${p.status === "failed" ? "text-stone-500 line-through" : ""}`}>{p.amount}</span>
            </div>
            {p.status === "failed" ? <p className="mt-1 text-xs font-medium text-red-800">Not taken: {p.failure ?? "declined"}</p> : null}
            {p.status === "pending" ? <PendingCharge payment={p} /> : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}

export function InvoiceHistory({ page }: { page: InvoicePageData }) {
  return (
    <Card title="History">
      <ol className="space-y-2 text-sm">
        {page.history.map((h) => (
          <li key={h.id}>
            <span className="font-medium">{h.detail}</span>
            <span className="text-stone-600"> · {h.when} · {h.who}</span>
            {h.reason ? <span className="block text-stone-700">“{h.reason}”</span> : null}
          </li>
        ))}
      </ol>
    </Card>
  );
}

export function InvoiceClose({ page, reply }: { page: InvoicePageData; reply?: InvoiceReply }) {
  if (!page.can.issue && !page.can.void) return null;
  return (
    <Card title="Invoice">
      {formMessage(reply, "issue")}
      {formMessage(reply, "void")}
      {page.can.issue ? (
        <Form method="post" className="mb-4">
          <input type="hidden" name="intent" value="issue" />
          <p className="mb-2 text-sm text-stone-700">Issue it when the patient will pay later: the balance is then owed on their account.</p>
          <button type="submit" className={secondaryButtonClass}>Issue invoice</button>
        </Form>
      ) : null}
      {page.can.void ? (
        <details open={reply?.intent === "void"}>
          <summary className="inline-flex min-h-11 cursor-pointer items-center font-medium text-red-800">Void this invoice</summary>
          <Form method="post" className="mt-2 space-y-2">
            <input type="hidden" name="intent" value="void" />
            <Input id="void-reason" name="reason" label="Why it is void" errors={errorsFor(reply, "void", "reason")} />
            <button type="submit" className={dangerButtonClass}>Void invoice</button>
          </Form>
        </details>
      ) : null}
    </Card>
  );
}

/** The receipt: emailed through the outbox, or as a PDF for the receipt printer or a page. */
export function ReceiptCard({ page, reply }: { page: InvoicePageData; reply?: InvoiceReply }) {
  if (page.payments.length === 0 && page.invoice.status !== "paid") return null;
  const pdf = (paper: string) => `/invoices/${page.invoice.id}/receipt.pdf?paper=${paper}`;
  return (
    <Card title="Receipt">
      {formMessage(reply, "emailReceipt")}
      <div className="flex flex-wrap gap-2">
        {page.can.checkout || page.invoice.status === "paid" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="emailReceipt" />
            <button type="submit" className={secondaryButtonClass}>Email receipt</button>
          </Form>
        ) : null}
        <a href={pdf("receipt")} className={secondaryButtonClass} target="_blank" rel="noreferrer">Print (80 mm)</a>
        <a href={pdf("letter")} className={secondaryButtonClass} target="_blank" rel="noreferrer">Letter PDF</a>
        <a href={pdf("a4")} className={secondaryButtonClass} target="_blank" rel="noreferrer">A4 PDF</a>
        {/* A superbill is for a patient claiming from their insurer: a buyer who isn't one has none. */}
        {page.patient.id ? <a href={`/invoices/${page.invoice.id}/superbill.pdf`} className={secondaryButtonClass} target="_blank" rel="noreferrer">Superbill</a> : null}
      </div>
    </Card>
  );
}

/** Money back to the payment it undoes, with a reason; retail back on the shelf when chosen. */
export function RefundCard({ page, reply }: { page: InvoicePageData; reply?: InvoiceReply }) {
  if (!page.can.refund || page.refundable.length === 0) return null;
  const errs = (f: string) => errorsFor(reply, "refund", f);
  return (
    <Card title="Refund">
      <details open={reply?.intent === "refund"}>
        <summary className="inline-flex min-h-11 cursor-pointer items-center font-medium text-brand-800">Give money back</summary>
        <Form method="post" className="mt-2 space-y-3">
          <input type="hidden" name="intent" value="refund" />
          <input type="hidden" name="refundKey" value={page.refundKey} />
          {formMessage(reply, "refund")}
          <fieldset>
            <legend className="text-sm font-medium text-stone-800">Back to</legend>
            {page.refundable.map((p, i) => (
              <label key={p.id} className="flex min-h-11 items-center gap-2">
                <input type="radio" name="paymentId" value={p.id} defaultChecked={i === 0} className="h-5 w-5" /> {p.label} · up to {p.amount}
              </label>
            ))}
            <ErrorList id="refund-payment-error" errors={errs("paymentId")} />
          </fieldset>
          <Input id="refund-amount" name="amount" label="Amount, $" inputMode="decimal" defaultValue={page.refundable[0].input} errors={errs("amount")} />
          <Input id="refund-reason" name="reason" label="Why" errors={errs("reason")} />
          {page.restockable.length ? (
            <div>
              <label htmlFor="refund-restock" className="block text-sm font-medium text-stone-800">Put back on the shelf</label>
              <select id="refund-restock" name="restockLineId" className={inputClass} defaultValue="">
                <option value="">Nothing (a service, or the item isn't coming back)</option>
                {page.restockable.map((l) => (
                  <option key={l.id} value={l.id}>{l.label}</option>
                ))}
              </select>
              <ErrorList id="refund-restock-error" errors={errs("restockLineId")} />
            </div>
          ) : null}
          {page.giftCardSales.length ? (
            <div>
              <label htmlFor="refund-gift-card" className="block text-sm font-medium text-stone-800">Gift card sold here that this refund takes back</label>
              <select id="refund-gift-card" name="giftCardLineId" className={inputClass} defaultValue={page.giftCardSales.length === 1 && page.lines.every((l) => l.giftCardId) ? page.giftCardSales[0].id : ""} aria-describedby="refund-gift-card-hint">
                <option value="">None (the refund is for something else)</option>
                {page.giftCardSales.map((l) => (
                  <option key={l.id} value={l.id}>{l.label}</option>
                ))}
              </select>
              <p id="refund-gift-card-hint" className="mt-1 text-sm text-stone-600">Its value comes off the card; only what's still on it can be refunded.</p>
              <ErrorList id="refund-gift-card-error" errors={errs("giftCardLineId")} />
            </div>
          ) : null}
          <button type="submit" className={dangerButtonClass}>Refund</button>
        </Form>
      </details>
    </Card>
  );
}
