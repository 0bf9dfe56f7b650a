import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect } from "react";
import { Card, EmptyState, Notice, PageHeader } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { formatLocalNow, workingLocationOverview } from "~/locations/locations.server";
import { DayList } from "~/scheduling/day-list";
import { todayList } from "~/scheduling/schedule.server";
import { NO_STORE } from "~/lib/forms.server";
import { StorageStatus } from "~/pwa/storage-status";
import { saveDay } from "~/pwa/offline-store";
import { useOfflineOutbox } from "~/pwa/use-offline-outbox";

export const meta: MetaFunction = () => [{ title: "My day · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:queue:own");
  const overview = await workingLocationOverview(context, session);
  return data(
    {
      name: session.user.name,
      location: overview && { name: overview.location.name, localNow: formatLocalNow(context.clock.now(), overview.location.timeZone) },
      rooms: overview?.rooms ?? [],
      queue: overview ? await todayList(context, session.user, overview.location, session.user.id) : [],
    },
    { headers: NO_STORE },
  );
}

/** The provider's tablet home: big targets, readable at arm's length, either orientation. */
export default function ProviderDayPage() {
  const { name, location, rooms, queue } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const revalidate = useCallback(() => revalidator.revalidate(), [revalidator]);
  const outbox = useOfflineOutbox(revalidate);
  // Keep this day on the tablet, so it can be shown (with its age) when the network is gone.
  useEffect(() => {
    if (location) void saveDay({ savedAt: Date.now(), providerName: name, locationName: location.name, items: queue.map((q) => ({ id: q.id, time: q.time, patient: q.patient, serviceName: q.serviceName, status: q.status })) }).catch(() => undefined);
  }, [name, location, queue]);
  return (
    <>
      <PageHeader title="My day" description={location ? `${name} · ${location.name} · ${location.localNow}` : name} />
      {outbox.notice ? <div className="mb-4"><Notice tone="info">{outbox.notice}{outbox.pending ? ` Waiting to send: ${outbox.pending}.` : ""}</Notice></div> : null}
      {/* Captures submits before Remix does, so a change made offline is kept, not lost. */}
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]" data-offline-outbox onSubmitCapture={outbox.onSubmitCapture}>
        <Card title="My patients today">
          <DayList items={queue} redirectTo="/provider" large empty="When patients are booked with you today they appear here; take checked-in patients to a room and complete the visit with one tap." />
        </Card>
        <Card title="My status">
          <div className="grid grid-cols-3 gap-2">
            {(["available", "documenting", "on_break"] as const).map((state) => (
              <Form key={state} method="post" action="/board">
                <input type="hidden" name="intent" value="my-status" />
                <input type="hidden" name="state" value={state} />
                <button type="submit" className="min-h-12 w-full rounded-lg border border-brand-600 bg-white px-2 font-semibold text-brand-800 hover:bg-brand-50">
                  {state === "available" ? "Available" : state === "documenting" ? "Documenting" : "On break"}
                </button>
              </Form>
            ))}
          </div>
          <StorageStatus />
          <p className="mt-2 text-sm text-stone-700">Taking a patient to a room sets “with patient”; completing sets “documenting”. <Link to="/board" className="font-medium text-brand-700 underline">Open the floor</Link></p>
        </Card>
        <Card title="Rooms">
          {rooms.length ? (
            <ul className="grid grid-cols-2 gap-3">
              {rooms.map((r) => (
                <li key={r.id} className="flex min-h-20 flex-col justify-center rounded-lg border border-stone-200 bg-stone-50 px-4">
                  <span className="text-lg font-semibold">{r.name}</span>
                  <span className="text-sm capitalize text-stone-600">{r.roomType}</span>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title="No rooms at this location">A manager adds rooms in Settings → Locations.</EmptyState>
          )}
        </Card>
      </div>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
