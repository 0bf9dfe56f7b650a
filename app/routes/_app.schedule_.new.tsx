import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { queryDate } from "~/lib/calendar-date";
import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { and, asc, eq } from "drizzle-orm";
import type { z } from "zod";
import { Field, FormErrors, SelectField } from "~/components/field";
import { Card, Notice, PageHeader, buttonClass, inputClass, secondaryButtonClass } from "~/components/ui";
import { requireWorkingLocation } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { createPatient, getPatient, searchPatients } from "~/patients/patients.server";
import { NewPatientSchema } from "~/patients/schemas";
import { bookAppointment, bookSeries } from "~/scheduling/booking.server";
import { formatCalendarDate, formatClock24, formatDate, formatDateTime, formatTime } from "~/scheduling/format";
import { nextOpenDay } from "~/scheduling/availability.server";
import { addDays, localDateOf, localToInstant, minuteOfDayAt } from "~/scheduling/local-time";
import { scheduleResources } from "~/scheduling/schedule.server";
import { StaffBookingSchema } from "~/scheduling/schemas";
import { services } from "../../db/schema";
import { openSearch, searchRedirect } from "~/patients/search-param.server";

export const meta: MetaFunction = () => [{ title: "New appointment · Atrium" }];

const setup = (request: Request, context: LoaderFunctionArgs["context"]) => requireWorkingLocation(request, context, "create:appointment:location");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { session, location } = await setup(request, context);
  const url = new URL(request.url);
  const q = (await openSearch(context, session.id, url.searchParams.get("s"))) ?? "";
  const patientId = url.searchParams.get("patient");
  const date = queryDate(url.searchParams.get("date"));
  if (date === "invalid") throw new Response("Use a real date like 2026-11-23.", { status: 400 });
  const [serviceRows, resources, found, patient] = await Promise.all([
    context.db.select({ id: services.id, name: services.name, durationMinutes: services.durationMinutes }).from(services).where(and(eq(services.organizationId, session.user.organizationId), eq(services.active, true))).orderBy(asc(services.name)),
    scheduleResources(context, session.user.organizationId, location.id),
    q ? searchPatients(context, session, q, 1) : Promise.resolve(null),
    patientId ? getPatient(context, session, patientId.slice(0, 64)) : Promise.resolve(null),
  ]);
  return data(
    {
      location: { name: location.name, timeZone: location.timeZone },
      defaults: {
        date: date ?? localDateOf(location.timeZone, context.clock.now().getTime()),
        time: /^([01]\d|2[0-3]):[0-5]\d$/.test(url.searchParams.get("time") ?? "") ? url.searchParams.get("time")! : "",
        providerId: url.searchParams.get("provider") ?? "any",
        serviceId: url.searchParams.get("service") ?? serviceRows[0]?.id ?? "",
      },
      services: serviceRows,
      providers: resources.providers,
      q,
      // Only what the picker shows.
      results: (found?.rows ?? []).map((p) => ({ id: p.id, firstName: p.firstName, lastName: p.lastName, dateOfBirth: p.dateOfBirth })),
      patient: patient && { id: patient.id, name: `${patient.firstName} ${patient.lastName}`, dateOfBirth: patient.dateOfBirth },
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { session, location } = await setup(request, context);
  const formData = await request.formData();
  const url = new URL(request.url);
  if (formData.get("intent") === "search") return searchRedirect(context, session.id, url.pathname, url.searchParams, formData.get("q"));
  if (formData.get("intent") === "create_patient") {
    const submission = parseWithZod(formData, { schema: NewPatientSchema });
    if (submission.status !== "success") return data({ patientResult: submission.reply(), bookResult: null, message: null, conflicts: [], alternatives: [] }, { status: 400, headers: NO_STORE });
    const id = await createPatient(context, session, submission.value);
    url.searchParams.set("patient", id);
    url.searchParams.delete("s");
    return redirect(`${url.pathname}?${url.searchParams}`, { headers: NO_STORE });
  }
  const submission = parseWithZod(formData, { schema: StaffBookingSchema });
  if (submission.status !== "success") return data({ patientResult: null, bookResult: submission.reply(), message: null, conflicts: [], alternatives: [] }, { status: 400, headers: NO_STORE });
  const v = submission.value;
  const minutes = Number(v.time.slice(0, 2)) * 60 + Number(v.time.slice(3));
  const dates = Array.from({ length: v.occurrences }, (_, i) => addDays(v.date, i * 7 * v.repeatWeeks));
  const starts = dates.map((d) => localToInstant(location.timeZone, d, minutes));
  const gap = starts.findIndex((s) => minuteOfDayAt(location.timeZone, s) !== minutes);
  if (gap >= 0) {
    return data({ patientResult: null, bookResult: submission.reply({ fieldErrors: { time: [`${v.time} doesn't exist on ${dates[gap]}: the clocks go forward that night. Choose another time.`] } }), message: null, conflicts: [], alternatives: [] }, { status: 400, headers: NO_STORE });
  }
  const base = { locationId: location.id, serviceId: v.serviceId, providerId: v.providerId === "any" ? null : v.providerId, patientId: v.patientId, overrideReason: v.override ? v.reason ?? null : null };
  if (starts.length > 1) {
    const series = await bookSeries(context, session.user, base, starts);
    if (!series.ok) {
      const conflicts = series.conflicts.map((c) => `${formatDateTime(c.startsAt, location.timeZone)}: ${c.message}`);
      return data({ patientResult: null, bookResult: submission.reply(), message: `Nothing was booked: ${conflicts.length} of ${starts.length} visits conflict.`, conflicts, alternatives: [] }, { status: 409, headers: NO_STORE });
    }
    return redirect(`/appointments/${series.appointmentIds[0]}`, { headers: NO_STORE });
  }
  const booked = await bookAppointment(context, session.user, { ...base, startsAt: starts[0] });
  if (!booked.ok) {
    const status = booked.code === "slot_taken" ? 409 : booked.code === "forbidden" ? 403 : booked.code === "not_found" ? 404 : 400;
    // Nothing else open that day: offer the next day that has a time, with a link to book it.
    const next = booked.alternatives.length === 0 && (booked.code === "slot_taken" || booked.code === "unavailable") ? await nextOpenDay(context.db, { organizationId: session.user.organizationId, locationId: location.id, serviceId: v.serviceId, providerId: base.providerId, now: context.clock.now().getTime(), after: v.date }) : null;
    const nextDay = next ? { label: `${formatDate(next.date)}, from ${formatTime(next.first, next.timeZone)}`, href: `/schedule/new?patient=${v.patientId}&service=${v.serviceId}&provider=${v.providerId}&date=${next.date}&time=${formatClock24(next.first, next.timeZone)}` } : null;
    return data({ patientResult: null, bookResult: submission.reply(), message: booked.message, conflicts: [], alternatives: booked.alternatives.map((a) => formatTime(a, location.timeZone)), nextDay }, { status, headers: NO_STORE });
  }
  return redirect(`/appointments/${booked.appointmentId}`, { headers: NO_STORE });
}

export default function NewAppointmentPage() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { pathname, search } = useLocation();
  const params = new URLSearchParams(search);
  const [patientForm, patientFields] = useForm({ id: "new-patient-inline", lastResult: actionData?.patientResult ?? undefined, onValidate: ({ formData }) => parseWithZod(formData, { schema: NewPatientSchema }) });
  const [form, fields] = useForm<z.input<typeof StaffBookingSchema>>({ id: "book", lastResult: actionData?.bookResult ?? undefined, defaultValue: { ...d.defaults, occurrences: 1, repeatWeeks: 2 } });
  const choose = (id: string) => {
    const p = new URLSearchParams(params);
    p.set("patient", id);
    p.delete("s");
    return `${pathname}?${p}`;
  };
  return (
    <>
      <PageHeader title="New appointment" description={`${d.location.name} · times in ${d.location.timeZone.replace("_", " ")}`} />
      <div className="grid max-w-5xl gap-6 lg:grid-cols-2">
        <Card title="Patient">
          {d.patient ? (
            <p className="mb-3">
              <span className="font-semibold">{d.patient.name}</span> · born {formatCalendarDate(d.patient.dateOfBirth)}{" "}
              <Link to={`${pathname}?${new URLSearchParams([...params].filter(([k]) => k !== "patient"))}`} className="text-brand-700 underline">Change</Link>
            </p>
          ) : (
            <>
              <Form method="post" action={`${pathname}${search}`} role="search" className="mb-3 flex gap-2">
                <input type="hidden" name="intent" value="search" />
                <label htmlFor="patient-q" className="sr-only">Search patients by name, phone, email or date of birth</label>
                <input id="patient-q" name="q" defaultValue={d.q} placeholder="Name, phone or email" className={inputClass + " mt-0"} maxLength={100} />
                <button type="submit" className={secondaryButtonClass}>Search</button>
              </Form>
              {d.q ? (
                d.results.length ? (
                  <ul className="mb-4 divide-y divide-stone-100" aria-label="Matching patients">
                    {d.results.map((p) => (
                      <li key={p.id} className="flex items-center justify-between py-2">
                        <span>{p.lastName}, {p.firstName} · born {formatCalendarDate(p.dateOfBirth)}</span>
                        <Link to={choose(p.id)} className="font-medium text-brand-700 underline">Choose</Link>
                      </li>
                    ))}
                  </ul>
                ) : <p className="mb-4 text-stone-700">No patients match. Create one below.</p>
              ) : null}
              <details className="rounded-lg border border-stone-200 p-3" open={Boolean(actionData?.patientResult)}>
                <summary className="cursor-pointer font-medium">New patient</summary>
                <Form method="post" {...getFormProps(patientForm)} className="mt-3 space-y-3">
                  <input type="hidden" name="intent" value="create_patient" />
                  <FormErrors errors={patientForm.errors} />
                  <Field label="First name" errors={patientFields.firstName.errors} inputProps={getInputProps(patientFields.firstName, { type: "text" })} />
                  <Field label="Last name" errors={patientFields.lastName.errors} inputProps={getInputProps(patientFields.lastName, { type: "text" })} />
                  <Field label="Date of birth" errors={patientFields.dateOfBirth.errors} inputProps={getInputProps(patientFields.dateOfBirth, { type: "date" })} />
                  <Field label="Phone (optional)" errors={patientFields.phone.errors} inputProps={getInputProps(patientFields.phone, { type: "tel" })} />
                  <Field label="Email (optional)" errors={patientFields.email.errors} inputProps={getInputProps(patientFields.email, { type: "email" })} />
                  <button type="submit" className={secondaryButtonClass}>Create patient</button>
                </Form>
              </details>
            </>
          )}
        </Card>
        <Card title="Appointment">
          {actionData?.message ? (
            <div className="mb-3 space-y-2">
              <Notice tone="error">{actionData.message}</Notice>
              {actionData.conflicts.length ? <ul className="list-disc pl-5 text-sm">{actionData.conflicts.map((c) => <li key={c}>{c}</li>)}</ul> : null}
              {actionData.alternatives.length ? <p className="text-sm">Nearest open times: {actionData.alternatives.join(", ")}</p> : null}
              {"nextDay" in actionData && actionData.nextDay ? (
                <p className="text-sm">
                  Next day with open times: <Link to={actionData.nextDay.href} className="font-medium text-brand-800 underline">{actionData.nextDay.label}</Link>
                </p>
              ) : null}
            </div>
          ) : null}
          {!d.patient ? <p className="mb-3 text-stone-700">Choose or create the patient first.</p> : null}
          <Form method="post" {...getFormProps(form)}>
            <fieldset disabled={!d.patient} className="space-y-4">
              <legend className="sr-only">Appointment details</legend>
              <input type="hidden" name="patientId" value={d.patient?.id ?? ""} />
              <FormErrors errors={form.errors} />
              <SelectField label="Service" errors={fields.serviceId.errors} selectProps={getSelectProps(fields.serviceId)}>
                {d.services.map((s) => <option key={s.id} value={s.id}>{s.name} ({s.durationMinutes} min)</option>)}
              </SelectField>
              <SelectField label="Provider" errors={fields.providerId.errors} selectProps={getSelectProps(fields.providerId)}>
                <option value="any">Any available provider</option>
                {d.providers.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
              </SelectField>
              <div className="grid grid-cols-2 gap-3">
                <Field label="Day" errors={fields.date.errors} inputProps={getInputProps(fields.date, { type: "date" })} />
                <Field label="Time" errors={fields.time.errors} inputProps={{ ...getInputProps(fields.time, { type: "time" }), step: 300 }} />
              </div>
              <div className="grid grid-cols-2 gap-3">
                <Field label="Visits in series" errors={fields.occurrences.errors} inputProps={{ ...getInputProps(fields.occurrences, { type: "number" }), min: 1, max: 26 }} />
                <Field label="Every … weeks" errors={fields.repeatWeeks.errors} inputProps={{ ...getInputProps(fields.repeatWeeks, { type: "number" }), min: 1, max: 12 }} />
              </div>
              <label className="flex min-h-11 items-center gap-3">
                <input {...getInputProps(fields.override, { type: "checkbox" })} className="h-5 w-5" /> Book outside availability (never over another appointment)
              </label>
              <Field label="Reason for booking outside availability" errors={fields.reason.errors} inputProps={getInputProps(fields.reason, { type: "text" })} />
              <button type="submit" className={buttonClass}>Book</button>
            </fieldset>
          </Form>
        </Card>
      </div>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
