import { getInputProps, type FieldMetadata } from "@conform-to/react";

/** The two message-consent checkboxes, the same wherever a patient or the desk sets them. */
export function ConsentFields({ legend, sms, email }: { legend: string; sms: FieldMetadata<boolean | undefined>; email: FieldMetadata<boolean | undefined> }) {
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">{legend}</legend>
      <label className="flex min-h-11 items-center gap-3">
        <input {...getInputProps(sms, { type: "checkbox" })} className="h-5 w-5" /> Text messages
      </label>
      <label className="flex min-h-11 items-center gap-3">
        <input {...getInputProps(email, { type: "checkbox" })} className="h-5 w-5" /> Email
      </label>
    </fieldset>
  );
}
