import { Form } from "@remix-run/react";
import { Card, EmptyState, inputClass, secondaryButtonClass } from "~/components/ui";

const DAYS = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

interface Schedule {
  shifts: { id: string; weekday: number; startMinute: number; endMinute: number; effectiveFrom: string; effectiveTo: string | null; locationName: string }[];
  timeOff: { id: string; kind: "time_off" | "extra_hours" | "closed"; date: string; startMinute: number | null; endMinute: number | null; reason: string | null; locationName: string | null }[];
  today: string;
}

function Remove({ intent, id, label }: { intent: string; id: string; label: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="min-h-11 text-sm font-medium text-red-800 underline" aria-label={label}>Remove</button>
    </Form>
  );
}

function ExceptionList({ entries, empty }: { entries: Schedule["timeOff"]; empty: string }) {
  if (!entries.length) return <p className="mb-3 text-stone-700">{empty}</p>;
  return (
    <ul className="mb-4 divide-y divide-stone-100">
      {entries.map((t) => (
        <li key={t.id} className="flex items-center justify-between gap-2 py-2">
          <span>{t.date} · {t.startMinute === null ? "all day" : `${clock(t.startMinute)}–${clock(t.endMinute ?? 0)}`}{t.locationName ? ` · ${t.locationName}` : ""}{t.reason ? ` · ${t.reason}` : ""}</span>
          <Remove intent="remove-time-off" id={t.id} label={`Remove ${t.kind === "extra_hours" ? "extra hours" : "time off"} on ${t.date}`} />
        </li>
      ))}
    </ul>
  );
}

/** A provider's weekly shifts (in each location's local time), upcoming time off and extra hours. */
export function ScheduleCards({ schedule, locations }: { schedule: Schedule; locations: { id: string; name: string }[] }) {
  return (
    <>
      <Card title="Weekly schedule">
        {schedule.shifts.length === 0 ? (
          <EmptyState title="No shifts yet">Add the hours this provider works; only those hours are bookable.</EmptyState>
        ) : (
          <ul className="mb-4 divide-y divide-stone-100">
            {schedule.shifts.map((s) => (
              <li key={s.id} className="flex items-center justify-between gap-2 py-2">
                <span>{DAYS[s.weekday]} {clock(s.startMinute)}–{clock(s.endMinute)} · {s.locationName}{s.effectiveTo ? ` · until ${s.effectiveTo}` : ""}</span>
                <Remove intent="remove-shift" id={s.id} label={`Remove ${DAYS[s.weekday]} shift at ${s.locationName}`} />
              </li>
            ))}
          </ul>
        )}
        <Form method="post" className="grid gap-3 sm:grid-cols-2">
          <input type="hidden" name="intent" value="add-shift" />
          <label className="text-sm font-medium">Location<select name="locationId" className={inputClass}>{locations.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}</select></label>
          <label className="text-sm font-medium">Day<select name="weekday" className={inputClass}>{DAYS.slice(1).map((d, i) => <option key={d} value={i + 1}>{d}</option>)}</select></label>
          <label className="text-sm font-medium">Starts<input name="start" type="time" required defaultValue="09:00" className={inputClass} /></label>
          <label className="text-sm font-medium">Ends<input name="end" type="time" required defaultValue="17:00" className={inputClass} /></label>
          <label className="text-sm font-medium">From<input name="effectiveFrom" type="date" required defaultValue={schedule.today} className={inputClass} /></label>
          <label className="text-sm font-medium">Until (optional)<input name="effectiveTo" type="date" className={inputClass} /></label>
          <div className="sm:col-span-2"><button type="submit" className={secondaryButtonClass}>Add shift</button></div>
        </Form>
      </Card>
      <Card title="Time off">
        <ExceptionList entries={schedule.timeOff.filter((t) => t.kind === "time_off")} empty="No upcoming time off." />
        <Form method="post" className="grid gap-3 sm:grid-cols-2">
          <input type="hidden" name="intent" value="add-time-off" />
          <label className="text-sm font-medium">Day<input name="date" type="date" required className={inputClass} /></label>
          <label className="text-sm font-medium">Reason (optional)<input name="reason" maxLength={120} className={inputClass} /></label>
          <label className="text-sm font-medium">From (blank = all day)<input name="start" type="time" className={inputClass} /></label>
          <label className="text-sm font-medium">To<input name="end" type="time" className={inputClass} /></label>
          <div className="sm:col-span-2"><button type="submit" className={secondaryButtonClass}>Add time off</button></div>
        </Form>
      </Card>
      <Card title="Extra hours">
        <ExceptionList entries={schedule.timeOff.filter((t) => t.kind === "extra_hours")} empty="No upcoming extra hours." />
        <Form method="post" className="grid gap-3 sm:grid-cols-2">
          <input type="hidden" name="intent" value="add-extra-hours" />
          <label className="text-sm font-medium">Location<select name="locationId" className={inputClass}>{locations.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}</select></label>
          <label className="text-sm font-medium">Day<input name="date" type="date" required className={inputClass} /></label>
          <label className="text-sm font-medium">From<input name="start" type="time" required className={inputClass} /></label>
          <label className="text-sm font-medium">To<input name="end" type="time" required className={inputClass} /></label>
          <label className="text-sm font-medium sm:col-span-2">Note (optional)<input name="reason" maxLength={120} className={inputClass} /></label>
          <div className="sm:col-span-2"><button type="submit" className={secondaryButtonClass}>Add extra hours</button></div>
        </Form>
      </Card>
    </>
  );
}
