import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormErrors } from "~/components/field";
import { Card, Notice, PageHeader, buttonClass } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { ROLE_LABELS } from "~/auth/permissions";
import { NO_STORE, parseForm } from "~/lib/forms.server";
import { listLocations } from "~/settings/locations.server";
import { InviteStaffSchema } from "~/settings/schemas";
import { inviteStaff, listStaff } from "~/settings/staff.server";
import { LocationChecks, RoleSelect } from "~/settings/staff-fields";

export const meta: MetaFunction = () => [{ title: "Staff · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "manage:staff:organization");
  const [staff, locations] = await Promise.all([listStaff(context, session), listLocations(context, session)]);
  return data({ staff: staff.map((s) => ({ ...s, roleLabel: ROLE_LABELS[s.role] })), locations: locations.map((l) => ({ id: l.id, name: l.name })), isOwner: session.user.role === "owner" }, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "manage:staff:organization");
  const submission = await parseForm(request, InviteStaffSchema);
  if (submission.status !== "success") return data({ result: submission.reply(), invited: null }, { status: 400, headers: NO_STORE });
  const outcome = await inviteStaff(context, request, session, submission.value);
  if (!outcome.ok) {
    const reply = outcome.field ? submission.reply({ fieldErrors: { [outcome.field]: [outcome.message] } }) : submission.reply({ formErrors: [outcome.message] });
    return data({ result: reply, invited: null }, { status: outcome.status, headers: NO_STORE });
  }
  return data({ result: submission.reply({ resetForm: true }), invited: submission.value.email }, { headers: NO_STORE });
}

export default function StaffSettings() {
  const { staff, locations, isOwner } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "invite-staff", lastResult: actionData?.result, shouldValidate: "onBlur", onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteStaffSchema }) });
  return (
    <>
      <PageHeader title="Staff" description="Invite your team, set their role and the locations they work at." />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-[3fr_2fr]">
        <Card title={`Team (${staff.length})`}>
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Staff members">
            <table className="w-full text-left">
              <caption className="sr-only">Staff members</caption>
              <thead className="text-sm text-stone-600">
                <tr><th scope="col" className="py-2">Name</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">2-step</th></tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {staff.map((s) => (
                  <tr key={s.id}>
                    <td className="py-2"><Link to={`/settings/staff/${s.id}`} className="font-medium text-brand-700 underline">{s.name}</Link><div className="text-sm text-stone-600">{s.email}</div></td>
                    <td>{s.roleLabel}</td>
                    <td className="capitalize">{s.status}</td>
                    <td>{s.mfa ? "On" : "Off"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
        <Card title="Invite a team member">
          {actionData?.invited ? <div className="mb-3"><Notice tone="success">Invitation sent to {actionData.invited}.</Notice></div> : null}
          <Form method="post" {...getFormProps(form)} className="space-y-4">
            <FormErrors errors={form.errors} />
            <Field label="Full name" errors={fields.name.errors} inputProps={getInputProps(fields.name, { type: "text" })} />
            <Field label="Email" errors={fields.email.errors} inputProps={getInputProps(fields.email, { type: "email" })} />
            <RoleSelect field={fields.role} allowOwner={isOwner} />
            <LocationChecks field={fields.locationIds} locations={locations} selected={[]} />
            <button type="submit" className={buttonClass}>Send invitation</button>
          </Form>
        </Card>
      </div>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
