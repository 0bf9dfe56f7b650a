import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormErrors } from "~/components/field";
import { Card, Notice, PageHeader, buttonClass } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { NO_STORE, parseForm } from "~/lib/forms.server";
import { getOrganization, updateOrganization } from "~/settings/organization.server";
import { OrganizationSchema } from "~/settings/schemas";

export const meta: MetaFunction = () => [{ title: "Organization settings · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:organization:organization");
  return data({ org: await getOrganization(context, session), canEdit: can(session.user.role, "update:organization:organization") }, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "update:organization:organization");
  const submission = await parseForm(request, OrganizationSchema);
  if (submission.status !== "success") return data({ result: submission.reply(), saved: false }, { status: 400, headers: NO_STORE });
  await updateOrganization(context, session, submission.value);
  return data({ result: submission.reply(), saved: true }, { headers: NO_STORE });
}

export default function OrganizationSettings() {
  const { org, canEdit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "organization",
    lastResult: actionData?.result,
    defaultValue: { ...org, phone: org.phone ?? "", email: org.email ?? "", website: org.website ?? "", mfaRequiredForAllStaff: org.mfaRequiredForAllStaff ? "on" : undefined },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: OrganizationSchema }),
  });
  return (
    <>
      <PageHeader title="Organization" description={canEdit ? "Your clinic's public details and security policy." : "Only an owner can change these."} />
      {actionData?.saved ? <div className="mb-4 max-w-2xl"><Notice tone="success">Saved.</Notice></div> : null}
      <Card className="max-w-2xl">
        <Form method="post" {...getFormProps(form)}>
          <fieldset disabled={!canEdit} className="grid gap-4 sm:grid-cols-2">
            <legend className="sr-only">Organization details</legend>
            <div className="sm:col-span-2"><FormErrors errors={form.errors} /></div>
            <div className="sm:col-span-2"><Field label="Clinic name" errors={fields.name.errors} inputProps={getInputProps(fields.name, { type: "text" })} /></div>
            <Field label="Phone" errors={fields.phone.errors} inputProps={getInputProps(fields.phone, { type: "tel" })} />
            <Field label="Email" errors={fields.email.errors} inputProps={getInputProps(fields.email, { type: "email" })} />
            <div className="sm:col-span-2"><Field label="Website" errors={fields.website.errors} inputProps={getInputProps(fields.website, { type: "url" })} /></div>
            <Field label="Sign staff out after idle (minutes)" errors={fields.staffIdleMinutes.errors} inputProps={getInputProps(fields.staffIdleMinutes, { type: "number" })} />
            <Field label="Sign patients out after idle (minutes)" errors={fields.patientIdleMinutes.errors} inputProps={getInputProps(fields.patientIdleMinutes, { type: "number" })} />
            <label className="flex min-h-11 items-center gap-3 sm:col-span-2">
              <input {...getInputProps(fields.mfaRequiredForAllStaff, { type: "checkbox" })} className="h-5 w-5" />
              Require two-step verification for all staff (owners and managers always need it)
            </label>
            {canEdit ? <div><button type="submit" className={buttonClass}>Save</button></div> : null}
          </fieldset>
        </Form>
      </Card>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
