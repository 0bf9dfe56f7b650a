import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef } from "react";
import { Card, EmptyState, Notice, PageHeader } from "~/components/ui";
import { accessibleLocations, currentLocation, requirePermission } from "~/auth/guards.server";
import { formatLocalNow } from "~/locations/locations.server";
import { DayList } from "~/scheduling/day-list";
import { todayList } from "~/scheduling/schedule.server";
import { NO_STORE } from "~/lib/forms.server";
import { audit } from "~/audit/audit.server";
import { boardToken, loadBoardSnapshot, publishBoard } from "~/board/board.server";
import { LiveIndicator } from "~/board/board-view";
import { MyRooms, MyStatus } from "~/board/provider-floor";
import { useBoardClock, useLiveBoard } from "~/board/use-live-board";
import { StorageStatus } from "~/pwa/storage-status";
import { saveDay } from "~/pwa/offline-store";
import { currentOfflineKey, rememberOfflineKey } from "~/pwa/offline-key";
import { offlineKeyGrant } from "~/pwa/offline-key.server";
import { useOfflineOutbox } from "~/pwa/use-offline-outbox";
import { KeepTodaysCharts } from "~/charting/keep-todays-charts";

export const meta: MetaFunction = () => [{ title: "My day · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:queue:own");
  const location = currentLocation(session, await accessibleLocations(context, session));
  // The key that seals this provider's offline copy of the day on the tablet (ADR 018).
  const offline = await offlineKeyGrant(context.env, session.user.id, context.clock.now().getTime(), session.idleMinutes * 60_000);
  if (!location) return data({ userId: session.user.id, name: session.user.name, location: null, queue: [], floor: null, offline }, { headers: NO_STORE });
  const [queue, snapshot, live] = await Promise.all([todayList(context, session.user, location, session.user.id), loadBoardSnapshot(context, session.user, location), boardToken(context, session, location.id, false)]);
  // As on the desk's board: the room is current before this tablet joins it.
  if (live) await publishBoard(context, session.user, location, snapshot);
  await audit(context, { actor: session.user, action: "board.read", entityType: "location", entityId: location.id, outcome: "allowed", reason: "provider" });
  return data(
    {
      userId: session.user.id,
      name: session.user.name,
      location: { name: location.name, localNow: formatLocalNow(context.clock.now(), location.timeZone) },
      queue,
      floor: { snapshot, live: live && { url: live.url, token: live.token, locationId: location.id, privacy: false } },
      offline,
    },
    { headers: NO_STORE },
  );
}

/** The provider's tablet home: big targets, readable at arm's length, either orientation. */
export default function ProviderDayPage() {
  const { userId, name, location, queue, floor, offline } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const revalidate = useCallback(() => revalidator.revalidate(), [revalidator]);
  const outbox = useOfflineOutbox(userId, revalidate);
  // Keep this day on the tablet, sealed for this provider, so it can be shown (with its age) when
  // the network is gone — to them only.
  const { refresh } = outbox;
  useEffect(() => {
    rememberOfflineKey(offline);
    // The outbox may have looked before this key was here (a different user's, or none): look again.
    void refresh();
    if (!location) return;
    const day = { savedAt: Date.now(), providerName: name, locationName: location.name, items: queue.map((q) => ({ id: q.id, time: q.time, patient: q.patient, serviceName: q.serviceName, status: q.status })) };
    void currentOfflineKey()
      .then((opened) => (opened && opened.userId === userId ? saveDay(opened.key, userId, day) : undefined))
      .catch(() => undefined);
  }, [userId, name, location, queue, offline, refresh]);
  return (
    <>
      <PageHeader title="My day" description={location ? `${name} · ${location.name} · ${location.localNow}` : name} />
      {outbox.notice ? <div className="mb-4"><Notice tone="info">{outbox.notice}{outbox.pending ? ` Waiting to send: ${outbox.pending}.` : ""}</Notice></div> : null}
      {outbox.othersWaiting ? (
        <div className="mb-4">
          <Notice tone="info">{outbox.othersWaiting} change{outbox.othersWaiting === 1 ? "" : "s"} made offline on this tablet by someone else {outbox.othersWaiting === 1 ? "is" : "are"} kept for them and will be sent when they sign in here.</Notice>
        </div>
      ) : null}
      {/* Captures submits before Remix does, so a change made offline is kept, not lost. */}
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-[2fr_1fr]" data-offline-outbox onSubmitCapture={outbox.onSubmitCapture}>
        <Card title="My patients today">
          <DayList items={queue} redirectTo="/provider" large charting empty="When patients are booked with you today they appear here; take checked-in patients to a room and complete the visit with one tap." />
          <KeepTodaysCharts userId={userId} visits={queue} onKept={revalidate} />
        </Card>
        {floor ? (
          <LiveFloor userId={userId} floor={floor} onMineChanged={revalidate} />
        ) : (
          <Card title="Rooms">
            <EmptyState title="You're not assigned to a location yet">Ask a manager to add you to a location in Settings → Staff.</EmptyState>
          </Card>
        )}
      </div>
    </>
  );
}

type Floor = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["floor"]>;

/** My status and the rooms, kept live over the location's room; my queue reloads when a patient of mine checks in. */
function LiveFloor({ userId, floor, onMineChanged }: { userId: string; floor: Floor; onMineChanged: () => void }) {
  const { snapshot, status } = useLiveBoard(floor.snapshot, floor.live);
  const now = useBoardClock(snapshot);
  // Someone at the desk checked in (or roomed) one of my patients: my queue's statuses changed.
  const mine = snapshot.waiting.filter((w) => w.providerId === userId).map((w) => w.appointmentId).join() + "|" + (snapshot.providers.find((p) => p.id === userId)?.patient?.name ?? "");
  const seen = useRef(mine);
  useEffect(() => {
    if (seen.current === mine) return;
    seen.current = mine;
    onMineChanged();
  }, [mine, onMineChanged]);
  return (
    <div className="space-y-6">
      <Card title="My status">
        <div className="mb-3">
          <LiveIndicator status={status} />
        </div>
        <MyStatus snapshot={snapshot} userId={userId} now={now} />
        <StorageStatus />
        <p className="mt-2 text-sm text-stone-700">Taking a patient to a room sets “with patient”; completing sets “documenting”. <Link to="/board" className="font-medium text-brand-700 underline">Open the floor</Link></p>
      </Card>
      <Card title="Rooms">
        {snapshot.rooms.length ? <MyRooms snapshot={snapshot} userId={userId} now={now} /> : <EmptyState title="No rooms at this location">A manager adds rooms in Settings → Locations.</EmptyState>}
      </Card>
    </div>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
