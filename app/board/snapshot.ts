/**
 * The live board of one location's treatment floor, as plain data: built from the database
 * (the truth), diffed into small patches for the PartyKit room to broadcast, applied by clients,
 * and redacted to initials for screens patients can see. Pure functions, no I/O.
 */
import type { ProviderState, RoomState } from "../../db/schema/board";

export interface Person {
  name: string;
  initials: string;
}

export interface BoardRoom {
  id: string;
  name: string;
  state: RoomState;
  since: number | null;
  patient: Person | null;
  provider: string | null;
  /** Whose visit is in the room, or just ended in it (while it's turned over): a tablet's "my rooms". */
  providerId: string | null;
}

export interface BoardProvider {
  id: string;
  name: string;
  state: ProviderState;
  since: number | null;
  onShift: boolean;
  /**
   * Their day in one word, said the same everywhere (issue 10): on shift now (until `shiftEdge`),
   * later today (from `shiftEdge`), done for the day, or not working today.
   */
  shift: "now" | "later" | "done" | "off";
  shiftEdge: number | null;
  patient: Person | null;
  room: string | null;
  next: { startsAt: number; patient: Person; service: string } | null;
  runningLate: boolean;
}

export interface BoardWaiting {
  appointmentId: string;
  patient: Person;
  provider: string;
  providerId: string;
  /** The booked room, if any (the room picker's default). */
  roomId: string | null;
  service: string;
  startsAt: number;
  checkedInAt: number;
}

export interface BoardLate {
  appointmentId: string;
  patient: Person;
  provider: string;
  startsAt: number;
}

/** A visit done with its provider today, and where its chart stands: what the desk checks out next. */
export interface BoardFinished {
  appointmentId: string;
  patient: Person;
  provider: string;
  service: string;
  endsAt: number;
  chart: "none" | "draft" | "signed";
  chartSignedAt: number | null;
}

export interface BoardSnapshot {
  locationId: string;
  timeZone: string;
  generatedAt: number;
  /** The location's schedule_version + floor_version when read: orders snapshots (see isStaleSnapshot). */
  dataVersion: number;
  rooms: BoardRoom[];
  providers: BoardProvider[];
  waiting: BoardWaiting[];
  late: BoardLate[];
  /** Today's finished visits, latest first. Absent from snapshots made before it existed. */
  finished?: BoardFinished[];
}

export interface BoardInput {
  locationId: string;
  timeZone: string;
  now: number;
  dataVersion: number;
  rooms: { id: string; name: string }[];
  roomStates: { roomId: string; state: RoomState; appointmentId: string | null; since: number }[];
  providers: { id: string; name: string; working: readonly (readonly [number, number])[] }[];
  providerStates: { userId: string; state: ProviderState; since: number }[];
  appointments: {
    id: string;
    status: string;
    startsAt: number;
    endsAt: number;
    providerId: string;
    roomId: string | null;
    firstName: string;
    lastName: string;
    service: string;
    checkedInAt: number | null;
    /** The visit's chart, if one was opened. */
    chart?: "draft" | "signed" | null;
    chartSignedAt?: number | null;
  }[];
}

/** A waiting patient this long past their start makes their provider "running late". */
export const RUNNING_LATE_MS = 10 * 60_000;
/** Booked visits not checked in this long after their start count as late arrivals (then they are no-shows to handle). */
const LATE_WINDOW_MS = 2 * 3_600_000;

export function person(firstName: string, lastName: string): Person {
  return { name: `${firstName} ${lastName}`, initials: `${firstName.charAt(0)}.${lastName.charAt(0)}.`.toUpperCase() };
}

export function buildSnapshot(input: BoardInput): BoardSnapshot {
  const { now } = input;
  const providerName = new Map(input.providers.map((p) => [p.id, p.name]));
  const appts = [...input.appointments].sort((a, b) => a.startsAt - b.startsAt);
  const byId = new Map(appts.map((a) => [a.id, a]));
  const roomName = new Map(input.rooms.map((r) => [r.id, r.name]));
  const inRoom = appts.filter((a) => a.status === "in_room");

  const rooms: BoardRoom[] = input.rooms.map((r) => {
    const row = input.roomStates.find((s) => s.roomId === r.id);
    const appt = row?.appointmentId ? byId.get(row.appointmentId) : undefined;
    const state = row?.state ?? "free";
    return {
      id: r.id,
      name: r.name,
      state,
      since: row?.since ?? null,
      patient: state === "occupied" && appt ? person(appt.firstName, appt.lastName) : null,
      provider: state === "occupied" && appt ? (providerName.get(appt.providerId) ?? null) : null,
      providerId: appt?.providerId ?? null,
    };
  });

  const waiting: BoardWaiting[] = appts
    .filter((a) => a.status === "checked_in")
    .map((a) => ({ appointmentId: a.id, patient: person(a.firstName, a.lastName), provider: providerName.get(a.providerId) ?? "", providerId: a.providerId, roomId: a.roomId, service: a.service, startsAt: a.startsAt, checkedInAt: a.checkedInAt ?? a.startsAt }))
    .sort((a, b) => a.checkedInAt - b.checkedInAt);

  const late: BoardLate[] = appts
    .filter((a) => a.status === "confirmed" && a.startsAt < now && now - a.startsAt < LATE_WINDOW_MS)
    .map((a) => ({ appointmentId: a.id, patient: person(a.firstName, a.lastName), provider: providerName.get(a.providerId) ?? "", startsAt: a.startsAt }));

  const finished: BoardFinished[] = appts
    .filter((a) => a.status === "completed")
    .map((a): BoardFinished => ({ appointmentId: a.id, patient: person(a.firstName, a.lastName), provider: providerName.get(a.providerId) ?? "", service: a.service, endsAt: a.endsAt, chart: a.chart ?? "none", chartSignedAt: a.chartSignedAt ?? null }))
    .sort((a, b) => b.endsAt - a.endsAt);

  const providers: BoardProvider[] = input.providers.map((p) => {
    const row = input.providerStates.find((s) => s.userId === p.id);
    const current = inRoom.find((a) => a.providerId === p.id);
    const next = appts.find((a) => a.providerId === p.id && ["requested", "confirmed", "checked_in"].includes(a.status) && a.endsAt > now);
    const overrun = current !== undefined && current.endsAt < now;
    const keptWaiting = waiting.some((w) => byId.get(w.appointmentId)?.providerId === p.id && now - w.startsAt > RUNNING_LATE_MS);
    return {
      id: p.id,
      name: p.name,
      // With a patient in a room is a fact from the appointments; otherwise what they last set.
      state: current ? "with_patient" : row && row.state !== "with_patient" ? row.state : "available",
      since: row?.since ?? null,
      onShift: p.working.some(([s, e]) => s <= now && now < e),
      ...shiftOf(p.working, now),
      patient: current ? person(current.firstName, current.lastName) : null,
      room: current?.roomId ? (roomName.get(current.roomId) ?? null) : null,
      next: next ? { startsAt: next.startsAt, patient: person(next.firstName, next.lastName), service: next.service } : null,
      runningLate: overrun || keptWaiting,
    };
  });

  return { locationId: input.locationId, timeZone: input.timeZone, generatedAt: now, dataVersion: input.dataVersion, rooms, providers, waiting, late, finished };
}

/** A small change set: rooms and providers by id (only those that changed), lists whole when they changed. */
export interface BoardPatch {
  generatedAt: number;
  dataVersion: number;
  rooms?: BoardRoom[];
  providers?: BoardProvider[];
  removedRooms?: string[];
  removedProviders?: string[];
  waiting?: BoardWaiting[];
  late?: BoardLate[];
  finished?: BoardFinished[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function changedById<T extends { id: string }>(prev: T[], next: T[]) {
  const before = new Map(prev.map((x) => [x.id, x]));
  const ids = new Set(next.map((x) => x.id));
  return { changed: next.filter((x) => !same(before.get(x.id), x)), removed: prev.filter((x) => !ids.has(x.id)).map((x) => x.id) };
}

/**
 * Whether `next` is older than the snapshot the room holds: two publishes raced and the earlier
 * one arrived last (likely with several Worker isolates). A lower data version made around the
 * same time is such a straggler; one made well after the held snapshot means the database itself
 * went back (restored from a backup, reseeded), and it is the truth.
 */
export const STRAGGLER_WINDOW_MS = 10_000;
export function isStaleSnapshot(held: BoardSnapshot, next: BoardSnapshot) {
  const heldVersion = held.dataVersion ?? -1;
  if (next.dataVersion > heldVersion) return false;
  if (next.dataVersion === heldVersion) return next.generatedAt < held.generatedAt;
  return next.generatedAt < held.generatedAt + STRAGGLER_WINDOW_MS;
}

/** The patch that turns `prev` into `next`; null when nothing a viewer sees changed. */
export function diffSnapshots(prev: BoardSnapshot, next: BoardSnapshot): BoardPatch | null {
  const rooms = changedById(prev.rooms, next.rooms);
  const providers = changedById(prev.providers, next.providers);
  const patch: BoardPatch = { generatedAt: next.generatedAt, dataVersion: next.dataVersion };
  if (rooms.changed.length) patch.rooms = rooms.changed;
  if (rooms.removed.length) patch.removedRooms = rooms.removed;
  if (providers.changed.length) patch.providers = providers.changed;
  if (providers.removed.length) patch.removedProviders = providers.removed;
  if (!same(prev.waiting, next.waiting)) patch.waiting = next.waiting;
  if (!same(prev.late, next.late)) patch.late = next.late;
  if (!same(prev.finished ?? [], next.finished ?? [])) patch.finished = next.finished ?? [];
  return Object.keys(patch).length > 2 ? patch : null;
}

function mergeById<T extends { id: string }>(list: T[], changed: T[] | undefined, removed: string[] | undefined, order: string[] | null) {
  if (!changed && !removed) return list;
  const byId = new Map(list.map((x) => [x.id, x]));
  for (const x of changed ?? []) byId.set(x.id, x);
  for (const id of removed ?? []) byId.delete(id);
  const ids = order ?? [...byId.keys()];
  return ids.filter((id) => byId.has(id)).map((id) => byId.get(id)!);
}

export function applyPatch(snapshot: BoardSnapshot, patch: BoardPatch): BoardSnapshot {
  return {
    ...snapshot,
    generatedAt: patch.generatedAt,
    dataVersion: patch.dataVersion,
    // Keep the existing order; new entries go last.
    rooms: mergeById(snapshot.rooms, patch.rooms, patch.removedRooms, [...snapshot.rooms.map((r) => r.id), ...(patch.rooms ?? []).map((r) => r.id).filter((id) => !snapshot.rooms.some((r) => r.id === id))]),
    providers: mergeById(snapshot.providers, patch.providers, patch.removedProviders, [...snapshot.providers.map((p) => p.id), ...(patch.providers ?? []).map((p) => p.id).filter((id) => !snapshot.providers.some((p) => p.id === id))]),
    waiting: patch.waiting ?? snapshot.waiting,
    late: patch.late ?? snapshot.late,
    finished: patch.finished ?? snapshot.finished ?? [],
  };
}

/** For screens patients can see: every name becomes initials (the full name never leaves the server). */
export function redact<T extends Partial<BoardSnapshot> | BoardPatch>(data: T): T {
  const hide = (p: Person | null) => (p ? { name: p.initials, initials: p.initials } : null);
  const out = { ...data } as Record<string, unknown>;
  if ("rooms" in data && data.rooms) out.rooms = data.rooms.map((r) => ({ ...r, patient: hide(r.patient) }));
  if ("providers" in data && data.providers) out.providers = data.providers.map((p) => ({ ...p, patient: hide(p.patient), next: p.next ? { ...p.next, patient: hide(p.next.patient)! } : null }));
  if ("waiting" in data && data.waiting) out.waiting = data.waiting.map((w) => ({ ...w, patient: hide(w.patient)! }));
  if ("late" in data && data.late) out.late = data.late.map((l) => ({ ...l, patient: hide(l.patient)! }));
  if ("finished" in data && data.finished) out.finished = data.finished.map((f) => ({ ...f, patient: hide(f.patient)! }));
  return out as T;
}

/** Where a provider's day stands now, from their working intervals (sorted or not). */
export function shiftOf(working: readonly (readonly [number, number])[], now: number): Pick<BoardProvider, "shift" | "shiftEdge"> {
  const current = working.find(([s, e]) => s <= now && now < e);
  if (current) return { shift: "now", shiftEdge: current[1] };
  const later = working.filter(([s]) => s > now).sort((a, b) => a[0] - b[0])[0];
  if (later) return { shift: "later", shiftEdge: later[0] };
  return working.length ? { shift: "done", shiftEdge: null } : { shift: "off", shiftEdge: null };
}
