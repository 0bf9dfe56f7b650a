import { Temporal } from "temporal-polyfill";

/**
 * Local calendar dates and times of a location, as UTC instants (epoch ms). Nothing here
 * reads the machine's time zone. Days without an offset change (all but two a year) are
 * mapped linearly from local midnight, so only two conversions per day hit the tz database.
 */
const MINUTE = 60_000;

export interface LocalDay {
  date: string;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Instant of local midnight, and of the next local midnight. */
  start: number;
  end: number;
  /** False on daylight-saving transition days. */
  uniform: boolean;
}

const dayCache = new Map<string, LocalDay>();

/** The instant of a local wall-clock time; times in a spring-forward gap move forward (RFC 5545 / Temporal "compatible"). */
export function localToInstant(timeZone: string, date: string, minuteOfDay: number): number {
  // 24:00 (a shift to midnight) is the next day's 00:00: Temporal would clamp hour 24 to 23:00.
  if (minuteOfDay >= 1440) return localToInstant(timeZone, addDays(date, Math.floor(minuteOfDay / 1440)), minuteOfDay % 1440);
  const [year, month, day] = date.split("-").map(Number);
  return Temporal.ZonedDateTime.from(
    { timeZone, year, month, day, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 },
    { disambiguation: "compatible" },
  ).epochMilliseconds;
}

export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

export function localDay(timeZone: string, date: string): LocalDay {
  const key = `${timeZone}|${date}`;
  let day = dayCache.get(key);
  if (!day) {
    const start = localToInstant(timeZone, date, 0);
    const end = localToInstant(timeZone, addDays(date, 1), 0);
    day = { date, weekday: Temporal.PlainDate.from(date).dayOfWeek, start, end, uniform: end - start === 1440 * MINUTE };
    if (dayCache.size > 50_000) dayCache.clear();
    dayCache.set(key, day);
  }
  return day;
}

/** Instant of a local minute of a day; exact on transition days too. */
export function instantAt(timeZone: string, day: LocalDay, minuteOfDay: number): number {
  return day.uniform ? day.start + minuteOfDay * MINUTE : localToInstant(timeZone, day.date, minuteOfDay);
}

/** Local minute of day of an instant (for grid alignment on transition days). */
export function minuteOfDayAt(timeZone: string, instant: number): number {
  const zdt = Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(timeZone);
  return zdt.hour * 60 + zdt.minute;
}

/** The local calendar date of an instant in a zone. */
export function localDateOf(timeZone: string, instant: number): string {
  return Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = Temporal.PlainDate.from(from), last = Temporal.PlainDate.from(to); Temporal.PlainDate.compare(d, last) <= 0; d = d.add({ days: 1 })) out.push(d.toString());
  return out;
}
