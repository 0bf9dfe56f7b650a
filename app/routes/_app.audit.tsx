import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { calendarDate } from "~/lib/calendar-date";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { EmptyState, PageHeader, inputClass, secondaryButtonClass } from "~/components/ui";
import { AUDIT_PAGE_SIZE, listAuditEvents } from "~/audit/audit.server";
import { accessibleLocations, currentLocation, requirePermission } from "~/auth/guards.server";
import { formatMoment } from "~/scheduling/format";
import { localDay } from "~/scheduling/local-time";
import { NO_STORE } from "~/lib/forms.server";

export const meta: MetaFunction = () => [{ title: "Audit log · Atrium" }];

const FilterSchema = z.object({
  action: z.string().trim().max(60).regex(/^[a-z_.]*$/, "Actions use lower-case letters, dots and underscores.").optional(),
  outcome: z.enum(["allowed", "denied", "failed"]).optional().or(z.literal("").transform(() => undefined)),
  entityId: z.string().trim().max(64).optional(),
  from: calendarDate("Use a real date like 2026-11-23 for the first day.").optional().or(z.literal("").transform(() => undefined)),
  to: calendarDate("Use a real date like 2026-11-30 for the last day.").optional().or(z.literal("").transform(() => undefined)),
  before: z.coerce.number().int().positive().optional(),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:audit:organization");
  // Days and times are the viewer's working location's (an organization-wide log, read somewhere).
  const timeZone = currentLocation(session, await accessibleLocations(context, session))?.timeZone ?? "UTC";
  const raw = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = FilterSchema.safeParse(raw);
  if (!parsed.success) throw new Response("Those filters could not be read: " + parsed.error.issues.map((i) => i.message).join(" "), { status: 400 });
  const f = parsed.data;
  const rows = await listAuditEvents(context, session.user.organizationId, {
    action: f.action,
    outcome: f.outcome,
    entityId: f.entityId,
    from: f.from ? new Date(localDay(timeZone, f.from).start) : undefined,
    to: f.to ? new Date(localDay(timeZone, f.to).end) : undefined,
    before: f.before,
  });
  const hasMore = rows.length > AUDIT_PAGE_SIZE;
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  const next = new URLSearchParams(Object.entries({ ...raw, before: String(page.at(-1)?.id ?? "") }));
  return data(
    {
      filters: { action: f.action ?? "", outcome: f.outcome ?? "", entityId: f.entityId ?? "", from: f.from ?? "", to: f.to ?? "" },
      timeZone,
      events: page.map((e) => ({ ...e, createdAt: formatMoment(e.createdAt.getTime(), timeZone) })),
      nextHref: hasMore ? `?${next}` : null,
    },
    { headers: NO_STORE },
  );
}

export default function AuditPage() {
  const { filters, events, nextHref, timeZone } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Audit log" description="Every sign-in, permission denial and access to patient records. Records' contents are never stored here." />
      <Form method="get" className="mb-4 grid gap-3 rounded-xl border border-stone-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-6">
        <div>
          <label htmlFor="f-action" className="text-sm font-medium">Action starts with</label>
          <input id="f-action" name="action" defaultValue={filters.action} placeholder="patient." className={inputClass} />
        </div>
        <div>
          <label htmlFor="f-outcome" className="text-sm font-medium">Outcome</label>
          <select id="f-outcome" name="outcome" defaultValue={filters.outcome} className={inputClass}>
            <option value="">Any</option>
            <option value="allowed">Allowed</option>
            <option value="denied">Denied</option>
            <option value="failed">Failed</option>
          </select>
        </div>
        <div>
          <label htmlFor="f-entity" className="text-sm font-medium">Record id</label>
          <input id="f-entity" name="entityId" defaultValue={filters.entityId} className={inputClass} />
        </div>
        <div>
          <label htmlFor="f-from" className="text-sm font-medium">From (UTC)</label>
          <input id="f-from" name="from" type="date" defaultValue={filters.from} className={inputClass} />
        </div>
        <div>
          <label htmlFor="f-to" className="text-sm font-medium">To (UTC)</label>
          <input id="f-to" name="to" type="date" defaultValue={filters.to} className={inputClass} />
        </div>
        <div className="flex items-end">
          <button type="submit" className={secondaryButtonClass}>Filter</button>
        </div>
      </Form>
      {events.length === 0 ? (
        <EmptyState title="No events match">Sign-ins, permission denials and every access to patient records are recorded here as they happen.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white" tabIndex={0} role="region" aria-label="Audit events">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Audit events, newest first</caption>
            <thead className="bg-stone-100">
              <tr>
                {[`When (${timeZone.replace("_", " ")})`, "Action", "Outcome", "Who", "Record", "Reason", "From"].map((h) => (
                  <th key={h} scope="col" className="px-3 py-2">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {events.map((e) => (
                <tr key={e.id}>
                  <td className="whitespace-nowrap px-3 py-2">{e.createdAt}</td>
                  <td className="px-3 py-2 font-mono">{e.action}</td>
                  <td className={`px-3 py-2 ${e.outcome === "allowed" ? "text-emerald-800" : "text-red-800"}`}>{e.outcome}</td>
                  <td className="px-3 py-2">{e.actorName ? <>{e.actorName}<span className="block text-xs text-stone-600">{e.actorRole?.replace("_", " ")}</span></> : e.actorRole ? e.actorRole.replace("_", " ") : "Someone not signed in"}</td>
                  <td className="px-3 py-2 font-mono">{e.entityType ? `${e.entityType}${e.entityId ? ` ${e.entityId.slice(0, 8)}` : ""}` : ""}</td>
                  <td className="px-3 py-2">{e.reason}</td>
                  <td className="px-3 py-2">{e.ip}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextHref ? <Link to={nextHref} className={`${secondaryButtonClass} mt-4`}>Older events</Link> : null}
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
