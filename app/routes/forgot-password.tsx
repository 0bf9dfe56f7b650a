import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { Field } from "~/components/field";
import { AuthCard } from "~/components/set-password-form";
import { Notice, buttonClass } from "~/components/ui";
import { requestPasswordReset } from "~/auth/recovery.server";
import { ForgotPasswordSchema } from "~/auth/schemas";
import { NO_STORE, parseForm } from "~/lib/forms.server";

export const meta: MetaFunction = () => [{ title: "Reset your password · Atrium" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = await parseForm(request, ForgotPasswordSchema);
  if (submission.status !== "success") return data({ result: submission.reply(), sent: false }, { status: 400, headers: NO_STORE });
  await requestPasswordReset(context, request, submission.value.email);
  return data({ result: submission.reply({ resetForm: true }), sent: true }, { headers: NO_STORE });
}

export default function ForgotPasswordPage() {
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "forgot", lastResult: actionData?.result, onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotPasswordSchema }) });
  return (
    <AuthCard title="Reset your password">
      {actionData?.sent ? (
        <Notice tone="success">If that address belongs to an active account, a reset link is on its way. It works for one hour.</Notice>
      ) : (
        <p className="text-stone-700">Enter the email you sign in with and we'll send you a link to choose a new password.</p>
      )}
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <Field label="Email" errors={fields.email.errors} inputProps={{ ...getInputProps(fields.email, { type: "email" }), autoComplete: "email" }} />
        <button type="submit" className={`${buttonClass} w-full`}>
          Send reset link
        </button>
      </Form>
      <Link to="/login" className="text-sm font-medium text-brand-700 underline">
        Back to sign in
      </Link>
    </AuthCard>
  );
}
