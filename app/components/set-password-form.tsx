import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import { SetPasswordSchema } from "~/auth/schemas";
import { Field, FormErrors } from "./field";
import { buttonClass } from "./ui";

export function SetPasswordForm({ token, lastResult, submitLabel }: { token: string; lastResult?: SubmissionResult<string[]>; submitLabel: string }) {
  const [form, fields] = useForm({ id: "set-password", lastResult, onValidate: ({ formData }) => parseWithZod(formData, { schema: SetPasswordSchema }) });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <FormErrors errors={form.errors} />
      <input type="hidden" name="token" value={token} />
      <Field label="New password" hint="At least 12 characters." errors={fields.password.errors} inputProps={{ ...getInputProps(fields.password, { type: "password" }), autoComplete: "new-password" }} />
      <Field label="Confirm new password" errors={fields.confirm.errors} inputProps={{ ...getInputProps(fields.confirm, { type: "password" }), autoComplete: "new-password" }} />
      <button type="submit" className={`${buttonClass} w-full`}>
        {submitLabel}
      </button>
    </Form>
  );
}

export function AuthCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm space-y-4 rounded-xl border border-stone-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold">{title}</h1>
        {children}
      </div>
    </main>
  );
}
