import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { Field, FormErrors } from "~/components/field";
import { TextareaField } from "~/components/textarea-field";
import { Card, Notice, buttonClass } from "~/components/ui";
import { accessibleLocations, currentLocation, requirePermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { NO_STORE } from "~/lib/forms.server";
import { formatDateTime } from "~/scheduling/format";
import { listPatientMessages, sendPatientMessage } from "~/patients/patient-messages.server";
import { PatientMessageSchema } from "~/patients/record-schemas";
import type { loader as recordLoader } from "./_app.patients.$patientId";

const STATUS_WORDS: Record<string, string> = { pending: "Queued", sent: "Sent", delivered_local: "Delivered (local)", dead: "Failed", held: "Held", skipped: "Not sent" };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:organization");
  const [rows, locations] = await Promise.all([listPatientMessages(context, session, (params.patientId ?? "").slice(0, 64)), accessibleLocations(context, session)]);
  const zone = currentLocation(session, locations)?.timeZone ?? "UTC";
  return data(
    {
      messages: rows.map((m) => ({ id: m.id, label: m.label, channel: m.channel === "sms" ? "Text" : "Email", to: m.toAddress, subject: m.subject, text: m.text, status: STATUS_WORDS[m.status] ?? m.status, when: formatDateTime(m.createdAt.getTime(), zone) })),
      canSend: can(session.user.role, "message:patient:organization"),
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "message:patient:organization");
  const form = await request.formData();
  const submission = parseWithZod(form, { schema: PatientMessageSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), sent: false }, { status: 400, headers: NO_STORE });
  const sent = await sendPatientMessage(context, session, (params.patientId ?? "").slice(0, 64), submission.value);
  if (!sent.ok) return data({ result: submission.reply(sent.field ? { fieldErrors: { [sent.field]: [sent.message] } } : { formErrors: [sent.message] }), sent: false }, { status: sent.status, headers: NO_STORE });
  return data({ result: submission.reply({ resetForm: true }), sent: true }, { headers: NO_STORE });
}

export default function PatientMessages() {
  const { messages, canSend } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const record = useRouteLoaderData<typeof recordLoader>("routes/_app.patients.$patientId");
  const p = record?.patient;
  const [form, fields] = useForm({ id: "compose", lastResult: answer?.result ?? undefined, shouldValidate: "onSubmit", defaultValue: { channel: p?.smsConsent && p.phone ? "sms" : "email" }, onValidate: ({ formData }) => parseWithZod(formData, { schema: PatientMessageSchema }) });
  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_22rem]">
      <Card title="Messages sent">
        {messages.length === 0 ? (
          <p className="text-stone-600">Nothing has been sent to this patient yet.</p>
        ) : (
          <ul className="divide-y divide-stone-100">
            {messages.map((m) => (
              <li key={m.id} className="py-3">
                <p className="flex flex-wrap gap-x-3 font-medium">
                  <span>{m.label}</span>
                  <span className="font-normal text-stone-600">
                    {m.channel} to {m.to}
                  </span>
                </p>
                {m.text ? <p className="mt-1 whitespace-pre-wrap break-words text-stone-800">{m.text}</p> : <p className="mt-1 break-words text-sm text-stone-700">{m.subject}</p>}
                <p className="mt-1 text-sm text-stone-600">
                  {m.when} · {m.status}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {canSend ? (
        <Card title="Write to the patient">
          <Form method="post" {...getFormProps(form)} className="space-y-3">
            {answer?.sent ? <Notice tone="success">Message queued. It goes out within a minute.</Notice> : null}
            <FormErrors errors={form.errors} />
            <fieldset>
              <legend className="text-sm font-medium">Send by</legend>
              <div className="mt-1 flex gap-4">
                <label className="flex min-h-11 items-center gap-2">
                  <input type="radio" name={fields.channel.name} value="sms" defaultChecked={fields.channel.initialValue === "sms"} className="h-5 w-5" aria-describedby={fields.channel.errors ? "channel-error" : undefined} /> Text
                </label>
                <label className="flex min-h-11 items-center gap-2">
                  <input type="radio" name={fields.channel.name} value="email" defaultChecked={fields.channel.initialValue === "email"} className="h-5 w-5" aria-describedby={fields.channel.errors ? "channel-error" : undefined} /> Email
                </label>
              </div>
              {fields.channel.errors ? <p id="channel-error" className="mt-1 text-sm text-red-700">{fields.channel.errors[0]}</p> : null}
              <p className="mt-1 text-sm text-stone-600">
                {p ? `Agreed to: ${[p.smsConsent && p.phone && "text messages", p.emailConsent && p.email && "email"].filter(Boolean).join(" and ") || "nothing yet (change it on the Details tab)"}` : null}
              </p>
            </fieldset>
            <Field label="Subject (email only, optional)" errors={fields.subject.errors} inputProps={{ ...getInputProps(fields.subject, { type: "text" }), autoComplete: "off" }} />
            <TextareaField label="Message" errors={fields.body.errors} textareaProps={getTextareaProps(fields.body)} />
            <button type="submit" className={buttonClass}>
              Send
            </button>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}
