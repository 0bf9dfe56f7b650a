import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { Field, FormErrors } from "~/components/field";
import { Card, PageHeader, buttonClass } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE, parseForm } from "~/lib/forms.server";
import { createPatient } from "~/patients/patients.server";
import { NewPatientSchema } from "~/patients/schemas";

export const meta: MetaFunction = () => [{ title: "New patient · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "create:patient:organization");
  return data(null, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "create:patient:organization");
  const submission = await parseForm(request, NewPatientSchema);
  if (submission.status !== "success") return data(submission.reply(), { status: 400, headers: NO_STORE });
  const id = await createPatient(context, session, submission.value);
  return redirect(`/patients/${id}?created=1`, { headers: NO_STORE });
}

export default function NewPatientPage() {
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "new-patient", lastResult, shouldValidate: "onBlur", onValidate: ({ formData }) => parseWithZod(formData, { schema: NewPatientSchema }) });
  return (
    <>
      <PageHeader title="New patient" description="Name and date of birth are required; add contact details to send reminders and portal invitations." />
      <Card className="max-w-2xl">
        <Form method="post" {...getFormProps(form)} className="grid gap-4 sm:grid-cols-2">
          <div className="sm:col-span-2">
            <FormErrors errors={form.errors} />
          </div>
          <Field label="First name" errors={fields.firstName.errors} inputProps={{ ...getInputProps(fields.firstName, { type: "text" }), autoComplete: "off" }} />
          <Field label="Last name" errors={fields.lastName.errors} inputProps={{ ...getInputProps(fields.lastName, { type: "text" }), autoComplete: "off" }} />
          <Field label="Date of birth" errors={fields.dateOfBirth.errors} inputProps={getInputProps(fields.dateOfBirth, { type: "date" })} />
          <Field label="Phone (optional)" errors={fields.phone.errors} inputProps={getInputProps(fields.phone, { type: "tel" })} />
          <div className="sm:col-span-2">
            <Field label="Email (optional)" errors={fields.email.errors} inputProps={getInputProps(fields.email, { type: "email" })} />
          </div>
          <fieldset className="space-y-2 sm:col-span-2">
            <legend className="text-sm font-medium">Messages the patient agreed to receive</legend>
            <label className="flex min-h-11 items-center gap-3">
              <input {...getInputProps(fields.smsConsent, { type: "checkbox" })} className="h-5 w-5" /> Text messages (reminders and updates)
            </label>
            <label className="flex min-h-11 items-center gap-3">
              <input {...getInputProps(fields.emailConsent, { type: "checkbox" })} className="h-5 w-5" /> Email
            </label>
          </fieldset>
          <div className="sm:col-span-2">
            <button type="submit" className={buttonClass}>Create patient</button>
          </div>
        </Form>
      </Card>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
