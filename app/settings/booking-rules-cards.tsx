import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { Field, FormErrors, SelectField } from "~/components/field";
import { Card, buttonClass, inputClass, secondaryButtonClass } from "~/components/ui";
import { SLOT_INTERVALS } from "./schemas";

export interface BookingRules {
  slotIntervalMinutes: number;
  minNoticeMinutes: number;
  maxAdvanceDays: number;
  selfServiceCutoffHours: number;
  reminderHours: string;
}

/** The location's booking rules, as one form. */
export function BookingRulesCard({ rules, lastResult }: { rules: BookingRules; lastResult?: SubmissionResult<string[]> | null }) {
  const [form, fields] = useForm({ id: "booking-rules", lastResult: lastResult ?? undefined, defaultValue: Object.fromEntries(Object.entries(rules).map(([k, v]) => [k, String(v)])), shouldValidate: "onBlur" });
  return (
    <Card title="Booking rules">
      <Form method="post" {...getFormProps(form)} className="grid gap-3 sm:grid-cols-2">
        <input type="hidden" name="intent" value="update-rules" />
        <div className="sm:col-span-2"><FormErrors errors={form.errors} /></div>
        <SelectField label="Start times every" errors={fields.slotIntervalMinutes.errors} selectProps={getSelectProps(fields.slotIntervalMinutes)}>
          {SLOT_INTERVALS.map((m) => <option key={m} value={m}>{m} minutes</option>)}
        </SelectField>
        <Field label="Minimum notice (minutes)" hint="Online bookings start at least this long from now." errors={fields.minNoticeMinutes.errors} inputProps={{ ...getInputProps(fields.minNoticeMinutes, { type: "number" }), min: 0, max: 10080 }} />
        <Field label="Book up to (days ahead)" errors={fields.maxAdvanceDays.errors} inputProps={{ ...getInputProps(fields.maxAdvanceDays, { type: "number" }), min: 1, max: 365 }} />
        <Field label="Self-service cut-off (hours)" hint="Patients can't cancel or move a visit online closer to its start than this." errors={fields.selfServiceCutoffHours.errors} inputProps={{ ...getInputProps(fields.selfServiceCutoffHours, { type: "number" }), min: 0, max: 168 }} />
        <Field label="Reminders (hours before)" hint="Up to three, like 24,2." errors={fields.reminderHours.errors} inputProps={getInputProps(fields.reminderHours, { type: "text" })} />
        <div className="sm:col-span-2"><button type="submit" className={buttonClass}>Save booking rules</button></div>
      </Form>
    </Card>
  );
}

/** Whole-day closures (holidays): nobody at the location is bookable those days. */
export function ClosuresCard({ closures, today }: { closures: { id: string; date: string; reason: string | null }[]; today: string }) {
  return (
    <Card title="Closed days">
      {closures.length ? (
        <ul className="mb-4 divide-y divide-stone-100">
          {closures.map((c) => (
            <li key={c.id} className="flex items-center justify-between gap-2 py-2">
              <span>{c.date}{c.reason ? ` · ${c.reason}` : ""}</span>
              <Form method="post">
                <input type="hidden" name="intent" value="remove-closure" />
                <input type="hidden" name="id" value={c.id} />
                <button type="submit" className="min-h-11 text-sm font-medium text-red-800 underline" aria-label={`Reopen ${c.date}`}>Reopen</button>
              </Form>
            </li>
          ))}
        </ul>
      ) : <p className="mb-3 text-stone-700">No upcoming closures.</p>}
      <Form method="post" className="grid gap-3 sm:grid-cols-2">
        <input type="hidden" name="intent" value="add-closure" />
        <label className="text-sm font-medium">Day<input name="date" type="date" required min={today} className={inputClass} /></label>
        <label className="text-sm font-medium">Reason (optional)<input name="reason" maxLength={120} placeholder="Thanksgiving" className={inputClass} /></label>
        <div className="sm:col-span-2"><button type="submit" className={secondaryButtonClass}>Close the location that day</button></div>
      </Form>
    </Card>
  );
}
