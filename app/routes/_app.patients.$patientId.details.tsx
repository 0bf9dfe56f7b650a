import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormErrors, SelectField } from "~/components/field";
import { Card, Notice, buttonClass } from "~/components/ui";
import { notFound, requirePermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { NO_STORE } from "~/lib/forms.server";
import { addHealthItem, loadPatientDetails, removeHealthItem, updatePatientDetails } from "~/patients/details.server";
import { HealthItemSchema, PatientDetailsSchema } from "~/patients/record-schemas";
import { HealthLists } from "~/patients/health-lists";
import { PHOTO_MAX_BYTES, removePatientPhoto, savePatientPhoto } from "~/patients/photo.server";
import { PhotoForm } from "~/patients/photo-form";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:organization");
  const details = await loadPatientDetails(context, session, (params.patientId ?? "").slice(0, 64));
  if (!details) throw notFound("No patient with that id in your organization.");
  return data({ details, hasPhoto: details.hasPhoto, canEdit: can(session.user.role, "update:patient:organization"), canMerge: can(session.user.role, "merge:patient:organization") }, { headers: NO_STORE });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "update:patient:organization");
  const patientId = (params.patientId ?? "").slice(0, 64);
  const none = { details: null, item: null, message: null as string | null, photoError: false };
  // A portrait is the largest thing posted here: refuse an oversized body before reading it.
  if (Number(request.headers.get("content-length") ?? 0) > PHOTO_MAX_BYTES + 64 * 1024) return data({ ...none, message: "That photo is larger than 8 MB. Choose a smaller one.", photoError: true }, { status: 413, headers: NO_STORE });
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return data({ ...none, message: "That form could not be read. Try again." }, { status: 400, headers: NO_STORE });
  }
  const intent = form.get("intent");
  if (intent === "photo-upload" || intent === "photo-remove") {
    const file = form.get("photo");
    const result = intent === "photo-remove" ? await removePatientPhoto(context, session, patientId) : file instanceof File ? await savePatientPhoto(context, session, patientId, file) : ({ ok: false, status: 400, message: "Choose a photo to upload." } as const);
    if (!result.ok) return data({ ...none, message: result.message, photoError: true }, { status: result.status, headers: NO_STORE });
    return data({ ...none, message: intent === "photo-remove" ? "Photo removed." : "Photo saved." }, { headers: NO_STORE });
  }
  if (intent === "details") {
    const submission = parseWithZod(form, { schema: PatientDetailsSchema });
    if (submission.status !== "success") return data({ ...none, details: submission.reply() }, { status: 400, headers: NO_STORE });
    if (!(await updatePatientDetails(context, session, patientId, submission.value))) return data({ ...none, message: "That patient was not found." }, { status: 404, headers: NO_STORE });
    return data({ ...none, details: submission.reply(), message: "Details saved." }, { headers: NO_STORE });
  }
  if (intent === "add-item") {
    const submission = parseWithZod(form, { schema: HealthItemSchema });
    if (submission.status !== "success") return data({ ...none, item: submission.reply() }, { status: 400, headers: NO_STORE });
    if (!(await addHealthItem(context, session, patientId, submission.value))) return data({ ...none, message: "That patient was not found." }, { status: 404, headers: NO_STORE });
    return data({ ...none, item: submission.reply({ resetForm: true }), message: "Added." }, { headers: NO_STORE });
  }
  if (intent === "remove-item") {
    if (!(await removeHealthItem(context, session, patientId, String(form.get("itemId") ?? "")))) return data({ ...none, message: "That entry was not found." }, { status: 404, headers: NO_STORE });
    return data({ ...none, message: "Removed." }, { headers: NO_STORE });
  }
  return data({ ...none, message: "Unknown action." }, { status: 400, headers: NO_STORE });
}

const SEX_LABELS = { female: "Female", male: "Male", intersex: "Intersex", not_said: "Prefer not to say" } as const;

export default function PatientDetails() {
  const { details, hasPhoto, canEdit, canMerge } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { items, hasPhoto: _photo, ...d } = details;
  const [form, fields] = useForm({
    id: "details",
    lastResult: answer?.details ?? undefined,
    shouldValidate: "onBlur",
    defaultValue: Object.fromEntries(Object.entries(d).map(([k, v]) => [k, typeof v === "boolean" ? (v ? "on" : undefined) : (v ?? "")])),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PatientDetailsSchema }),
  });
  const text = (name: keyof typeof fields, type: "text" | "email" | "tel" | "date" = "text") => getInputProps(fields[name], { type });
  return (
    <div className="space-y-4">
      {answer?.message ? <Notice tone={answer.photoError || answer.message.includes("not found") ? "error" : "success"}>{answer.message}</Notice> : null}
      {canEdit ? <PhotoForm hasPhoto={hasPhoto} /> : null}
      <HealthLists items={items} canEdit={canEdit} lastResult={answer?.item ?? undefined} />
      <Card title="Details">
        <Form method="post" {...getFormProps(form)} className="space-y-6">
          <FormErrors errors={form.errors} />
          <fieldset disabled={!canEdit} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            <legend className="mb-2 font-semibold">Who they are</legend>
            <Field label="First name (legal)" errors={fields.firstName.errors} inputProps={{ ...text("firstName"), autoComplete: "off" }} />
            <Field label="Last name (legal)" errors={fields.lastName.errors} inputProps={{ ...text("lastName"), autoComplete: "off" }} />
            <Field label="Goes by (optional)" errors={fields.preferredName.errors} inputProps={{ ...text("preferredName"), autoComplete: "off" }} />
            <Field label="Pronouns (optional)" hint="Like she/her, he/him, they/them" errors={fields.pronouns.errors} inputProps={{ ...text("pronouns"), autoComplete: "off" }} />
            <SelectField label="Sex at birth (optional)" errors={fields.sexAtBirth.errors} selectProps={getSelectProps(fields.sexAtBirth)}>
              <option value="">Not recorded</option>
              {Object.entries(SEX_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </SelectField>
            <Field label="Date of birth" errors={fields.dateOfBirth.errors} inputProps={text("dateOfBirth", "date")} />
          </fieldset>
          <fieldset disabled={!canEdit} className="grid gap-4 sm:grid-cols-2">
            <legend className="mb-2 font-semibold">Contact and consents</legend>
            <Field label="Mobile phone (optional)" errors={fields.phone.errors} inputProps={text("phone", "tel")} />
            <Field label="Email (optional)" errors={fields.email.errors} inputProps={text("email", "email")} />
            <div className="space-y-1 sm:col-span-2">
              <p className="text-sm font-medium">Messages the patient agreed to receive</p>
              <label className="flex min-h-11 items-center gap-3">
                <input {...getInputProps(fields.smsConsent, { type: "checkbox" })} key={fields.smsConsent.key} className="h-5 w-5" /> Text messages
              </label>
              <label className="flex min-h-11 items-center gap-3">
                <input {...getInputProps(fields.emailConsent, { type: "checkbox" })} key={fields.emailConsent.key} className="h-5 w-5" /> Email
              </label>
            </div>
          </fieldset>
          <fieldset disabled={!canEdit} className="grid gap-4 sm:grid-cols-2">
            <legend className="mb-2 font-semibold">Address</legend>
            <Field label="Street address (optional)" errors={fields.addressLine1.errors} inputProps={{ ...text("addressLine1"), autoComplete: "off" }} />
            <Field label="Apartment, suite (optional)" errors={fields.addressLine2.errors} inputProps={{ ...text("addressLine2"), autoComplete: "off" }} />
            <Field label="City (optional)" errors={fields.city.errors} inputProps={{ ...text("city"), autoComplete: "off" }} />
            <Field label="State or region (optional)" errors={fields.region.errors} inputProps={{ ...text("region"), autoComplete: "off" }} />
            <Field label="Postal code (optional)" errors={fields.postalCode.errors} inputProps={{ ...text("postalCode"), autoComplete: "off" }} />
            <Field label="Country (optional)" errors={fields.country.errors} inputProps={{ ...text("country"), autoComplete: "off" }} />
          </fieldset>
          <fieldset disabled={!canEdit} className="grid gap-4 sm:grid-cols-3">
            <legend className="mb-2 font-semibold">Emergency contact</legend>
            <Field label="Name (optional)" errors={fields.emergencyName.errors} inputProps={{ ...text("emergencyName"), autoComplete: "off" }} />
            <Field label="Relationship (optional)" errors={fields.emergencyRelationship.errors} inputProps={{ ...text("emergencyRelationship"), autoComplete: "off" }} />
            <Field label="Phone (optional)" errors={fields.emergencyPhone.errors} inputProps={text("emergencyPhone", "tel")} />
          </fieldset>
          {canEdit ? (
            <button type="submit" name="intent" value="details" className={buttonClass}>
              Save details
            </button>
          ) : (
            <p className="text-sm text-stone-600">Your role can read these details but not change them.</p>
          )}
        </Form>
      </Card>
      {canMerge ? (
        <p className="text-sm text-stone-700">
          Is there a second record for this person?{" "}
          <Link to="../merge" relative="path" className="font-medium text-brand-700 underline">
            Merge a duplicate into this record
          </Link>
        </p>
      ) : null}
    </div>
  );
}
