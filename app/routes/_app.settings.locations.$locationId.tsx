import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormErrors, SelectField } from "~/components/field";
import { Card, Notice, PageHeader, buttonClass, inputClass, secondaryButtonClass } from "~/components/ui";
import { notFound, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { LocationForm, timeZoneOptions } from "~/settings/location-form";
import { addClosure, addRoom, getLocation, listClosures, removeClosure, updateBookingRules, updateLocation, updateRoom } from "~/settings/locations.server";
import { BookingRulesSchema, ClosureSchema, LocationSchema, RoomSchema, RoomUpdateSchema } from "~/settings/schemas";
import { BookingRulesCard, ClosuresCard } from "~/settings/booking-rules-cards";
import { addDays, localDateOf } from "~/scheduling/local-time";
import { ROOM_TYPES } from "../../db/schema";

export const meta: MetaFunction = () => [{ title: "Location · Atrium" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "manage:location:organization");
  const locationId = (params.locationId ?? "").slice(0, 64);
  // The location and its closures at once: closures from yesterday in UTC (today somewhere), narrowed once the zone is known.
  const utcToday = context.clock.now().toISOString().slice(0, 10);
  const [found, upcoming] = await Promise.all([getLocation(context, session, locationId), listClosures(context, session, locationId, addDays(utcToday, -1))]);
  if (!found) throw notFound("No location with that id in your organization.");
  const { location, rooms } = found;
  const today = localDateOf(location.timeZone, context.clock.now().getTime());
  const closures = upcoming.filter((c) => c.date >= today);
  const rules = { slotIntervalMinutes: location.slotIntervalMinutes, minNoticeMinutes: location.minNoticeMinutes, maxAdvanceDays: location.maxAdvanceDays, selfServiceCutoffHours: location.selfServiceCutoffHours, reminderHours: location.reminderHours };
  return data({ location: { ...location, addressLine2: location.addressLine2 ?? "", createdAt: undefined }, rooms, rules, closures, today, timeZones: timeZoneOptions() }, { headers: NO_STORE });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "manage:location:organization");
  const found = await getLocation(context, session, params.locationId ?? "");
  if (!found) throw notFound("No location with that id in your organization.");
  const locationId = found.location.id;
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "update-location") {
    const submission = parseWithZod(formData, { schema: LocationSchema });
    if (submission.status !== "success") return data({ intent, result: submission.reply(), message: null }, { status: 400, headers: NO_STORE });
    await updateLocation(context, session, locationId, submission.value);
    return data({ intent, result: submission.reply(), message: "Location saved." }, { headers: NO_STORE });
  }
  if (intent === "add-room") {
    const submission = parseWithZod(formData, { schema: RoomSchema });
    if (submission.status !== "success") return data({ intent, result: submission.reply(), message: null }, { status: 400, headers: NO_STORE });
    const outcome = await addRoom(context, session, locationId, submission.value);
    if (!outcome.ok) return data({ intent, result: submission.reply({ fieldErrors: { [outcome.field]: [outcome.message] } }), message: null }, { status: 409, headers: NO_STORE });
    return data({ intent, result: submission.reply({ resetForm: true }), message: "Room added." }, { headers: NO_STORE });
  }
  if (intent === "update-room") {
    const submission = parseWithZod(formData, { schema: RoomUpdateSchema });
    if (submission.status !== "success") return data({ intent, result: submission.reply(), message: "Check the room's name and type." }, { status: 400, headers: NO_STORE });
    const outcome = await updateRoom(context, session, locationId, submission.value);
    if (!outcome) throw notFound("No room with that id at this location.");
    if (!outcome.ok) return data({ intent, result: submission.reply(), message: outcome.message }, { status: 409, headers: NO_STORE });
    return data({ intent, result: submission.reply(), message: "Room saved." }, { headers: NO_STORE });
  }
  if (intent === "update-rules") {
    const submission = parseWithZod(formData, { schema: BookingRulesSchema });
    if (submission.status !== "success") return data({ intent, result: submission.reply(), message: null }, { status: 400, headers: NO_STORE });
    await updateBookingRules(context, session, locationId, submission.value);
    return data({ intent, result: submission.reply(), message: "Booking rules saved. They apply to new bookings and changes from now on." }, { headers: NO_STORE });
  }
  if (intent === "add-closure") {
    const submission = parseWithZod(formData, { schema: ClosureSchema });
    if (submission.status !== "success") return data({ intent, result: submission.reply(), message: "Choose the day to close." }, { status: 400, headers: NO_STORE });
    const added = await addClosure(context, session, locationId, submission.value);
    if (!added.ok) return data({ intent, result: submission.reply(), message: added.message }, { status: 409, headers: NO_STORE });
    return data({ intent, result: submission.reply(), message: "Closed that day. Nothing new can be booked then; existing visits stay on the schedule." }, { headers: NO_STORE });
  }
  if (intent === "remove-closure") {
    const removed = await removeClosure(context, session, locationId, String(formData.get("id") ?? "").slice(0, 64));
    return data({ intent, result: null, message: removed ? "Reopened." : "That closure was not found." }, { status: removed ? 200 : 404, headers: NO_STORE });
  }
  return data({ intent, result: null, message: "Unknown action." }, { status: 400, headers: NO_STORE });
}

function AddRoomForm({ lastResult }: { lastResult: SubmissionResult<string[]> | null | undefined }) {
  const [form, fields] = useForm({ id: "add-room", lastResult, onValidate: ({ formData }) => parseWithZod(formData, { schema: RoomSchema }) });
  return (
    <Form method="post" {...getFormProps(form)} className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
      <input type="hidden" name="intent" value="add-room" />
      <FormErrors errors={form.errors} />
      <Field label="New room name" errors={fields.name.errors} inputProps={getInputProps(fields.name, { type: "text" })} />
      <SelectField label="Type" errors={fields.roomType.errors} selectProps={getSelectProps(fields.roomType)}>
        <option value="">Choose…</option>
        {ROOM_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
      </SelectField>
      <button type="submit" className={buttonClass}>Add room</button>
    </Form>
  );
}

export default function LocationSettings() {
  const { location, rooms, rules, closures, today, timeZones } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const defaults = Object.fromEntries(Object.entries(location).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  return (
    <>
      <PageHeader title={location.name} description={`${location.city}, ${location.region} · ${location.timeZone}`} />
      {actionData?.message ? <div className="mb-4 max-w-3xl"><Notice tone={actionData.result && "status" in actionData.result && actionData.result.status === "error" ? "error" : "success"}>{actionData.message}</Notice></div> : null}
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <Card title="Details">
          <LocationForm id="location" intent="update-location" lastResult={actionData?.intent === "update-location" ? actionData.result : undefined} defaultValue={defaults} timeZones={timeZones} submitLabel="Save location" />
        </Card>
        <BookingRulesCard rules={rules} lastResult={actionData?.intent === "update-rules" ? actionData.result : undefined} />
        <ClosuresCard closures={closures} today={today} />
        <Card title={`Rooms (${rooms.length})`}>
          <ul className="mb-6 space-y-3">
            {rooms.map((r) => (
              <li key={r.id}>
                <Form method="post" className="grid gap-2 rounded-lg border border-stone-200 p-3 sm:grid-cols-[1fr_1fr_auto_auto] sm:items-center">
                  <input type="hidden" name="intent" value="update-room" />
                  <input type="hidden" name="roomId" value={r.id} />
                  <label className="text-sm">
                    <span className="sr-only">Name of {r.name}</span>
                    <input name="name" defaultValue={r.name} maxLength={60} required className={inputClass} />
                  </label>
                  <label className="text-sm">
                    <span className="sr-only">Type of {r.name}</span>
                    <select name="roomType" defaultValue={r.roomType} className={inputClass}>
                      {ROOM_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
                    </select>
                  </label>
                  <label className="flex min-h-11 items-center gap-2">
                    <input type="checkbox" name="active" defaultChecked={r.active} className="h-5 w-5" /> In use
                  </label>
                  <button type="submit" className={secondaryButtonClass}>Save</button>
                </Form>
              </li>
            ))}
          </ul>
          <AddRoomForm lastResult={actionData?.intent === "add-room" ? actionData.result : undefined} />
        </Card>
      </div>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
