import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Card, Notice, dangerButtonClass, inputClass, secondaryButtonClass } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { formatCalendarDate } from "~/scheduling/format";
import { searchPatients } from "~/patients/patients.server";
import { openSearch, searchRedirect } from "~/patients/search-param.server";
import { mergePatients } from "~/patients/merge.server";
import { mergePreview } from "~/patients/merge-preview.server";
import { MergeSchema } from "~/patients/record-schemas";

/**
 * Merge a duplicate into this record: find the other record (the search is sealed like the
 * patients page's), compare the two side by side, confirm, merge (merge.server.ts).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "merge:patient:organization");
  const keepId = (params.patientId ?? "").slice(0, 64);
  const url = new URL(request.url);
  const q = await openSearch(context, session.id, url.searchParams.get("s"));
  if (q === null) throw redirect(url.pathname, { headers: NO_STORE });
  const duplicateId = url.searchParams.get("duplicate");
  const [found, preview] = await Promise.all([q ? searchPatients(context, session, q, 1) : null, duplicateId ? mergePreview(context, session, keepId, duplicateId) : null]);
  return data({ q, matches: found ? found.rows.filter((r) => r.id !== keepId) : null, preview, s: url.searchParams.get("s") ?? "" }, { headers: NO_STORE });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "merge:patient:organization");
  const keepId = (params.patientId ?? "").slice(0, 64);
  const form = await request.formData();
  if (form.get("intent") === "search") return searchRedirect(context, session.id, `/patients/${keepId}/merge`, new URLSearchParams(), form.get("q"));
  if (form.get("intent") !== "merge") return data({ message: "Unknown action." }, { status: 400, headers: NO_STORE });
  const parsed = MergeSchema.safeParse({ duplicateId: form.get("duplicateId") ?? undefined, confirm: form.get("confirm") === "on" });
  if (!parsed.success) return data({ message: parsed.error.issues[0].message }, { status: 400, headers: NO_STORE });
  const result = await mergePatients(context, session, keepId, parsed.data.duplicateId);
  if (!result.ok) return data({ message: result.message }, { status: result.status, headers: NO_STORE });
  return redirect(`/patients/${keepId}?merged=1`, { status: 303, headers: NO_STORE });
}

function Summary({ title, p }: { title: string; p: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["preview"]>["keep"] }) {
  return (
    <Card title={title}>
      <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
        <dt className="text-stone-600">Name</dt>
        <dd className="font-medium">
          {p.firstName} {p.lastName}
        </dd>
        <dt className="text-stone-600">Born</dt>
        <dd>{formatCalendarDate(p.dateOfBirth)}</dd>
        <dt className="text-stone-600">Phone</dt>
        <dd>{p.phone ?? "—"}</dd>
        <dt className="text-stone-600">Email</dt>
        <dd className="break-all">{p.email ?? "—"}</dd>
        <dt className="text-stone-600">Visits</dt>
        <dd>{p.visits}</dd>
        <dt className="text-stone-600">Notes</dt>
        <dd>{p.notes}</dd>
        <dt className="text-stone-600">Portal</dt>
        <dd>{p.portal ? "Has a sign-in" : "No sign-in"}</dd>
      </dl>
    </Card>
  );
}

export default function MergePatient() {
  const { q, matches, preview, s } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  return (
    <div className="space-y-4">
      <Card title="Merge a duplicate into this record">
        <p className="mb-3 text-stone-700">Find the other record of the same person. Its visits, waitlist places, notes, allergies, medications and messages move to this record, and details this record lacks are filled from it. The other record then leads here.</p>
        <Form method="post" role="search" className="flex max-w-xl gap-2">
          <label htmlFor="merge-search" className="sr-only">
            Find the duplicate by name, phone, email or date of birth
          </label>
          <input id="merge-search" name="q" defaultValue={q} placeholder="Name, phone, email or date of birth" maxLength={100} className={inputClass + " mt-0"} />
          <button type="submit" name="intent" value="search" className={secondaryButtonClass}>
            Find
          </button>
        </Form>
        {matches ? (
          matches.length ? (
            <ul aria-label="Possible duplicates" className="mt-3 divide-y divide-stone-100">
              {matches.map((m) => (
                <li key={m.id} className="flex flex-wrap items-center gap-3 py-2">
                  <span className="grow">
                    {m.lastName}, {m.firstName} · born {formatCalendarDate(m.dateOfBirth)}
                    {m.phone ? ` · ${m.phone}` : ""}
                  </span>
                  <Link to={`?${new URLSearchParams({ s, duplicate: m.id })}`} className="inline-flex min-h-11 items-center font-medium text-brand-700 underline" aria-label={`Compare ${m.firstName} ${m.lastName}, born ${formatCalendarDate(m.dateOfBirth)}`}>
                    Compare
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-3 text-stone-700">No other record matches that search.</p>
          )
        ) : null}
      </Card>
      {preview ? (
        <>
          <div className="grid gap-4 md:grid-cols-2">
            <Summary title="Keep this record" p={preview.keep} />
            <Summary title="Merge this one into it" p={preview.duplicate} />
          </div>
          <Form method="post" className="space-y-3 rounded-xl border border-red-200 bg-red-50 p-4">
            {answer?.message ? <Notice tone="error">{answer.message}</Notice> : null}
            <input type="hidden" name="duplicateId" value={preview.duplicate.id} />
            <label className="flex min-h-11 items-center gap-3">
              <input type="checkbox" name="confirm" className="h-5 w-5" required /> These are the same person. Merge {preview.duplicate.firstName} {preview.duplicate.lastName} (born {formatCalendarDate(preview.duplicate.dateOfBirth)}) into this record.
            </label>
            <button type="submit" name="intent" value="merge" className={dangerButtonClass}>
              Merge records
            </button>
          </Form>
        </>
      ) : answer?.message ? (
        <Notice tone="error">{answer.message}</Notice>
      ) : null}
    </div>
  );
}
