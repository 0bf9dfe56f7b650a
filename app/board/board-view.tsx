import { Form } from "@remix-run/react";
import type { BoardSnapshot, Person } from "./snapshot";
import { RoomPicker } from "./room-picker";
import type { LiveStatus } from "./use-live-board";

export const ROOM_STYLE = { free: "border-emerald-300 bg-emerald-50", occupied: "border-sky-300 bg-sky-50", turnover: "border-amber-300 bg-amber-50" } as const;
export const ROOM_LABEL = { free: "Free", occupied: "Occupied", turnover: "Being turned over" } as const;
/** Who is on shift now, later or done for the day, in the same words on every screen. */
const SHIFT_LABEL = { now: (t: string) => `On shift until ${t}`, later: (t: string) => `On shift later, from ${t}`, done: () => "Done for the day", off: () => "Not working today" } as const;
const PROVIDER_LABEL = { available: "Available", with_patient: "With patient", documenting: "Documenting", on_break: "On break" } as const;

export function minutesSince(since: number | null, now: number) {
  if (since === null) return "";
  const m = Math.max(0, Math.floor((now - since) / 60_000));
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

const name = (p: Person | null, privacy: boolean) => (p ? (privacy ? p.initials : p.name) : "");

export function LiveIndicator({ status }: { status: LiveStatus }) {
  const text = { static: "Updates when you reload", connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting… what you see may be out of date", ended: "Signed out: sign in again for live updates" }[status];
  const tone = status === "live" ? "bg-emerald-100 text-emerald-900" : status === "reconnecting" || status === "ended" ? "bg-amber-100 text-amber-900" : "bg-stone-100 text-stone-800";
  return (
    <p role="status" className={`inline-flex items-center gap-2 rounded-full px-3 py-1 text-sm font-medium ${tone}`}>
      <span aria-hidden="true">{status === "live" ? "●" : "○"}</span>
      {text}
    </p>
  );
}

/**
 * The whole floor: rooms, providers, the waiting room, late arrivals and the visits finished today
 * with where their charts stand (not on privacy screens). Forms work without
 * JavaScript. `rooming` says whose waiting patients this viewer can take to a room: everyone's (the
 * desk), one provider's own, or nobody's (privacy screens).
 */
export function BoardView({ snapshot, now, privacy, canTurnOver, rooming, time }: { snapshot: BoardSnapshot; now: number; privacy: boolean; canTurnOver: boolean; rooming: { all: true } | { providerId: string } | null; time: (instant: number) => string }) {
  const canRoom = (providerId: string) => !privacy && rooming !== null && ("all" in rooming || rooming.providerId === providerId);
  return (
    <div className="grid gap-6 xl:grid-cols-[2fr_1fr]">
      <section aria-labelledby="rooms-heading">
        <h2 id="rooms-heading" className="mb-3 text-lg font-semibold">Rooms</h2>
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {snapshot.rooms.map((r) => (
            <li key={r.id} className={`rounded-xl border-2 p-3 ${ROOM_STYLE[r.state]}`}>
              <p className="font-semibold">{r.name}</p>
              <p>{ROOM_LABEL[r.state]}{r.since ? ` · ${minutesSince(r.since, now)}` : ""}</p>
              {r.patient ? <p className="text-sm">{name(r.patient, privacy)}{r.provider ? ` with ${r.provider}` : ""}</p> : null}
              {canTurnOver && r.state === "turnover" ? (
                <Form method="post" className="mt-2">
                  <input type="hidden" name="intent" value="room-free" />
                  <input type="hidden" name="roomId" value={r.id} />
                  <button type="submit" className="min-h-11 rounded-lg border border-stone-400 bg-white px-3 text-sm font-semibold">Mark {r.name} ready</button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        <h2 id="providers-heading" className="mb-3 mt-6 text-lg font-semibold">Providers today</h2>
        <ul aria-labelledby="providers-heading" className="grid gap-3 sm:grid-cols-2">
          {snapshot.providers.map((p) => (
            <li key={p.id} className={`rounded-xl border p-3 ${p.runningLate ? "border-red-400 bg-red-50" : "border-stone-200 bg-white"}`}>
              <p className="font-semibold">{p.name}</p>
              <p className="text-sm text-stone-700">{SHIFT_LABEL[p.shift](p.shiftEdge === null ? "" : time(p.shiftEdge))}</p>
              <p>{PROVIDER_LABEL[p.state]}{p.since ? ` · ${minutesSince(p.since, now)}` : ""}{p.runningLate ? " · running late" : ""}</p>
              {p.patient ? <p className="text-sm">{name(p.patient, privacy)}{p.room ? ` in ${p.room}` : ""}</p> : null}
              <p className="text-sm text-stone-700">{p.next ? `Next: ${time(p.next.startsAt)} ${name(p.next.patient, privacy)} · ${p.next.service}` : "Nothing else booked today"}</p>
            </li>
          ))}
        </ul>
      </section>
      <div className="space-y-6">
        <section aria-labelledby="waiting-heading">
          <h2 id="waiting-heading" className="mb-3 text-lg font-semibold">Waiting ({snapshot.waiting.length})</h2>
          {snapshot.waiting.length ? (
            <ul className="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
              {snapshot.waiting.map((w) => (
                <li key={w.appointmentId} className={`p-3 ${now - w.startsAt > 10 * 60_000 ? "bg-red-50" : ""}`}>
                  <p className="font-semibold">{name(w.patient, privacy)}</p>
                  <p className="text-sm">Waiting {minutesSince(w.checkedInAt, now)} · for {w.provider} at {time(w.startsAt)}</p>
                  {canRoom(w.providerId) ? <RoomPicker appointmentId={w.appointmentId} rooms={snapshot.rooms} defaultRoomId={w.roomId} redirectTo="/board" /> : null}
                </li>
              ))}
            </ul>
          ) : <p className="text-stone-700">Nobody is waiting.</p>}
        </section>
        <section aria-labelledby="late-heading">
          <h2 id="late-heading" className="mb-3 text-lg font-semibold">Late arrivals ({snapshot.late.length})</h2>
          {snapshot.late.length ? (
            <ul className="divide-y divide-stone-200 rounded-xl border border-amber-300 bg-amber-50">
              {snapshot.late.map((l) => (
                <li key={l.appointmentId} className="p-3">
                  <p className="font-semibold">{name(l.patient, privacy)}</p>
                  <p className="text-sm">Due {time(l.startsAt)} with {l.provider} · {minutesSince(l.startsAt, now)} late</p>
                </li>
              ))}
            </ul>
          ) : <p className="text-stone-700">Nobody is late.</p>}
        </section>
        {privacy ? null : <FinishedVisits finished={snapshot.finished ?? []} time={time} />}
      </div>
    </div>
  );
}

const CHART_BADGE = {
  signed: "bg-emerald-100 text-emerald-900",
  draft: "bg-amber-100 text-amber-950",
  none: "bg-stone-100 text-stone-800",
} as const;

/** Visits done with their provider today, latest first, each with its chart's state: live, so the desk knows whom to check out. */
function FinishedVisits({ finished, time }: { finished: NonNullable<BoardSnapshot["finished"]>; time: (instant: number) => string }) {
  return (
    <section aria-labelledby="finished-heading">
      <h2 id="finished-heading" className="mb-3 text-lg font-semibold">Finished today ({finished.length})</h2>
      {finished.length ? (
        <ul className="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
          {finished.map((f) => (
            <li key={f.appointmentId} className="flex flex-wrap items-center justify-between gap-2 p-3">
              <div className="min-w-0">
                <p className="font-semibold">{f.patient.name}</p>
                <p className="text-sm">{f.service} with {f.provider} · until {time(f.endsAt)}</p>
              </div>
              <span className={`rounded-full px-2.5 py-0.5 text-sm font-semibold ${CHART_BADGE[f.chart]}`}>
                {f.chart === "signed" ? `Chart signed${f.chartSignedAt ? ` ${time(f.chartSignedAt)}` : ""}` : f.chart === "draft" ? "Chart not signed yet" : "No chart"}
              </span>
            </li>
          ))}
        </ul>
      ) : <p className="text-stone-700">No visits finished yet today.</p>}
    </section>
  );
}
