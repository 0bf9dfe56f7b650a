import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import { AlertTriangle } from "lucide-react";
import { Field } from "~/components/field";
import { Card, inputClass, secondaryButtonClass } from "~/components/ui";
import type { HealthItemKind } from "../../db/schema/patients";
import { HealthItemSchema } from "./record-schemas";

interface Item {
  id: string;
  kind: HealthItemKind;
  name: string;
  detail: string | null;
  severity: string | null;
  alert: boolean;
}

const LISTS: { kind: HealthItemKind; title: string; empty: string; nameLabel: string; detailLabel: string }[] = [
  { kind: "allergy", title: "Allergies", empty: "No known allergies recorded.", nameLabel: "Allergic to", detailLabel: "Reaction (optional)" },
  { kind: "medication", title: "Medications", empty: "No medications recorded.", nameLabel: "Medication", detailLabel: "Dose and how often (optional)" },
  { kind: "condition", title: "Medical history", empty: "No conditions recorded.", nameLabel: "Condition", detailLabel: "Note (optional)" },
  { kind: "contraindication", title: "Contraindications", empty: "No contraindications recorded.", nameLabel: "Contraindication", detailLabel: "Note (optional)" },
];

/** Allergies, medications, medical history and contraindications as lists: each entry a row, added and removed one at a time. */
export function HealthLists({ items, canEdit, lastResult }: { items: Item[]; canEdit: boolean; lastResult?: SubmissionResult<string[]> }) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {LISTS.map((list) => (
        <HealthList key={list.kind} list={list} items={items.filter((i) => i.kind === list.kind)} canEdit={canEdit} lastResult={lastResult && (lastResult.initialValue?.kind === list.kind ? lastResult : undefined)} />
      ))}
    </div>
  );
}

function HealthList({ list, items, canEdit, lastResult }: { list: (typeof LISTS)[number]; items: Item[]; canEdit: boolean; lastResult?: SubmissionResult<string[]> }) {
  const [form, fields] = useForm({ id: `health-${list.kind}`, lastResult, shouldValidate: "onSubmit", onValidate: ({ formData }) => parseWithZod(formData, { schema: HealthItemSchema }) });
  return (
    <Card title={list.title}>
      {items.length === 0 ? (
        <p className="text-stone-600">{list.empty}</p>
      ) : (
        <ul className="divide-y divide-stone-100">
          {items.map((i) => (
            <li key={i.id} className="flex items-start gap-2 py-2">
              <div className="min-w-0 grow">
                <p className="break-words font-medium">
                  {i.alert ? <AlertTriangle aria-label="Shown as an alert" className="mr-1 inline h-4 w-4 text-red-700" /> : null}
                  {i.name}
                  {i.severity ? <span className="font-normal text-stone-700"> · {i.severity}</span> : null}
                </p>
                {i.detail ? <p className="break-words text-sm text-stone-700">{i.detail}</p> : null}
              </div>
              {canEdit ? (
                <Form method="post">
                  <input type="hidden" name="itemId" value={i.id} />
                  <button type="submit" name="intent" value="remove-item" className="min-h-11 px-2 text-sm font-medium text-red-800 underline" aria-label={`Remove ${i.name}`}>
                    Remove
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canEdit ? (
        <Form method="post" {...getFormProps(form)} className="mt-3 space-y-2 border-t border-stone-100 pt-3">
          <input type="hidden" name="kind" value={list.kind} />
          <Field label={list.nameLabel} errors={fields.name.errors} inputProps={{ ...getInputProps(fields.name, { type: "text" }), autoComplete: "off" }} />
          <Field label={list.detailLabel} errors={fields.detail.errors} inputProps={{ ...getInputProps(fields.detail, { type: "text" }), autoComplete: "off" }} />
          {list.kind === "allergy" ? (
            <div>
              <label htmlFor={fields.severity.id} className="block text-sm font-medium">
                Severity (optional)
              </label>
              <select id={fields.severity.id} name={fields.severity.name} className={inputClass} defaultValue="">
                <option value="">Not known</option>
                <option value="mild">Mild</option>
                <option value="moderate">Moderate</option>
                <option value="severe">Severe</option>
              </select>
            </div>
          ) : list.kind === "contraindication" ? (
            <p className="text-sm text-stone-700">Always shown as an alert on the record and beside every chart.</p>
          ) : (
            <label className="flex min-h-11 items-center gap-3 text-sm">
              <input type="checkbox" name="alert" className="h-5 w-5" /> Show as an alert on the record
            </label>
          )}
          <button type="submit" name="intent" value="add-item" className={secondaryButtonClass}>
            Add to {list.title.toLowerCase()}
          </button>
        </Form>
      ) : null}
    </Card>
  );
}
