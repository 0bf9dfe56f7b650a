import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import { Field, FormErrors, SelectField } from "~/components/field";
import { buttonClass } from "~/components/ui";
import { LocationSchema } from "./schemas";

export function LocationForm({ id, lastResult, defaultValue, timeZones, submitLabel, intent }: { id: string; lastResult?: SubmissionResult<string[]> | null; defaultValue?: Record<string, string>; timeZones: string[]; submitLabel: string; intent?: string }) {
  const [form, fields] = useForm({ id, lastResult, defaultValue, shouldValidate: "onBlur", onValidate: ({ formData }) => parseWithZod(formData, { schema: LocationSchema }) });
  return (
    <Form method="post" {...getFormProps(form)} className="grid gap-4 sm:grid-cols-2">
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <div className="sm:col-span-2"><FormErrors errors={form.errors} /></div>
      <Field label="Name" errors={fields.name.errors} inputProps={getInputProps(fields.name, { type: "text" })} />
      <SelectField label="Time zone" errors={fields.timeZone.errors} selectProps={getSelectProps(fields.timeZone)}>
        <option value="">Choose…</option>
        {timeZones.map((tz) => <option key={tz} value={tz}>{tz.replace(/_/g, " ")}</option>)}
      </SelectField>
      <div className="sm:col-span-2"><Field label="Street address" errors={fields.addressLine1.errors} inputProps={getInputProps(fields.addressLine1, { type: "text" })} /></div>
      <div className="sm:col-span-2"><Field label="Suite or floor (optional)" errors={fields.addressLine2.errors} inputProps={getInputProps(fields.addressLine2, { type: "text" })} /></div>
      <Field label="City" errors={fields.city.errors} inputProps={getInputProps(fields.city, { type: "text" })} />
      <Field label="State or region" errors={fields.region.errors} inputProps={getInputProps(fields.region, { type: "text" })} />
      <Field label="Postal code" errors={fields.postalCode.errors} inputProps={getInputProps(fields.postalCode, { type: "text" })} />
      <Field label="Country (2 letters)" errors={fields.country.errors} inputProps={getInputProps(fields.country, { type: "text" })} />
      <Field label="Phone" errors={fields.phone.errors} inputProps={getInputProps(fields.phone, { type: "tel" })} />
      <div className="sm:col-span-2"><button type="submit" className={buttonClass}>{submitLabel}</button></div>
    </Form>
  );
}

export function timeZoneOptions() {
  return ["UTC", ...Intl.supportedValuesOf("timeZone")];
}
