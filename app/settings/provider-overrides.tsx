import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FormErrors } from "~/components/field";
import { Card, buttonClass, inputClass } from "~/components/ui";

interface Row {
  userId: string;
  name: string;
  durationMinutes: string;
  price: string;
}

/** Per-provider duration and price: a senior injector may take longer or charge more. Blank uses the service's own. */
export function ProviderOverridesCard({ rows, base, lastResult }: { rows: Row[]; base: { durationMinutes: number; price: string }; lastResult?: SubmissionResult<string[]> | null }) {
  const [form, fields] = useForm({ id: "overrides", lastResult: lastResult ?? undefined, defaultValue: { overrides: rows.map(({ userId, durationMinutes, price }) => ({ userId, durationMinutes, price })) } });
  const list = fields.overrides.getFieldList();
  return (
    <Card title="Per-provider duration and price" className="mt-6 max-w-3xl">
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="overrides" />
        <FormErrors errors={form.errors} />
        <table className="w-full text-left">
          <thead>
            <tr className="text-sm text-stone-600">
              <th scope="col" className="py-2 font-medium">Provider</th>
              <th scope="col" className="py-2 font-medium">Minutes (default {base.durationMinutes})</th>
              <th scope="col" className="py-2 font-medium">Price (default ${base.price})</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => {
              const f = list[i]?.getFieldset();
              const errors = [...(f?.durationMinutes.errors ?? []), ...(f?.price.errors ?? [])];
              return (
                <tr key={row.userId} className="border-t border-stone-100 align-top">
                  <th scope="row" className="py-2 pr-3 font-medium">
                    {row.name}
                    <input type="hidden" name={`overrides[${i}].userId`} value={row.userId} />
                    {errors.length ? <p className="text-sm font-normal text-red-700">{errors.join(" ")}</p> : null}
                  </th>
                  <td className="py-2 pr-3">
                    <input name={`overrides[${i}].durationMinutes`} aria-label={`Minutes for ${row.name}`} type="number" min={5} max={480} defaultValue={row.durationMinutes} placeholder={String(base.durationMinutes)} className={inputClass} />
                  </td>
                  <td className="py-2">
                    <input name={`overrides[${i}].price`} aria-label={`Price for ${row.name}`} inputMode="decimal" defaultValue={row.price} placeholder={base.price} className={inputClass} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button type="submit" className={`${buttonClass} mt-4`}>Save provider prices and durations</button>
      </Form>
    </Card>
  );
}
