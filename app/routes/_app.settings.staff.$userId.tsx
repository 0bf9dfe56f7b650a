import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors } from "~/components/field";
import { Card, Notice, PageHeader, buttonClass, dangerButtonClass, secondaryButtonClass } from "~/components/ui";
import { notFound, requirePermission } from "~/auth/guards.server";
import { ROLE_LABELS } from "~/auth/permissions";
import { sendInvitation } from "~/auth/recovery.server";
import { NO_STORE } from "~/lib/forms.server";
import { listLocations } from "~/settings/locations.server";
import { UpdateStaffSchema } from "~/settings/schemas";
import { getStaffMember, setStaffStatus, staffChangeRefusal, updateStaff } from "~/settings/staff.server";
import { addExtraHours, addShift, addTimeOff, listShifts, listTimeOff, removeShift, removeTimeOff } from "~/settings/schedules.server";
import { ExtraHoursSchema, ShiftSchema, TimeOffSchema } from "~/settings/schemas";
import { ScheduleCards } from "~/settings/schedule-cards";
import { LocationChecks, RoleSelect } from "~/settings/staff-fields";

export const meta: MetaFunction = () => [{ title: "Staff member · Atrium" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "manage:staff:organization");
  const userId = (params.userId ?? "").slice(0, 64);
  const today = new Date(context.clock.now()).toISOString().slice(0, 10);
  // Everything the page may show at once (shifts and time off are scoped to the organization; shown for providers only).
  const [member, locations, shifts, timeOff] = await Promise.all([getStaffMember(context, session, userId), listLocations(context, session), listShifts(context, session, userId), listTimeOff(context, session, userId, today)]);
  if (!member) throw notFound("No staff member with that id in your organization.");
  const isProvider = member.role === "provider";
  return data(
    {
      member: { ...member, roleLabel: ROLE_LABELS[member.role] },
      locations: locations.map((l) => ({ id: l.id, name: l.name })),
      isOwner: session.user.role === "owner",
      refusal: staffChangeRefusal(session.user, member),
      schedule: isProvider ? { shifts, timeOff, today } : null,
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "manage:staff:organization");
  const userId = (params.userId ?? "").slice(0, 64);
  const memberRead = getStaffMember(context, session, userId);
  const formData = await request.formData();
  const intent = formData.get("intent");
  // Shifts and extra hours check the member with their own reads, at once (a round trip each on Turso).
  if (intent === "add-shift" || intent === "add-extra-hours") {
    const submission = parseWithZod(formData, { schema: intent === "add-shift" ? ShiftSchema : ExtraHoursSchema });
    if (submission.status !== "success") return data({ result: null, message: Object.values(submission.error ?? {}).flat().filter(Boolean)[0] ?? "Check the schedule fields." }, { status: 400, headers: NO_STORE });
    const added = intent === "add-shift" ? await addShift(context, session, userId, submission.value as Parameters<typeof addShift>[3], memberRead) : await addExtraHours(context, session, userId, submission.value as Parameters<typeof addExtraHours>[3], memberRead);
    if (!added.ok) return data({ result: null, message: added.message }, { status: added.status, headers: NO_STORE });
    return data({ result: null, message: intent === "add-shift" ? "Shift added." : "Extra hours added. Those hours are bookable now." }, { headers: NO_STORE });
  }
  const member = await memberRead;
  if (!member) throw notFound("No staff member with that id in your organization.");
  if (intent === "update") {
    const submission = parseWithZod(formData, { schema: UpdateStaffSchema });
    if (submission.status !== "success") return data({ result: submission.reply(), message: null }, { status: 400, headers: NO_STORE });
    const outcome = await updateStaff(context, session, member, submission.value);
    if (!outcome.ok) return data({ result: submission.reply({ formErrors: [outcome.message] }), message: null }, { status: outcome.status, headers: NO_STORE });
    return data({ result: submission.reply(), message: "Saved." }, { headers: NO_STORE });
  }
  if (intent === "disable" || intent === "enable") {
    const outcome = await setStaffStatus(context, session, member, intent === "disable");
    if (!outcome.ok) return data({ result: null, message: outcome.message }, { status: outcome.status, headers: NO_STORE });
    return data({ result: null, message: intent === "disable" ? "Disabled. Every session of this account has ended." : "Enabled." }, { headers: NO_STORE });
  }
  if (intent === "add-time-off") {
    const submission = parseWithZod(formData, { schema: TimeOffSchema });
    if (submission.status !== "success") return data({ result: null, message: Object.values(submission.error ?? {}).flat().filter(Boolean)[0] ?? "Check the schedule fields." }, { status: 400, headers: NO_STORE });
    await addTimeOff(context, session, member.id, submission.value as Parameters<typeof addTimeOff>[3]);
    return data({ result: null, message: "Time off added. Those hours are no longer bookable." }, { headers: NO_STORE });
  }
  if (intent === "remove-shift" || intent === "remove-time-off") {
    const id = String(formData.get("id") ?? "").slice(0, 64);
    const ok = intent === "remove-shift" ? await removeShift(context, session, member.id, id) : await removeTimeOff(context, session, member.id, id);
    return data({ result: null, message: ok ? "Removed." : "That entry was not found." }, { status: ok ? 200 : 404, headers: NO_STORE });
  }
  if (intent === "resend" && member.status === "invited") {
    await sendInvitation(context, request, member, session.organization, session.user.name);
    return data({ result: null, message: "Invitation sent again." }, { headers: NO_STORE });
  }
  return data({ result: null, message: "Unknown action." }, { status: 400, headers: NO_STORE });
}

export default function StaffMemberPage() {
  const { member, locations, isOwner, refusal, schedule } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "update-staff", lastResult: actionData?.result, defaultValue: { role: member.role, locationIds: member.locationIds }, onValidate: ({ formData }) => parseWithZod(formData, { schema: UpdateStaffSchema }) });
  return (
    <>
      <PageHeader title={member.name} description={`${member.email} · ${member.roleLabel} · ${member.status}`} />
      {actionData?.message ? <div className="mb-4 max-w-2xl"><Notice>{actionData.message}</Notice></div> : null}
      {refusal ? <div className="mb-4 max-w-2xl"><Notice>{refusal}</Notice></div> : null}
      <div className="grid max-w-4xl gap-6 lg:grid-cols-2">
        <Card title="Role and locations">
          <Form method="post" {...getFormProps(form)}>
            <fieldset disabled={Boolean(refusal)} className="space-y-4">
              <legend className="sr-only">Role and locations</legend>
              <input type="hidden" name="intent" value="update" />
              <FormErrors errors={form.errors} />
              <RoleSelect field={fields.role} allowOwner={isOwner} />
              <LocationChecks field={fields.locationIds} locations={locations} selected={member.locationIds} />
              <button type="submit" className={buttonClass}>Save</button>
            </fieldset>
          </Form>
        </Card>
        {schedule ? <ScheduleCards schedule={schedule} locations={locations} /> : null}
        <Card title="Access">
          <div className="space-y-3">
            {member.status === "invited" ? (
              <Form method="post"><input type="hidden" name="intent" value="resend" /><button type="submit" className={secondaryButtonClass}>Re-send invitation</button></Form>
            ) : null}
            {!refusal ? (
              member.status === "disabled" ? (
                <Form method="post"><input type="hidden" name="intent" value="enable" /><button type="submit" className={secondaryButtonClass}>Enable account</button></Form>
              ) : (
                <Form method="post"><input type="hidden" name="intent" value="disable" /><button type="submit" className={dangerButtonClass}>Disable account and sign out everywhere</button></Form>
              )
            ) : null}
          </div>
        </Card>
      </div>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
