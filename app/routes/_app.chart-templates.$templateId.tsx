import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorList } from "~/components/field";
import { Card, Notice, PageHeader, buttonClass, inputClass, secondaryButtonClass } from "~/components/ui";
import { notFound, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { FIELD_TYPES, FIELD_TYPE_LABELS } from "~/charting/template";
import { fieldIdFrom, findTemplate, saveTemplateVersion, withField, withFieldMoved, withoutField } from "~/charting/templates-admin.server";

export const meta: MetaFunction = () => [{ title: "Chart template · Atrium" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "manage:chart_template:organization");
  const found = await findTemplate(context, session.user.organizationId, params.templateId ?? "");
  if (!found) throw notFound("No chart template with that id in your organization.");
  return data({ id: found.template.id, name: found.template.name, version: found.version.version, sections: found.version.sections }, { headers: NO_STORE });
}

const FieldForm = z.object({
  section: z.string({ required_error: "Name the section, like “Assessment”." }).trim().min(1, "Name the section.").max(80, "Keep the section name under 80 characters."),
  label: z.string({ required_error: "Give the field a label." }).trim().min(1, "Give the field a label.").max(120, "Keep the label under 120 characters."),
  type: z.enum(FIELD_TYPES, { errorMap: () => ({ message: "Choose the kind of answer." }) }),
  unit: z.string().trim().max(16, "Keep the unit short, like ml or %.").optional(),
  options: z.string().max(3000).optional(),
  required: z.literal("on").optional(),
  patientVisible: z.literal("on").optional(),
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "manage:chart_template:organization");
  const found = await findTemplate(context, session.user.organizationId, params.templateId ?? "");
  if (!found) throw notFound("No chart template with that id in your organization.");
  const form = await request.formData();
  const fromVersion = Number(form.get("version"));
  if (fromVersion !== found.version.version) return data({ message: "Someone changed this template meanwhile. This is the latest version; make your change again.", errors: {} as Record<string, string[] | undefined> }, { status: 409, headers: NO_STORE });
  const intent = String(form.get("intent") ?? "");
  let next: ReturnType<typeof withField>;
  if (intent === "add") {
    const parsed = FieldForm.safeParse(Object.fromEntries(form));
    if (!parsed.success) return data({ message: "Check the new field.", errors: parsed.error.flatten().fieldErrors as Record<string, string[] | undefined> }, { status: 400, headers: NO_STORE });
    const v = parsed.data;
    const options = (v.options ?? "").split(/\r?\n/).map((o) => o.trim()).filter(Boolean);
    if ((v.type === "choice" || v.type === "multi_choice") && !options.length) return data({ message: "Check the new field.", errors: { options: ["List the choices, one per line."] } as Record<string, string[] | undefined> }, { status: 400, headers: NO_STORE });
    next = withField(found.version.sections, v.section, { id: fieldIdFrom(v.label), label: v.label, type: v.type, ...(v.type === "number" && v.unit ? { unit: v.unit } : {}), ...(options.length && (v.type === "choice" || v.type === "multi_choice") ? { options } : {}), required: v.required === "on", patientVisible: v.patientVisible === "on" });
  } else if (intent === "remove") next = withoutField(found.version.sections, String(form.get("fieldId") ?? ""));
  else if (intent === "up" || intent === "down") next = withFieldMoved(found.version.sections, String(form.get("fieldId") ?? ""), intent);
  else return data({ message: "Unknown action.", errors: {} as Record<string, string[] | undefined> }, { status: 400, headers: NO_STORE });
  if (typeof next === "string") return data({ message: next, errors: {} as Record<string, string[] | undefined> }, { status: 400, headers: NO_STORE });
  const saved = await saveTemplateVersion(context, session, found.template.id, fromVersion, next);
  if (!saved.ok) return data({ message: saved.message, errors: {} as Record<string, string[] | undefined> }, { status: saved.status, headers: NO_STORE });
  return data({ message: `Saved as version ${saved.version}. New charts use it; charts already started keep theirs.`, errors: null }, { headers: NO_STORE });
}

export default function ChartTemplatePage() {
  const { name, version, sections } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const errors = answer?.errors ?? {};
  const err = (k: string) => errors[k];
  return (
    <>
      <PageHeader title={name} description={`Version ${version}`} actions={<Link to="/chart-templates" className={secondaryButtonClass}>All templates</Link>} />
      {answer ? <div className="mb-4"><Notice tone={answer.errors ? "error" : "success"}>{answer.message}</Notice></div> : null}
      <div className="grid gap-6 xl:grid-cols-[1fr_24rem]">
        <Card title="Fields">
          <div className="space-y-5">
            {sections.map((section) => (
              <section key={section.title}>
                <h2 className="font-semibold">{section.title}</h2>
                <ul className="mt-1 divide-y divide-stone-100">
                  {section.fields.map((f, i) => (
                    <li key={f.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                      <div className="min-w-0">
                        <p className="font-medium">{f.label}</p>
                        <p className="text-sm text-stone-700">
                          {FIELD_TYPE_LABELS[f.type]}
                          {f.unit ? ` (${f.unit})` : ""}
                          {f.options ? `: ${f.options.join(", ")}` : ""}
                          {f.required ? " · required to sign" : ""}
                          {f.patientVisible ? " · patient sees this" : ""}
                        </p>
                      </div>
                      <Form method="post" className="flex gap-1">
                        <input type="hidden" name="version" value={version} />
                        <input type="hidden" name="fieldId" value={f.id} />
                        <button type="submit" name="intent" value="up" disabled={i === 0} className="min-h-11 rounded-lg border border-stone-300 px-3 text-sm disabled:opacity-40" aria-label={`Move ${f.label} up`}>Up</button>
                        <button type="submit" name="intent" value="down" disabled={i === section.fields.length - 1} className="min-h-11 rounded-lg border border-stone-300 px-3 text-sm disabled:opacity-40" aria-label={`Move ${f.label} down`}>Down</button>
                        <button type="submit" name="intent" value="remove" className="min-h-11 rounded-lg border border-red-300 px-3 text-sm text-red-800" aria-label={`Remove ${f.label}`}>Remove</button>
                      </Form>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        </Card>
        <Card title="Add a field">
          <Form method="post" className="space-y-3">
            <input type="hidden" name="version" value={version} />
            <input type="hidden" name="intent" value="add" />
            <div>
              <label htmlFor="f-section" className="block text-sm font-medium">Section</label>
              <input id="f-section" name="section" list="f-sections" defaultValue={sections.at(-1)?.title} className={inputClass} aria-invalid={err("section") ? true : undefined} aria-describedby={err("section") ? "f-section-error" : undefined} />
              <datalist id="f-sections">{sections.map((s) => <option key={s.title} value={s.title} />)}</datalist>
              <ErrorList id="f-section-error" errors={err("section")} />
            </div>
            <div>
              <label htmlFor="f-label" className="block text-sm font-medium">Label</label>
              <input id="f-label" name="label" className={inputClass} aria-invalid={err("label") ? true : undefined} aria-describedby={err("label") ? "f-label-error" : undefined} />
              <ErrorList id="f-label-error" errors={err("label")} />
            </div>
            <div>
              <label htmlFor="f-type" className="block text-sm font-medium">Kind of answer</label>
              <select id="f-type" name="type" className={inputClass} aria-invalid={err("type") ? true : undefined} aria-describedby={err("type") ? "f-type-error" : undefined}>
                {FIELD_TYPES.map((t) => <option key={t} value={t}>{FIELD_TYPE_LABELS[t]}</option>)}
              </select>
              <ErrorList id="f-type-error" errors={err("type")} />
            </div>
            <div>
              <label htmlFor="f-unit" className="block text-sm font-medium">Unit (numbers only)</label>
              <input id="f-unit" name="unit" className={inputClass} aria-invalid={err("unit") ? true : undefined} aria-describedby={err("unit") ? "f-unit-error" : undefined} />
              <ErrorList id="f-unit-error" errors={err("unit")} />
            </div>
            <div>
              <label htmlFor="f-options" className="block text-sm font-medium">Choices, one per line (choice fields)</label>
              <textarea id="f-options" name="options" rows={3} className={inputClass} aria-invalid={err("options") ? true : undefined} aria-describedby={err("options") ? "f-options-error" : undefined} />
              <ErrorList id="f-options-error" errors={err("options")} />
            </div>
            <label className="flex min-h-11 items-center gap-2"><input type="checkbox" name="required" className="h-5 w-5" /> Required before the chart is signed</label>
            <label className="flex min-h-11 items-center gap-2"><input type="checkbox" name="patientVisible" className="h-5 w-5" /> The patient sees this answer</label>
            <button type="submit" className={buttonClass}>Add field</button>
          </Form>
        </Card>
      </div>
    </>
  );
}
