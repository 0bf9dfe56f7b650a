import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, SelectField } from "~/components/field";
import { Card, Notice, PageHeader, buttonClass, secondaryButtonClass } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE, fieldMessages } from "~/lib/forms.server";
import { parseTiers } from "~/gift-cards/bulk-tiers";
import { billingSettings, superbillProviders, updateBillingPolicy, updateClinicTaxId, updateGiftCardPolicy, updateLocationTax, updatePayPeriod, updateProviderBilling } from "~/checkout/billing-settings.server";
import { BillingPolicySchema, ClinicTaxIdSchema, GiftCardPolicySchema, LocationTaxSchema, PayPeriodSchema, ProviderBillingSchema, ReaderSchema } from "~/checkout/schemas";
import { formatEin } from "~/superbills/npi";
import { readersByLocation, registerReader, removeReader } from "~/payments/readers.server";
import { stripeGateway } from "~/payments/stripe-gateway.server";

export const meta: MetaFunction = () => [{ title: "Billing settings · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "manage:billing:organization");
  const [{ org, locations }, readers, providers] = await Promise.all([billingSettings(context, session), readersByLocation(context, session.user.organizationId), superbillProviders(context, session)]);
  return data(
    {
      stripe: stripeGateway(context.env) !== null,
      readers: readers.map((r) => ({ id: r.id, locationId: r.locationId, label: r.label })),
      taxId: org.taxId ? formatEin(org.taxId) : "",
      payPeriod: { kind: org.payPeriod, anchor: org.payPeriodAnchor },
      providers: providers.map((p) => ({ id: p.id, name: p.name, credentials: p.credentials ?? "", npi: p.npi ?? "" })),
      giftCards: { amounts: org.giftCardAmounts.split(",").map((c) => String(Number(c) / 100)).join(", "), min: (org.giftCardMinCents / 100).toFixed(2), max: (org.giftCardMaxCents / 100).toFixed(2), expiryMonths: org.giftCardExpiryMonths ? String(org.giftCardExpiryMonths) : "", bulkTiers: parseTiers(org.giftCardBulkTiers).map((t) => `${t.minCards}: ${t.basisPoints / 100}`).join(", "), online: org.giftCardOnline, shopUrl: `${context.origin}/gift/${session.organization.slug}` },
      policy: { lateFee: org.lateFeeCents ? (org.lateFeeCents / 100).toFixed(2) : "", lateFeeAfterDays: String(org.lateFeeAfterDays), lateCancelFee: org.lateCancelFeeCents ? (org.lateCancelFeeCents / 100).toFixed(2) : "", noShowFee: org.noShowFeeCents ? (org.noShowFeeCents / 100).toFixed(2) : "", deskDiscountLimit: String(org.deskDiscountLimit / 100), tipPresets: org.tipPresets.split(",").map((bp) => String(Number(bp) / 100)).join(", ") },
      locations: locations.map((l) => ({ id: l.id, name: l.name, taxMode: l.taxMode, servicesRate: String(l.taxServicesRate / 1000), retailRate: String(l.taxRetailRate / 1000) })),
    },
    { headers: NO_STORE },
  );
}

type Reply = { intent: string; target: string | null; message: string; errors: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "manage:billing:organization");
  const form = Object.fromEntries(await request.formData());
  const intent = String(form.intent ?? "");
  const reply = (status: number, r: Omit<Reply, "intent">) => data<Reply>({ intent, ...r }, { status, headers: NO_STORE });
  if (intent === "policy") {
    const parsed = BillingPolicySchema.safeParse(form);
    if (!parsed.success) return reply(400, { target: null, message: "Check the highlighted fields.", errors: fieldMessages(parsed.error) });
    await updateBillingPolicy(context, session, parsed.data);
    return reply(200, { target: null, message: "Checkout policy saved.", errors: {} });
  }
  if (intent === "payPeriod") {
    const parsed = PayPeriodSchema.safeParse(form);
    if (!parsed.success) return reply(400, { target: null, message: "Check the highlighted fields.", errors: fieldMessages(parsed.error) });
    await updatePayPeriod(context, session, parsed.data);
    return reply(200, { target: null, message: "Pay period saved.", errors: {} });
  }
  if (intent === "taxId") {
    const parsed = ClinicTaxIdSchema.safeParse(form);
    if (!parsed.success) return reply(400, { target: null, message: "Check the highlighted fields.", errors: fieldMessages(parsed.error) });
    await updateClinicTaxId(context, session, parsed.data.taxId);
    return reply(200, { target: null, message: "Tax id saved.", errors: {} });
  }
  if (intent === "provider") {
    const target = typeof form.userId === "string" ? form.userId : null;
    const parsed = ProviderBillingSchema.safeParse(form);
    if (!parsed.success) return reply(400, { target, message: "Check the highlighted fields.", errors: fieldMessages(parsed.error) });
    if (!(await updateProviderBilling(context, session, parsed.data))) return reply(404, { target, message: "No provider with that id in your organization.", errors: {} });
    return reply(200, { target, message: "Saved.", errors: {} });
  }
  if (intent === "giftCards") {
    const parsed = GiftCardPolicySchema.safeParse(form);
    if (!parsed.success) return reply(400, { target: null, message: "Check the highlighted fields.", errors: fieldMessages(parsed.error) });
    await updateGiftCardPolicy(context, session, parsed.data);
    return reply(200, { target: null, message: "Gift card settings saved.", errors: {} });
  }
  if (intent === "tax") {
    const target = typeof form.locationId === "string" ? form.locationId : null;
    const parsed = LocationTaxSchema.safeParse(form);
    if (!parsed.success) return reply(400, { target, message: "Check the highlighted fields.", errors: fieldMessages(parsed.error) });
    if (!(await updateLocationTax(context, session, parsed.data))) return reply(404, { target, message: "No location with that id in your organization.", errors: {} });
    return reply(200, { target, message: "Tax saved. It applies to invoices opened from now on.", errors: {} });
  }
  if (intent === "addReader") {
    const target = typeof form.locationId === "string" ? form.locationId : null;
    const parsed = ReaderSchema.safeParse(form);
    if (!parsed.success) return reply(400, { target, message: "Check the highlighted fields.", errors: fieldMessages(parsed.error) });
    const added = await registerReader(context, session, parsed.data);
    if (!added.ok) return reply(added.status, { target, message: added.message, errors: added.field ? { [added.field]: added.message } : {} });
    return reply(200, { target, message: `Reader "${parsed.data.label}" paired. The desk can send amounts to it from an invoice.`, errors: {} });
  }
  if (intent === "removeReader") {
    const target = typeof form.locationId === "string" ? form.locationId : null;
    if (!(await removeReader(context, session, String(form.readerId ?? "").slice(0, 64)))) return reply(404, { target, message: "No reader with that id in your organization.", errors: {} });
    return reply(200, { target, message: "Reader removed.", errors: {} });
  }
  return reply(400, { target: null, message: "That action isn't one the billing settings know.", errors: {} });
}

export default function BillingSettings() {
  const { policy, giftCards, locations, readers, stripe, taxId, providers, payPeriod } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const errs = (intent: string, field: string, target: string | null = null) => (reply?.intent === intent && reply.target === target && reply.errors[field] ? [reply.errors[field]] : undefined);
  const note = (intent: string, target: string | null = null) => (reply?.intent === intent && reply.target === target ? <Notice tone={Object.keys(reply.errors).length || reply.message.startsWith("No ") ? "error" : "success"}>{reply.message}</Notice> : null);
  return (
    <>
      <PageHeader title="Billing" description="Tax at each location, discounts the front desk may give, and the tips checkout offers." />
      <div className="grid max-w-5xl gap-6 xl:grid-cols-2">
        <Card title="Checkout policy">
          <Form method="post" className="space-y-3">
            <input type="hidden" name="intent" value="policy" />
            {note("policy")}
            <Field label="Largest discount without a manager, %" hint="Managers and owners can give more." errors={errs("policy", "deskDiscountLimit")} inputProps={{ id: "desk-limit", name: "deskDiscountLimit", defaultValue: policy.deskDiscountLimit, inputMode: "decimal" }} />
            <Field label="Tip choices, %" hint="Up to four, like 18, 20, 25. Tips are a share of the services before tax." errors={errs("policy", "tipPresets")} inputProps={{ id: "tip-presets", name: "tipPresets", defaultValue: policy.tipPresets }} />
            <Field label="Late-cancellation fee, $" hint="For a cancellation inside a location's cut-off. Empty: none." errors={errs("policy", "lateCancelFee")} inputProps={{ id: "late-fee", name: "lateCancelFee", defaultValue: policy.lateCancelFee, inputMode: "decimal" }} />
            <Field label="No-show fee, $" hint="Charged to the card on file once the desk confirms. Empty: none." errors={errs("policy", "noShowFee")} inputProps={{ id: "no-show-fee", name: "noShowFee", defaultValue: policy.noShowFee, inputMode: "decimal" }} />
            <Field label="Late fee on unpaid invoices, $" hint="Added once to an invoice still owed after the days below. Empty: none." errors={errs("policy", "lateFee")} inputProps={{ id: "late-fee-amount", name: "lateFee", defaultValue: policy.lateFee, inputMode: "decimal" }} />
            <Field label="Days after issue before the late fee" errors={errs("policy", "lateFeeAfterDays")} inputProps={{ id: "late-fee-days", name: "lateFeeAfterDays", defaultValue: policy.lateFeeAfterDays, inputMode: "numeric" }} />
            <button type="submit" className={buttonClass}>Save policy</button>
          </Form>
          <Form method="post" className="mt-4 grid gap-3 border-t border-stone-100 pt-4 sm:grid-cols-2">
            <input type="hidden" name="intent" value="payPeriod" />
            <div className="sm:col-span-2">{note("payPeriod")}</div>
            <SelectField label="Staff are paid" errors={errs("payPeriod", "payPeriod")} selectProps={{ id: "pay-period", name: "payPeriod", defaultValue: payPeriod.kind }}>
              <option value="weekly">Weekly</option>
              <option value="biweekly">Every two weeks</option>
              <option value="semimonthly">Twice a month (1st and 16th)</option>
              <option value="monthly">Monthly</option>
            </SelectField>
            <Field label="A period starts on" hint="For weekly and every two weeks." errors={errs("payPeriod", "payPeriodAnchor")} inputProps={{ id: "pay-anchor", name: "payPeriodAnchor", type: "date", defaultValue: payPeriod.anchor }} />
            <div className="sm:col-span-2"><button type="submit" className={secondaryButtonClass}>Save pay period</button></div>
          </Form>
        </Card>
        <Card title="Superbills">
          <p className="mb-3 text-sm text-stone-700">Patients claim from their insurer with a superbill: it prints the clinic's tax id, each provider's credentials and NPI, and the codes set on each service.</p>
          <Form method="post" className="mb-4 flex flex-wrap items-end gap-3">
            <input type="hidden" name="intent" value="taxId" />
            <div className="w-full">{note("taxId")}</div>
            <Field label="Clinic tax id (EIN)" errors={errs("taxId", "taxId")} inputProps={{ id: "tax-id", name: "taxId", defaultValue: taxId, placeholder: "12-3456789", inputMode: "numeric" }} />
            <button type="submit" className={secondaryButtonClass}>Save tax id</button>
          </Form>
          <ul className="divide-y divide-stone-100">
            {providers.map((p) => (
              <li key={p.id} className="py-3">
                <Form method="post" className="grid gap-2 sm:grid-cols-[1fr_8rem_9rem_auto] sm:items-end">
                  <input type="hidden" name="intent" value="provider" />
                  <input type="hidden" name="userId" value={p.id} />
                  <span className="font-medium sm:pb-3">{p.name}</span>
                  <Field label="Credentials" errors={errs("provider", "credentials", p.id)} inputProps={{ id: `cred-${p.id}`, name: "credentials", defaultValue: p.credentials, placeholder: "RN, CANS" }} />
                  <Field label="NPI" errors={errs("provider", "npi", p.id)} inputProps={{ id: `npi-${p.id}`, name: "npi", defaultValue: p.npi, inputMode: "numeric", maxLength: 10 }} />
                  <button type="submit" className={secondaryButtonClass} aria-label={`Save ${p.name}'s credentials and NPI`}>Save</button>
                  <div className="sm:col-span-4">{note("provider", p.id)}</div>
                </Form>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Gift cards">
          <Form method="post" className="grid gap-3 sm:grid-cols-2">
            <input type="hidden" name="intent" value="giftCards" />
            <div className="sm:col-span-2">{note("giftCards")}</div>
            <div className="sm:col-span-2">
              <Field label="Amounts offered, $" hint="Up to six, like 50, 100, 150, 250." errors={errs("giftCards", "amounts")} inputProps={{ id: "gift-amounts", name: "amounts", defaultValue: giftCards.amounts }} />
            </div>
            <Field label="Smallest card, $" errors={errs("giftCards", "min")} inputProps={{ id: "gift-min", name: "min", defaultValue: giftCards.min, inputMode: "decimal" }} />
            <Field label="Largest card, $" errors={errs("giftCards", "max")} inputProps={{ id: "gift-max", name: "max", defaultValue: giftCards.max, inputMode: "decimal" }} />
            <div className="sm:col-span-2">
              <Field label="Good for, months" hint="Leave empty for cards that never expire (check your state's rules before setting one)." errors={errs("giftCards", "expiryMonths")} inputProps={{ id: "gift-expiry", name: "expiryMonths", defaultValue: giftCards.expiryMonths, inputMode: "numeric" }} />
            </div>
            <div className="sm:col-span-2">
              <Field label="Bulk order discounts" hint="Cards: % off, like 10: 5, 25: 10. Leave empty for none." errors={errs("giftCards", "bulkTiers")} inputProps={{ id: "gift-tiers", name: "bulkTiers", defaultValue: giftCards.bulkTiers, autoComplete: "off" }} />
            </div>
            <label className="flex min-h-11 items-start gap-3 text-sm sm:col-span-2">
              <input type="checkbox" name="online" defaultChecked={giftCards.online} className="mt-0.5 h-5 w-5 shrink-0" />
              <span>
                <span className="font-medium">Sell gift cards online</span>
                <span className="block text-stone-600">{stripe ? <>On your public page, <a href={giftCards.shopUrl} className="text-brand-800 underline">{giftCards.shopUrl}</a>: paid by card, emailed on the day the buyer chooses.</> : "Needs online card payments (Stripe) to be set up."}</span>
              </span>
            </label>
            <div className="sm:col-span-2"><button type="submit" className={secondaryButtonClass}>Save gift cards</button></div>
          </Form>
        </Card>
        {locations.map((l) => (
          <Card key={l.id} title={`Tax at ${l.name}`}>
            <Form method="post" className="grid gap-3 sm:grid-cols-2">
              <input type="hidden" name="intent" value="tax" />
              <input type="hidden" name="locationId" value={l.id} />
              <div className="sm:col-span-2">{note("tax", l.id)}</div>
              <div className="sm:col-span-2">
                <SelectField label="Prices" errors={errs("tax", "taxMode", l.id)} selectProps={{ id: `mode-${l.id}`, name: "taxMode", defaultValue: l.taxMode }}>
                  <option value="exclusive">Tax is added to prices</option>
                  <option value="inclusive">Prices include tax</option>
                </SelectField>
              </div>
              <Field label="Services, %" errors={errs("tax", "servicesRate", l.id)} inputProps={{ id: `services-${l.id}`, name: "servicesRate", defaultValue: l.servicesRate, inputMode: "decimal" }} />
              <Field label="Retail, %" errors={errs("tax", "retailRate", l.id)} inputProps={{ id: `retail-${l.id}`, name: "retailRate", defaultValue: l.retailRate, inputMode: "decimal" }} />
              <div className="sm:col-span-2"><button type="submit" className={secondaryButtonClass}>Save tax</button></div>
            </Form>
            {stripe ? <Readers locationId={l.id} readers={readers.filter((r) => r.locationId === l.id)} errs={errs} note={note} /> : null}
          </Card>
        ))}
      </div>
    </>
  );
}

/** A location's Stripe Terminal readers: paired with the code the reader shows, removed when retired. */
function Readers({ locationId, readers, errs, note }: { locationId: string; readers: { id: string; label: string }[]; errs: (intent: string, field: string, target: string | null) => string[] | undefined; note: (intent: string, target: string | null) => React.ReactNode }) {
  return (
    <div className="mt-4 border-t border-stone-100 pt-4">
      <h3 className="text-sm font-semibold text-stone-900">Card readers</h3>
      {note("removeReader", locationId)}
      {readers.length === 0 ? <p className="mt-1 text-sm text-stone-600">None yet. Cards can still be recorded from the clinic's own terminal.</p> : null}
      <ul className="mt-1 divide-y divide-stone-100 text-sm">
        {readers.map((r) => (
          <li key={r.id} className="flex items-center justify-between gap-3 py-2">
            <span className="font-medium">{r.label}</span>
            <Form method="post">
              <input type="hidden" name="intent" value="removeReader" />
              <input type="hidden" name="locationId" value={locationId} />
              <input type="hidden" name="readerId" value={r.id} />
              <button type="submit" className={secondaryButtonClass} aria-label={`Remove reader ${r.label}`}>Remove</button>
            </Form>
          </li>
        ))}
      </ul>
      <Form method="post" className="mt-3 grid gap-3 sm:grid-cols-2">
        <input type="hidden" name="intent" value="addReader" />
        <input type="hidden" name="locationId" value={locationId} />
        <div className="sm:col-span-2">{note("addReader", locationId)}</div>
        <Field label="Code on the reader" hint="Shown on the reader's screen when it's ready to pair." errors={errs("addReader", "registrationCode", locationId)} inputProps={{ id: `reader-code-${locationId}`, name: "registrationCode", autoComplete: "off" }} />
        <Field label="Name" errors={errs("addReader", "label", locationId)} inputProps={{ id: `reader-label-${locationId}`, name: "label", placeholder: "Front desk" }} />
        <div className="sm:col-span-2"><button type="submit" className={secondaryButtonClass}>Pair reader</button></div>
      </Form>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
