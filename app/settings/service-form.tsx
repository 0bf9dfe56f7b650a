import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import type { z } from "zod";
import { Field, FormErrors, SelectField } from "~/components/field";
import { buttonClass } from "~/components/ui";
import { ROOM_TYPES } from "../../db/schema/tenancy";
import { ServiceSchema } from "./schemas";

const FLAGS = [
  ["active", "Offered (bookable at all)"],
  ["onlineBookable", "Patients can book it online"],
  ["autoConfirm", "Confirm online bookings automatically (otherwise they are requests)"],
  ["newPatientsAllowed", "New patients can book it"],
  ["intakeFormRequired", "Requires an intake form"],
  ["billedByProduct", "Checkout charges the products charted (per unit, per syringe) instead of this price"],
  ["cardRequired", "Online booking asks for a card on file (for the cancellation policy)"],
  ["hsaEligible", "HSA/FSA eligible (itemized on receipts; for medical, not cosmetic, treatment)"],
] as const;

export function ServiceForm({ id, lastResult, defaultValue, providers, submitLabel }: { id: string; lastResult?: SubmissionResult<string[]> | null; defaultValue?: Record<string, unknown>; providers: { id: string; name: string }[]; submitLabel: string }) {
  const [form, fields] = useForm<z.input<typeof ServiceSchema>, z.output<typeof ServiceSchema>>({ id, lastResult, defaultValue: defaultValue as Partial<z.input<typeof ServiceSchema>>, shouldValidate: "onBlur", onValidate: ({ formData }) => parseWithZod(formData, { schema: ServiceSchema }) });
  const chosen = new Set((defaultValue?.providerIds as string[] | undefined) ?? []);
  return (
    <Form method="post" {...getFormProps(form)} className="grid gap-4 sm:grid-cols-2">
      <div className="sm:col-span-2"><FormErrors errors={form.errors} /></div>
      <Field label="Name" errors={fields.name.errors} inputProps={getInputProps(fields.name, { type: "text" })} />
      <Field label="Category" errors={fields.category.errors} inputProps={getInputProps(fields.category, { type: "text" })} />
      <div className="sm:col-span-2"><Field label="Description (shown to patients)" errors={fields.description.errors} inputProps={getInputProps(fields.description, { type: "text" })} /></div>
      <Field label="Duration (minutes)" errors={fields.durationMinutes.errors} inputProps={getInputProps(fields.durationMinutes, { type: "number" })} />
      <SelectField label="Room needed" errors={fields.roomType.errors} selectProps={getSelectProps(fields.roomType)}>
        <option value="">No particular room</option>
        {ROOM_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
      </SelectField>
      <Field label="Set-up before (minutes)" errors={fields.bufferBeforeMinutes.errors} inputProps={getInputProps(fields.bufferBeforeMinutes, { type: "number" })} />
      <Field label="Clean-up after (minutes)" errors={fields.bufferAfterMinutes.errors} inputProps={getInputProps(fields.bufferAfterMinutes, { type: "number" })} />
      <Field label="Price (USD)" errors={fields.price.errors} inputProps={{ ...getInputProps(fields.price, { type: "text" }), inputMode: "decimal" }} />
      <Field label="Deposit (USD, optional)" errors={fields.deposit.errors} inputProps={{ ...getInputProps(fields.deposit, { type: "text" }), inputMode: "decimal" }} />
      <Field label="Procedure code (CPT/HCPCS, for superbills)" errors={fields.procedureCode.errors} inputProps={{ ...getInputProps(fields.procedureCode, { type: "text" }), autoComplete: "off", placeholder: "64612" }} />
      <Field label="Diagnosis code (ICD-10, for superbills)" errors={fields.diagnosisCode.errors} inputProps={{ ...getInputProps(fields.diagnosisCode, { type: "text" }), autoComplete: "off", placeholder: "L74.510" }} />
      <fieldset className="space-y-1 sm:col-span-2">
        <legend className="text-sm font-medium">Booking rules</legend>
        {FLAGS.map(([name, label]) => (
          <label key={name} className="flex min-h-11 items-center gap-3">
            <input {...getInputProps(fields[name], { type: "checkbox" })} className="h-5 w-5" /> {label}
          </label>
        ))}
      </fieldset>
      <fieldset className="space-y-1 sm:col-span-2">
        <legend className="text-sm font-medium">Who performs it</legend>
        {providers.map((p) => (
          <label key={p.id} className="flex min-h-11 items-center gap-3">
            <input type="checkbox" name="providerIds" value={p.id} defaultChecked={chosen.has(p.id)} className="h-5 w-5" /> {p.name}
          </label>
        ))}
      </fieldset>
      <div className="sm:col-span-2"><button type="submit" className={buttonClass}>{submitLabel}</button></div>
    </Form>
  );
}
