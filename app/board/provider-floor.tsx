import { Form } from "@remix-run/react";
import type { ProviderState } from "../../db/schema/board";
import { minutesSince, ROOM_LABEL, ROOM_STYLE } from "./board-view";
import type { BoardSnapshot } from "./snapshot";

const STATUS_CHOICES = [
  ["available", "Available"],
  ["documenting", "Documenting"],
  ["on_break", "On break"],
] as const;
const STATE_LABEL: Record<ProviderState, string> = { available: "Available", with_patient: "With a patient", documenting: "Documenting", on_break: "On break" };

/** The provider's own status on the floor, live, with one-tap forms (posting to the board's action). */
export function MyStatus({ snapshot, userId, now }: { snapshot: BoardSnapshot; userId: string; now: number }) {
  const me = snapshot.providers.find((p) => p.id === userId);
  return (
    <>
      {me ? (
        <p className="mb-3 text-stone-800">
          Now: <strong>{STATE_LABEL[me.state]}</strong>
          {me.since ? ` · ${minutesSince(me.since, now)}` : ""}
          {me.patient ? ` · ${me.patient.name}${me.room ? ` in ${me.room}` : ""}` : ""}
        </p>
      ) : null}
      {/* As wide as the card allows, three across when they fit: labels never clipped. */}
      <div className="grid grid-cols-[repeat(auto-fit,minmax(9rem,1fr))] gap-2">
        {STATUS_CHOICES.map(([state, label]) => {
          const current = me?.state === state;
          return (
            <Form key={state} method="post" action="/board">
              <input type="hidden" name="intent" value="my-status" />
              <input type="hidden" name="state" value={state} />
              <button type="submit" aria-pressed={current} className={`min-h-12 w-full rounded-lg border border-brand-600 px-2 font-semibold ${current ? "bg-brand-700 text-white" : "bg-white text-brand-800 hover:bg-brand-50"}`}>
                {label}
              </button>
            </Form>
          );
        })}
      </div>
    </>
  );
}

/**
 * The location's rooms as the floor has them, the provider's own first (a patient of theirs in it,
 * or their visit just ended there), with "Mark ready" for a room being turned over.
 */
export function MyRooms({ snapshot, userId, now }: { snapshot: BoardSnapshot; userId: string; now: number }) {
  const rooms = [...snapshot.rooms].sort((a, b) => Number(b.providerId === userId) - Number(a.providerId === userId));
  return (
    <ul className="grid grid-cols-[repeat(auto-fill,minmax(10rem,1fr))] gap-3">
      {rooms.map((r) => {
        const mine = r.providerId === userId;
        return (
          <li key={r.id} className={`flex min-h-20 flex-col justify-center rounded-lg border-2 px-4 py-2 ${ROOM_STYLE[r.state]}`}>
            <span className="break-words text-lg font-semibold">
              {r.name}
              {mine ? <span className="ml-2 rounded-full bg-white px-2 py-0.5 text-xs font-medium text-stone-800">Yours</span> : null}
            </span>
            <span className="text-sm text-stone-800">
              {ROOM_LABEL[r.state]}
              {r.since ? ` · ${minutesSince(r.since, now)}` : ""}
            </span>
            {r.patient ? <span className="text-sm text-stone-800">{r.patient.name}{r.provider && !mine ? ` with ${r.provider}` : ""}</span> : null}
            {r.state === "turnover" ? (
              <Form method="post" action="/board" className="mt-2">
                <input type="hidden" name="intent" value="room-free" />
                <input type="hidden" name="roomId" value={r.id} />
                <button type="submit" className="min-h-11 w-full rounded-lg border border-stone-400 bg-white px-3 text-sm font-semibold">Mark {r.name} ready</button>
              </Form>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
