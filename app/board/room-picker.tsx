import { Form } from "@remix-run/react";
import type { RoomState } from "../../db/schema/board";
import { secondaryButtonClass } from "../components/ui";

const STATE_NOTE: Record<RoomState, string> = { free: "free", turnover: "being turned over", occupied: "has a patient" };

/**
 * "To room" with a choice of room: the booked one by default, any other suitable one on the floor.
 * Rooms with a patient in them are listed (so nobody wonders where they went) but can't be chosen;
 * the server checks again, and refuses a room booked for another visit before this one ends.
 */
export function RoomPicker({ appointmentId, rooms, defaultRoomId, redirectTo, label = "To room" }: { appointmentId: string; rooms: { id: string; name: string; state: RoomState }[]; defaultRoomId: string | null; redirectTo: string; label?: string }) {
  const selectId = `room-for-${appointmentId}`;
  const choosable = rooms.filter((r) => r.state !== "occupied");
  if (!choosable.length) return <p className="text-sm text-stone-700">Every suitable room has a patient in it.</p>;
  const preferred = choosable.some((r) => r.id === defaultRoomId) ? defaultRoomId! : choosable[0].id;
  return (
    <Form method="post" action={`/appointments/${appointmentId}`} className="mt-2 flex flex-wrap items-end gap-2">
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="to" value="in_room" />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <div>
        <label htmlFor={selectId} className="block text-sm font-medium">Room</label>
        <select id={selectId} name="roomId" defaultValue={preferred} className="min-h-11 rounded-lg border border-stone-400 bg-white px-2">
          {rooms.map((r) => (
            <option key={r.id} value={r.id} disabled={r.state === "occupied"}>
              {r.name}{r.id === defaultRoomId ? " (booked)" : ""}{r.state !== "free" ? ` · ${STATE_NOTE[r.state]}` : ""}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className={secondaryButtonClass}>{label}</button>
    </Form>
  );
}
