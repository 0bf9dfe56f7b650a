import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { formatCalendarDate } from "~/scheduling/format";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ConsentFields } from "~/components/consent-fields";
import { Field, FormErrors } from "~/components/field";
import { Card, Notice, buttonClass } from "~/components/ui";
import { notFound, requirePermission } from "~/auth/guards.server";
import { NO_STORE, parseForm } from "~/lib/forms.server";
import { getOwnPatient, updateOwnContact } from "~/patients/patients.server";
import { PatientContactSchema } from "~/patients/schemas";

export const meta: MetaFunction = () => [{ title: "Your details · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:own");
  const me = await getOwnPatient(context, session);
  if (!me) throw notFound("Your clinic hasn't linked a patient record to this account yet.");
  return data({ me }, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "update:patient:own");
  // The patient record this account is linked to was read with the session.
  const me = session.patientId ? { id: session.patientId } : null;
  if (!me) throw notFound("Your clinic hasn't linked a patient record to this account yet.");
  const submission = await parseForm(request, PatientContactSchema);
  if (submission.status !== "success") return data({ result: submission.reply(), saved: false }, { status: 400, headers: NO_STORE });
  await updateOwnContact(context, session, me.id, submission.value);
  return data({ result: submission.reply(), saved: true }, { headers: NO_STORE });
}

export default function PortalProfile() {
  const { me } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "contact",
    lastResult: actionData?.result,
    defaultValue: { email: me.email ?? "", phone: me.phone ?? "", smsConsent: me.smsConsent ? "on" : undefined, emailConsent: me.emailConsent ? "on" : undefined },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PatientContactSchema }),
  });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Your details</h1>
      {actionData?.saved ? <Notice tone="success">Saved.</Notice> : null}
      <Card>
        <p className="mb-4 text-stone-700">
          {me.firstName} {me.lastName} · born {formatCalendarDate(me.dateOfBirth)}. To change your name or date of birth, contact the clinic.
        </p>
        <Form method="post" {...getFormProps(form)} className="space-y-4">
          <FormErrors errors={form.errors} />
          <Field label="Mobile phone" errors={fields.phone.errors} inputProps={{ ...getInputProps(fields.phone, { type: "tel" }), autoComplete: "tel" }} />
          <Field label="Email" errors={fields.email.errors} inputProps={{ ...getInputProps(fields.email, { type: "email" }), autoComplete: "email" }} />
          <ConsentFields legend="Messages from the clinic" sms={fields.smsConsent} email={fields.emailConsent} />
          <button type="submit" className={`${buttonClass} w-full`}>
            Save
          </button>
        </Form>
      </Card>
    </div>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
