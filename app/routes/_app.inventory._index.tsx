import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormErrors, SelectField } from "~/components/field";
import { Card, EmptyState, PageHeader, buttonClass, secondaryButtonClass } from "~/components/ui";
import { requireWorkingLocation } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { NO_STORE } from "~/lib/forms.server";
import { localDateOf } from "~/scheduling/local-time";
import { formatCalendarDate, formatMoney } from "~/scheduling/format";
import { amountWithMeasure } from "~/charting/amounts";
import { expiryState, type ExpiryState } from "~/charting/expiry";
import { listLots, listProducts, receiveStock } from "~/charting/stock.server";
import { ReceiveSchema } from "~/charting/stock-schemas";

export const meta: MetaFunction = () => [{ title: "Inventory · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { session, location } = await requireWorkingLocation(request, context, "read:stock:location");
  const [lots, products] = await Promise.all([listLots(context, session.user.organizationId, location.id), listProducts(context, session.user.organizationId)]);
  const today = localDateOf(location.timeZone, context.clock.now().getTime());
  return data(
    {
      location: location.name,
      lots: lots.map((l) => ({
        id: l.id,
        product: l.productName,
        lotNumber: l.lotNumber,
        expires: formatCalendarDate(l.expiresOn),
        state: (l.recalledAt ? "recalled" : expiryState(l.expiresOn, today)) as ExpiryState | "recalled",
        remaining: amountWithMeasure(l.remaining, l.measure),
        packages: l.packageSize ? Math.floor(l.remaining / l.packageSize) : 0,
        cost: formatMoney(l.costCents),
      })),
      products: products.filter((p) => p.active).map((p) => ({ id: p.id, name: p.name })),
      canReceive: can(session.user.role, "receive:stock:location"),
      canManage: can(session.user.role, "manage:product:organization"),
      canTrace: can(session.user.role, "trace:lot:organization"),
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { session, location } = await requireWorkingLocation(request, context, "receive:stock:location");
  const submission = parseWithZod(await request.formData(), { schema: ReceiveSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), message: null }, { status: 400, headers: NO_STORE });
  const outcome = await receiveStock(context, session, location.id, submission.value);
  if (!outcome.ok) return data({ result: submission.reply({ fieldErrors: { [outcome.field]: [outcome.message] } }), message: null }, { status: 400, headers: NO_STORE });
  return data({ result: submission.reply({ resetForm: true }), message: `Received lot ${submission.value.lotNumber}.` }, { headers: NO_STORE });
}

const STATE_BADGES: Record<ExpiryState | "recalled", [string, string] | null> = {
  ok: null,
  soon: ["Expires soon", "bg-amber-100 text-amber-950"],
  expired: ["Expired", "bg-red-100 text-red-900"],
  recalled: ["Recalled", "bg-red-700 text-white"],
};

export default function InventoryPage() {
  const { location, lots, products, canReceive, canManage, canTrace } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "receive", lastResult: answer?.result ?? undefined, shouldValidate: "onBlur", onValidate: ({ formData }) => parseWithZod(formData, { schema: ReceiveSchema }) });
  return (
    <>
      <PageHeader title="Inventory" description={`Lots held at ${location}, soonest expiry first`} actions={canManage ? <Link to="/inventory/products" className={secondaryButtonClass}>Product catalogue</Link> : null} />
      <div className="grid gap-6 xl:grid-cols-[1fr_22rem]">
        <Card title="Lots">
          {lots.length === 0 ? (
            <EmptyState title="No stock recorded here">Receive a delivery to start: the chart offers only lots in stock at this location.</EmptyState>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[36rem] text-left text-sm">
                <thead className="border-b border-stone-200 text-stone-600">
                  <tr>
                    <th scope="col" className="py-2 pr-3">Product</th>
                    <th scope="col" className="pr-3">Lot</th>
                    <th scope="col" className="pr-3">Expires</th>
                    <th scope="col" className="pr-3 text-right">Remaining</th>
                    <th scope="col" className="text-right">Cost / package</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-stone-100">
                  {lots.map((l) => {
                    const badge = STATE_BADGES[l.state];
                    return (
                      <tr key={l.id}>
                        <td className="py-2 pr-3 font-medium">{l.product}</td>
                        <td className="pr-3 font-mono">{canTrace ? <Link to={`/inventory/lots/${l.id}`} className="text-brand-800 underline">{l.lotNumber}</Link> : l.lotNumber}</td>
                        <td className="pr-3">
                          {l.expires} {badge ? <span className={`ml-1 rounded px-1.5 py-0.5 text-xs font-semibold ${badge[1]}`}>{badge[0]}</span> : null}
                        </td>
                        <td className="pr-3 text-right tabular-nums">{l.remaining}</td>
                        <td className="text-right tabular-nums">{l.cost}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </Card>
        {canReceive ? (
          <Card title="Receive a delivery">
            {answer?.message ? <p role="status" className="mb-3 text-emerald-800">{answer.message}</p> : null}
            {products.length === 0 ? (
              <p className="text-stone-700">Add products to the catalogue first.</p>
            ) : (
              <Form method="post" {...getFormProps(form)} className="space-y-3">
                <FormErrors errors={form.errors} />
                <SelectField label="Product" errors={fields.productId.errors} selectProps={getSelectProps(fields.productId)}>
                  <option value="">Choose…</option>
                  {products.map((p) => (
                    <option key={p.id} value={p.id}>{p.name}</option>
                  ))}
                </SelectField>
                <Field label="Lot number" errors={fields.lotNumber.errors} inputProps={{ ...getInputProps(fields.lotNumber, { type: "text" }), autoComplete: "off", autoCapitalize: "characters" }} />
                <Field label="Expiry date" errors={fields.expiresOn.errors} inputProps={getInputProps(fields.expiresOn, { type: "date" })} />
                <Field label="Vials, syringes or boxes" errors={fields.packages.errors} inputProps={{ ...getInputProps(fields.packages, { type: "text" }), inputMode: "numeric" }} />
                <Field label="Cost per package (optional)" hint="What the clinic paid, in dollars." errors={fields.cost.errors} inputProps={{ ...getInputProps(fields.cost, { type: "text" }), inputMode: "decimal" }} />
                <button type="submit" className={buttonClass}>Receive</button>
              </Form>
            )}
          </Card>
        ) : null}
      </div>
    </>
  );
}
