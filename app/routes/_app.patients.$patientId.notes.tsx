import { getFormProps, getTextareaProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { Pin } from "lucide-react";
import { FormErrors } from "~/components/field";
import { TextareaField } from "~/components/textarea-field";
import { Card, buttonClass } from "~/components/ui";
import { accessibleLocations, currentLocation, requirePermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { NO_STORE } from "~/lib/forms.server";
import { formatDateTime } from "~/scheduling/format";
import { addNote, listNotes, setNotePinned } from "~/patients/notes.server";
import { NoteSchema } from "~/patients/record-schemas";
import type { loader as recordLoader } from "./_app.patients.$patientId";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:organization");
  const [notes, locations] = await Promise.all([listNotes(context, session, (params.patientId ?? "").slice(0, 64)), accessibleLocations(context, session)]);
  const zone = currentLocation(session, locations)?.timeZone ?? "UTC";
  return data(
    { notes: notes.map((n) => ({ id: n.id, body: n.body, pinned: n.pinned, author: n.authorName, when: formatDateTime(n.createdAt.getTime(), zone) })), canWrite: can(session.user.role, "note:patient:organization") },
    { headers: NO_STORE },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "note:patient:organization");
  const patientId = (params.patientId ?? "").slice(0, 64);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "pin" || intent === "unpin") {
    const changed = await setNotePinned(context, session, patientId, String(form.get("noteId") ?? ""), intent === "pin");
    if (!changed) return data({ result: null, message: "That note was not found." }, { status: 404, headers: NO_STORE });
    return data({ result: null, message: intent === "pin" ? "Note pinned to the top of the record." : "Note unpinned." }, { headers: NO_STORE });
  }
  if (intent !== "add") return data({ result: null, message: "Unknown action." }, { status: 400, headers: NO_STORE });
  const submission = parseWithZod(form, { schema: NoteSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), message: null }, { status: 400, headers: NO_STORE });
  if (!(await addNote(context, session, patientId, submission.value))) return data({ result: null, message: "That patient was not found." }, { status: 404, headers: NO_STORE });
  return data({ result: submission.reply({ resetForm: true }), message: "Note saved." }, { headers: NO_STORE });
}

export default function PatientNotes() {
  const { notes, canWrite } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const record = useRouteLoaderData<typeof recordLoader>("routes/_app.patients.$patientId");
  const [form, fields] = useForm({ id: "note", lastResult: answer?.result ?? undefined, shouldValidate: "onSubmit", onValidate: ({ formData }) => parseWithZod(formData, { schema: NoteSchema }) });
  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_22rem]">
      <Card title="Staff notes">
        {answer?.message ? <p role="status" className="mb-3 text-emerald-800">{answer.message}</p> : null}
        {notes.length === 0 ? (
          <p className="text-stone-600">No notes yet. Notes are for staff only; the patient never sees them.</p>
        ) : (
          <ul className="divide-y divide-stone-100">
            {notes.map((n) => (
              <li key={n.id} className="py-3">
                <div className="flex flex-wrap items-start gap-2">
                  {n.pinned ? (
                    <span className="inline-flex items-center gap-1 rounded-full bg-sky-100 px-2 py-0.5 text-xs font-semibold text-sky-900">
                      <Pin aria-hidden="true" className="h-3 w-3" /> Pinned
                    </span>
                  ) : null}
                  <p className="min-w-0 grow whitespace-pre-wrap break-words">{n.body}</p>
                </div>
                <div className="mt-1 flex flex-wrap items-center gap-3 text-sm text-stone-600">
                  <span>
                    {n.author} · {n.when}
                  </span>
                  {canWrite ? (
                    <Form method="post">
                      <input type="hidden" name="noteId" value={n.id} />
                      <button type="submit" name="intent" value={n.pinned ? "unpin" : "pin"} className="min-h-11 font-medium text-brand-700 underline">
                        {n.pinned ? "Unpin" : "Pin to top"}
                      </button>
                    </Form>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {canWrite ? (
        <Card title="Add a note">
          <Form method="post" {...getFormProps(form)} className="space-y-3">
            <FormErrors errors={form.errors} />
            <TextareaField label={<>Note about {record?.patient.preferredName ?? record?.patient.firstName ?? "the patient"}</>} errors={fields.body.errors} textareaProps={getTextareaProps(fields.body)} />
            <label className="flex min-h-11 items-center gap-3">
              <input {...getInputProps(fields.pinned, { type: "checkbox" })} key={fields.pinned.key} className="h-5 w-5" /> Pin to the top of the record
            </label>
            <button type="submit" name="intent" value="add" className={buttonClass}>
              Save note
            </button>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}
