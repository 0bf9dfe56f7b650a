import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormErrors, SelectField } from "~/components/field";
import { Card, PageHeader, buttonClass, secondaryButtonClass } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { formatMoney } from "~/scheduling/format";
import { amountText, amountWithMeasure, unitsPerTenthMl } from "~/charting/amounts";
import { createProduct, listProducts } from "~/charting/stock.server";
import { ProductSchema } from "~/charting/stock-schemas";

export const meta: MetaFunction = () => [{ title: "Product catalogue · Atrium" }];

const KIND_LABELS = { toxin: "Neurotoxin", filler: "Dermal filler", injectable: "Other injectable", consumable: "Consumable", retail: "Retail" } as const;
const PACKAGE = { toxin: "vial", filler: "syringe", injectable: "vial", consumable: "box", retail: "item" } as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "manage:product:organization");
  const products = await listProducts(context, session.user.organizationId);
  return data(
    {
      products: products.map((p) => {
        const perTenth = p.kind === "toxin" && p.diluentMl ? unitsPerTenthMl(p.packageSize, p.diluentMl) : null;
        return {
          id: p.id,
          name: p.name,
          kind: KIND_LABELS[p.kind],
          size: `${amountWithMeasure(p.packageSize, p.measure)} per ${PACKAGE[p.kind]}`,
          dilution: perTenth ? `${amountText(p.diluentMl!)} ml saline · ${amountText(perTenth)} u per 0.1 ml` : null,
          price: `${formatMoney(p.priceCents)} per ${p.priceBasis === "package" ? PACKAGE[p.kind] : p.measure === "u" ? "unit" : p.measure}`,
          active: p.active,
        };
      }),
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "manage:product:organization");
  const submission = parseWithZod(await request.formData(), { schema: ProductSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), message: null }, { status: 400, headers: NO_STORE });
  if (!(await createProduct(context, session, submission.value))) return data({ result: submission.reply({ fieldErrors: { name: ["A product with that name is already in the catalogue."] } }), message: null }, { status: 400, headers: NO_STORE });
  return data({ result: submission.reply({ resetForm: true }), message: `Added ${submission.value.name}.` }, { headers: NO_STORE });
}

export default function ProductsPage() {
  const { products } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "product", lastResult: answer?.result ?? undefined, shouldValidate: "onBlur", onValidate: ({ formData }) => parseWithZod(formData, { schema: ProductSchema }) });
  return (
    <>
      <PageHeader title="Product catalogue" description="What providers chart and checkout charges for" actions={<Link to="/inventory" className={secondaryButtonClass}>Stock at this location</Link>} />
      <div className="grid gap-6 xl:grid-cols-[1fr_22rem]">
        <Card title="Products">
          <ul className="divide-y divide-stone-100">
            {products.map((p) => (
              <li key={p.id} className="py-3">
                <p className="font-semibold">{p.name} <span className="ml-1 text-sm font-normal text-stone-600">{p.kind}{p.active ? "" : " · inactive"}</span></p>
                <p className="text-sm text-stone-700">{[p.size, p.dilution, p.price].filter(Boolean).join(" · ")}</p>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Add a product">
          {answer?.message ? <p role="status" className="mb-3 text-emerald-800">{answer.message}</p> : null}
          <Form method="post" {...getFormProps(form)} className="space-y-3">
            <FormErrors errors={form.errors} />
            <Field label="Name" errors={fields.name.errors} inputProps={getInputProps(fields.name, { type: "text" })} />
            <SelectField label="Kind" errors={fields.kind.errors} selectProps={getSelectProps(fields.kind)}>
              <option value="">Choose…</option>
              {Object.entries(KIND_LABELS).map(([k, label]) => (
                <option key={k} value={k}>{label}</option>
              ))}
            </SelectField>
            <SelectField label="Charted in" errors={fields.measure.errors} selectProps={getSelectProps(fields.measure)}>
              <option value="">Choose…</option>
              <option value="u">Units (toxins)</option>
              <option value="ml">ml (fillers)</option>
              <option value="each">Each</option>
            </SelectField>
            <Field label="Amount per vial, syringe or box" hint="100 for a 100-unit vial; 1 for a 1 ml syringe." errors={fields.packageSize.errors} inputProps={{ ...getInputProps(fields.packageSize, { type: "text" }), inputMode: "decimal" }} />
            <Field label="Saline per vial, ml (toxins)" hint="Gives the units per 0.1 ml shown on the chart." errors={fields.diluentMl.errors} inputProps={{ ...getInputProps(fields.diluentMl, { type: "text" }), inputMode: "decimal" }} />
            <Field label="Price, dollars" errors={fields.price.errors} inputProps={{ ...getInputProps(fields.price, { type: "text" }), inputMode: "decimal" }} />
            <SelectField label="Price is per" errors={fields.priceBasis.errors} selectProps={getSelectProps(fields.priceBasis)}>
              <option value="measure">Unit or ml charted</option>
              <option value="package">Vial, syringe or box</option>
            </SelectField>
            <label className="flex min-h-11 items-center gap-3 text-sm">
              <input {...getInputProps(fields.hsaEligible, { type: "checkbox" })} className="h-5 w-5" /> HSA/FSA eligible (retail, like sunscreen)
            </label>
            <button type="submit" className={buttonClass}>Add product</button>
          </Form>
        </Card>
      </div>
    </>
  );
}
