import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { Field, FormErrors, SelectField } from "~/components/field";
import { buttonClass } from "~/components/ui";
import type { WaitlistOptions } from "./options.server";

export interface JoinDefaults {
  locationId?: string;
  serviceId?: string;
  providerId?: string;
  fromDate: string;
  toDate: string;
}

/** Join the waitlist: where, what, with whom, and which days suit. Posts intent=join. */
export function JoinWaitlistForm({ options, defaults, lastResult, patientId, submitLabel = "Join the waitlist" }: { options: WaitlistOptions; defaults: JoinDefaults; lastResult?: SubmissionResult<string[]> | null; patientId?: string; submitLabel?: string }) {
  const [form, fields] = useForm({ id: "join-waitlist", lastResult: lastResult ?? undefined, defaultValue: { providerId: "any", ...defaults }, shouldValidate: "onBlur" });
  return (
    <Form method="post" {...getFormProps(form)} className="grid gap-3 sm:grid-cols-2">
      <input type="hidden" name="intent" value="join" />
      {patientId ? <input type="hidden" name="patientId" value={patientId} /> : null}
      <div className="sm:col-span-2">
        <FormErrors errors={form.errors} />
      </div>
      <SelectField label="Location" errors={fields.locationId.errors} selectProps={{ ...getSelectProps(fields.locationId), required: true }}>
        {options.locations.map((l) => (
          <option key={l.id} value={l.id}>{l.name}</option>
        ))}
      </SelectField>
      <SelectField label="Service" errors={fields.serviceId.errors} selectProps={{ ...getSelectProps(fields.serviceId), required: true }}>
        {options.services.map((s) => (
          <option key={s.id} value={s.id}>{s.name}</option>
        ))}
      </SelectField>
      <SelectField label="Provider" errors={fields.providerId.errors} selectProps={getSelectProps(fields.providerId)}>
        <option value="any">Any provider</option>
        {options.providers.map((p) => (
          <option key={p.id} value={p.id}>{p.name}</option>
        ))}
      </SelectField>
      <div className="hidden sm:block" />
      <Field label="First day that suits" errors={fields.fromDate.errors} inputProps={{ ...getInputProps(fields.fromDate, { type: "date" }), required: true }} />
      <Field label="Last day that suits" errors={fields.toDate.errors} inputProps={{ ...getInputProps(fields.toDate, { type: "date" }), required: true }} />
      <button type="submit" className={`${buttonClass} sm:col-span-2`}>{submitLabel}</button>
    </Form>
  );
}
