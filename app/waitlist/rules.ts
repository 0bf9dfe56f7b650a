/**
 * Waitlist rules as plain functions: who is next for a freed time, which start they are offered,
 * and how long an offer stays open.
 */

export interface WaitingEntry {
  id: string;
  providerId: string | null;
  fromDate: string;
  toDate: string;
  createdAt: number;
}

export interface FreedTime {
  providerId: string;
  /** The freed block, UTC instants. */
  start: number;
  end: number;
  /** Its local date at the location. */
  date: string;
}

/** How long a patient has to accept an offer before it passes to the next in line. */
export const OFFER_WINDOW_MS = 2 * 3600_000;

/** Entries that could take a time freed with this provider on this day, first joined first. */
export function eligibleEntries<E extends WaitingEntry>(entries: E[], freed: FreedTime, alreadyOffered: Set<string>): E[] {
  return entries
    .filter((e) => e.fromDate <= freed.date && freed.date <= e.toDate)
    .filter((e) => e.providerId === null || e.providerId === freed.providerId)
    .filter((e) => !alreadyOffered.has(e.id))
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** The earliest bookable start (for this entry's service) inside the freed block, if any. */
export function startInside(freed: FreedTime, slots: { start: number; providerIds: string[] }[]): number | null {
  const hit = slots.find((s) => s.start >= freed.start && s.start < freed.end && s.providerIds.includes(freed.providerId));
  return hit?.start ?? null;
}

/** Open for two hours, but never past the clinic's minimum notice before the visit; null if no time is left. */
export function offerExpiry(now: number, startsAt: number, minNoticeMinutes: number): number | null {
  const latest = startsAt - minNoticeMinutes * 60_000;
  const expires = Math.min(now + OFFER_WINDOW_MS, latest);
  return expires > now ? expires : null;
}
