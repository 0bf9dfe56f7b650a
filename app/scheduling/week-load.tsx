import { Link } from "@remix-run/react";
import { formatShortDate } from "./format";

export interface ProviderLoad {
  id: string;
  name: string;
  days: { date: string; visits: number; bookedMinutes: number; workingMinutes: number; closed: boolean }[];
}

const hours = (minutes: number) => {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return h && m ? `${h}h ${m}m` : h ? `${h}h` : `${m}m`;
};

/**
 * Everyone's week at a glance (issue 10): per provider and day, the visits and how much of their
 * working time is booked, as a bar that reads without JavaScript. A provider's name opens their
 * week as a grid; a day opens the day view.
 */
export function WeekLoad({ days, load, today }: { days: string[]; load: ProviderLoad[]; today: string }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white" tabIndex={0} role="region" aria-label="Week by provider">
      <table className="w-full min-w-[48rem] border-collapse text-sm">
        <caption className="sr-only">Each provider's visits and booked time per day this week</caption>
        <thead>
          <tr className="border-b border-stone-200 text-left">
            <th scope="col" className="p-2 font-semibold">Provider</th>
            {days.map((d) => (
              <th key={d} scope="col" className={`p-2 font-semibold ${d === today ? "bg-brand-50" : ""}`}>
                <Link to={`/schedule?date=${d}&view=provider`} className="underline decoration-stone-400 underline-offset-2">{formatShortDate(d)}</Link>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {load.map((p) => (
            <tr key={p.id} className="border-b border-stone-100 last:border-0">
              <th scope="row" className="p-2 text-left font-medium">
                <Link to={`/schedule?date=${days[0]}&view=week&provider=${p.id}`} className="text-brand-800 underline">{p.name}</Link>
              </th>
              {p.days.map((d) => {
                const share = d.workingMinutes ? Math.min(1, d.bookedMinutes / d.workingMinutes) : 0;
                return (
                  <td key={d.date} className={`p-2 align-top ${d.date === today ? "bg-brand-50/60" : ""}`}>
                    {d.closed ? (
                      <span className="text-stone-600">Closed</span>
                    ) : d.workingMinutes === 0 && d.visits === 0 ? (
                      <span className="text-stone-600">Off</span>
                    ) : (
                      <>
                        <span className="font-medium">{`${d.visits} visit${d.visits === 1 ? "" : "s"}`}</span>
                        <span className="mt-1 block h-2 overflow-hidden rounded bg-stone-200" aria-hidden="true">
                          <span className={`block h-full ${share > 0.9 ? "bg-red-700" : share > 0.6 ? "bg-amber-600" : "bg-brand-600"}`} style={{ width: `${Math.round(share * 100)}%` }} />
                        </span>
                        <span className="mt-0.5 block text-xs text-stone-700">{`${hours(d.bookedMinutes)} of ${hours(d.workingMinutes)} booked`}</span>
                      </>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
