import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { formatCalendarDate } from "~/scheduling/format";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { EmptyState, PageHeader, buttonClass, inputClass, secondaryButtonClass } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { NO_STORE } from "~/lib/forms.server";
import { PATIENT_LAST_PAGE, PATIENT_PAGE_SIZE, searchPatients } from "~/patients/patients.server";
import { SEARCH_COUNT_CAP } from "~/patients/search-query";
import { PatientSearchSchema } from "~/patients/schemas";
import { openSearch, searchRedirect } from "~/patients/search-param.server";
import { recentlyViewed } from "~/patients/record.server";

export const meta: MetaFunction = () => [{ title: "Patients · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:organization");
  const parsed = PatientSearchSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response("That search could not be read. Search again from the box above.", { status: 400 });
  const { s, page } = parsed.data;
  const q = await openSearch(context, session.id, s ?? null);
  // Another session's (or a damaged) search link: start over rather than guess.
  if (q === null) throw redirect("/patients", { headers: NO_STORE });
  const [{ rows, total, capped, tooShort }, recent] = await Promise.all([searchPatients(context, session, q || undefined, page), q ? [] : recentlyViewed(context, session)]);
  const pages = Math.min(PATIENT_LAST_PAGE, Math.max(1, Math.ceil(total / PATIENT_PAGE_SIZE)));
  return data({ rows, total, capped, tooShort, q, s: s ?? "", page: Math.min(page, pages), pages, recent, canCreate: can(session.user.role, "create:patient:organization") }, { headers: NO_STORE });
}

/** The search box posts here; the results page carries the search sealed, never as typed. */
export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:organization");
  const form = await request.formData();
  return searchRedirect(context, session.id, "/patients", new URLSearchParams(), form.get("q"));
}

export default function PatientsPage() {
  const { rows, total, capped, tooShort, q, s, page, pages, recent, canCreate } = useLoaderData<typeof loader>();
  const count = capped ? `${SEARCH_COUNT_CAP.toLocaleString("en-US")}+` : total.toLocaleString("en-US");
  return (
    <>
      <PageHeader
        title="Patients"
        description={tooShort ? "Type a little more to search" : `${count} ${q ? "matching" : "in your organization"}`}
        actions={canCreate ? <Link to="/patients/new" className={buttonClass}>New patient</Link> : null}
      />
      <Form method="post" role="search" className="mb-4 flex max-w-xl gap-2">
        <label htmlFor="patient-search" className="sr-only">
          Search patients by name, phone, email or date of birth
        </label>
        <input id="patient-search" name="q" defaultValue={q} placeholder="Name, phone, email or date of birth" className={inputClass + " mt-0"} maxLength={100} />
        <button type="submit" className={secondaryButtonClass}>
          Search
        </button>
      </Form>
      {recent.length ? (
        <nav aria-label="Recently viewed" className="mb-4">
          <h2 className="mb-2 text-sm font-semibold uppercase tracking-wide text-stone-600">Recently viewed</h2>
          <ul className="flex flex-wrap gap-2">
            {recent.map((p) => (
              <li key={p.id}>
                <Link to={`/patients/${p.id}`} className="inline-flex min-h-11 items-center rounded-full border border-stone-300 bg-white px-4 font-medium text-brand-800 hover:bg-stone-100">
                  {p.firstName} {p.lastName}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {tooShort ? (
        <EmptyState title="Type a little more">Search with at least two letters of a name, three digits of a phone number, an email or a date of birth (like 4/12/1986).</EmptyState>
      ) : rows.length === 0 ? (
        <EmptyState title={q ? "No patients match that search" : "No patients yet"}>
          {q ? "Check the spelling, or search by phone number or email instead." : "Patients you add, and those who book online, will be listed here."}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white" tabIndex={0} role="region" aria-label="Patients found">
          <table className="w-full text-left">
            <caption className="sr-only">Patients</caption>
            <thead className="bg-stone-100 text-sm">
              <tr>
                <th scope="col" className="px-4 py-3">Name</th>
                <th scope="col" className="px-4 py-3">Date of birth</th>
                <th scope="col" className="px-4 py-3">Phone</th>
                <th scope="col" className="hidden px-4 py-3 lg:table-cell">Email</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {rows.map((p) => (
                <tr key={p.id}>
                  <td className="px-4 py-3">
                    <Link to={`/patients/${p.id}`} className="font-medium text-brand-700 underline">
                      {p.lastName}, {p.firstName}
                    </Link>
                  </td>
                  <td className="px-4 py-3">{formatCalendarDate(p.dateOfBirth)}</td>
                  <td className="px-4 py-3">{p.phone}</td>
                  <td className="hidden px-4 py-3 lg:table-cell">{p.email}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 ? (
        <nav aria-label="Pages" className="mt-4 flex items-center gap-3">
          {page > 1 ? <Link className={secondaryButtonClass} to={`?${new URLSearchParams({ ...(s ? { s } : {}), page: String(page - 1) })}`}>Previous</Link> : null}
          <span className="text-sm text-stone-700">
            Page {page} of {pages}
            {capped ? ` · showing the first ${SEARCH_COUNT_CAP.toLocaleString("en-US")}; add more of the name to narrow` : ""}
          </span>
          {page < pages ? <Link className={secondaryButtonClass} to={`?${new URLSearchParams({ ...(s ? { s } : {}), page: String(page + 1) })}`}>Next</Link> : null}
        </nav>
      ) : null}
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
