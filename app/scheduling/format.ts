/** Display helpers: always in the location's zone, never the viewer's or the server's. */

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone and style.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, style: string, options: Intl.DateTimeFormatOptions) {
  const key = `${timeZone}|${style}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat("en-US", { timeZone, ...options })));
  return f;
}
export function formatTime(instant: number, timeZone: string) {
  return formatter(timeZone, "time", { hour: "numeric", minute: "2-digit" }).format(instant);
}

// On a day without an offset change, a wall-clock label depends only on the minute since local
// midnight, so a busy calendar formats each distinct minute once instead of every card twice.
const minuteLabels = new Map<string, string>();
export function formatTimeOnDay(instant: number, timeZone: string, day: { start: number; end: number; uniform: boolean }) {
  const offset = instant - day.start;
  if (!day.uniform || offset < 0 || instant >= day.end || offset % 60_000 !== 0) return formatTime(instant, timeZone);
  const key = `${timeZone}|${offset / 60_000}`;
  let label = minuteLabels.get(key);
  if (label === undefined) minuteLabels.set(key, (label = formatTime(instant, timeZone)));
  return label;
}

export function formatDate(date: string) {
  // A calendar date has no zone: format it at UTC noon so no offset can move it.
  return formatter("UTC", "date", { weekday: "long", month: "long", day: "numeric" }).format(new Date(`${date}T12:00:00Z`));
}

/** "Aug 30, 2026": a calendar date (a birthday, "patient since") as people write it. */
export function formatCalendarDate(date: string) {
  return formatter("UTC", "calendar", { month: "short", day: "numeric", year: "numeric" }).format(new Date(`${date}T12:00:00Z`));
}

export function formatShortDate(date: string) {
  return formatter("UTC", "short", { weekday: "short", month: "short", day: "numeric" }).format(new Date(`${date}T12:00:00Z`));
}

export function formatDateTime(instant: number, timeZone: string) {
  return formatter(timeZone, "datetime", { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" }).format(instant);
}

/** "Dec 2, 2026, 3:04:05 PM" in a zone: when something happened, to the second (the audit log). */
export function formatMoment(instant: number, timeZone: string) {
  return formatter(timeZone, "moment", { month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit", second: "2-digit" }).format(instant);
}

export function formatMoney(cents: number, currency = "USD") {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(cents / 100);
}

/** "14:30" in the zone, for form values and links. */
export function formatClock24(instant: number, timeZone: string) {
  const f = formatters.get(`${timeZone}|clock24`) ?? new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hour12: false });
  formatters.set(`${timeZone}|clock24`, f);
  return f.format(instant);
}
