import ical, { ICalEventStatus } from "ical-generator";

export interface CalendarEntry {
  id: string;
  start: Date;
  end: Date;
  summary: string;
  location: string;
  description?: string;
  cancelled?: boolean;
}

/**
 * An iCalendar document. Times are written as UTC instants (`…Z`), which Google, Outlook and
 * Apple Calendar show in each viewer's own zone: correct without shipping VTIMEZONE rules.
 */
export function calendarDocument(name: string, entries: CalendarEntry[]) {
  const cal = ical({ name, prodId: { company: "Atrium", product: "Atrium", language: "EN" }, ttl: 15 * 60 });
  for (const e of entries) {
    cal.createEvent({
      id: `${e.id}@atrium`,
      start: e.start,
      end: e.end,
      summary: e.summary,
      location: e.location,
      description: e.description,
      status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return cal.toString();
}

export function icsResponse(body: string, filename: string) {
  return new Response(body, {
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store" },
  });
}
