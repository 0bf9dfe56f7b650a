import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { formatDate, formatMoney, formatShortDate, formatTime } from "~/scheduling/format";
import type { BookingStep } from "./booking-flow.server";
import type { Step } from "./step-url";

type Serialized<T> = T extends (infer U)[] ? Serialized<U>[] : T extends object ? { [K in keyof T]: Serialized<T[K]> } : T;
export type StepData = Serialized<BookingStep>;

const tile = "flex min-h-14 w-full items-center justify-between gap-3 rounded-xl border border-stone-300 bg-white px-4 py-3 text-left hover:border-brand-600 hover:bg-brand-50";

export function StepHeading({ number, title }: { number: number; title: string }) {
  return (
    <div className="mb-4">
      <p className="text-sm font-medium text-stone-600">Step {number} of 6</p>
      <h1 className="text-2xl font-semibold">{title}</h1>
    </div>
  );
}

/** What has been chosen so far, each with a way back. */
export function Choices({ data, href }: { data: StepData; href: (s: Step) => string }) {
  if (data.stage === "location") return null;
  const rows: { label: string; value: string; change: string }[] = [{ label: "Location", value: data.location.name, change: href({}) }];
  if ("service" in data && data.stage !== "service") rows.push({ label: "Service", value: data.service.name, change: href({ location: data.location.id }) });
  if ("provider" in data && (data.stage === "date" || data.stage === "time" || data.stage === "details")) {
    rows.push({ label: "Provider", value: data.provider === "any" ? "Any available provider" : data.provider.name, change: href({ location: data.location.id, service: data.service.id }) });
  }
  if ("date" in data && (data.stage === "time" || data.stage === "details")) {
    rows.push({ label: "Day", value: formatDate(data.date), change: href({ location: data.location.id, service: data.service.id, provider: data.provider === "any" ? "any" : data.provider.id }) });
  }
  return (
    <dl className="mb-5 divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white text-sm">
      {rows.map((r) => (
        <div key={r.label} className="flex items-center justify-between gap-3 px-4 py-2">
          <dt className="text-stone-600">{r.label}</dt>
          <dd className="flex items-center gap-3 text-right font-medium">
            {r.value}
            <Link to={r.change} className="text-brand-700 underline" aria-label={`Change ${r.label.toLowerCase()}`}>
              Change
            </Link>
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function OptionList({ children, label }: { children: ReactNode; label: string }) {
  return (
    <ul className="space-y-3" aria-label={label}>
      {children}
    </ul>
  );
}

export function Option({ to, title, detail, aside }: { to: string; title: string; detail?: string; aside?: string }) {
  return (
    <li>
      <Link to={to} className={tile}>
        <span>
          <span className="block font-semibold">{title}</span>
          {detail ? <span className="block text-sm text-stone-600">{detail}</span> : null}
        </span>
        {aside ? <span className="shrink-0 text-sm font-medium text-stone-700">{aside}</span> : null}
      </Link>
    </li>
  );
}

export function ServiceOptions({ data, href }: { data: Extract<StepData, { stage: "service" }>; href: (s: Step) => string }) {
  return (
    <OptionList label="Services">
      {data.services.map((s) => (
        <Option key={s.id} to={href({ location: data.location.id, service: s.id })} title={s.name} detail={`${s.durationMinutes} min · ${s.description}${s.autoConfirm ? "" : " · Request, confirmed by the clinic"}`} aside={s.priceCents ? formatMoney(s.priceCents) : "Free"} />
      ))}
    </OptionList>
  );
}

export function DateOptions({ data, href }: { data: Extract<StepData, { stage: "date" }>; href: (s: Step) => string }) {
  const base = { location: data.location.id, service: data.service.id, provider: data.provider === "any" ? "any" : data.provider.id };
  const open = data.days.filter((d) => d.count > 0);
  const waitlist = `/portal/waitlist?${new URLSearchParams({ location: base.location, service: base.service, provider: base.provider })}`;
  if (open.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-stone-300 bg-white p-6 text-center">
        No open times in the next two weeks. Try another provider or service, or{" "}
        <Link to={waitlist} className="font-medium text-brand-700 underline">join the waitlist</Link> and we'll message you when a time opens up.
      </p>
    );
  }
  return (
    <>
    <ul className="grid grid-cols-2 gap-3" aria-label="Days with open times">
      {open.map((d) => (
        <li key={d.date}>
          <Link to={href({ ...base, date: d.date })} className={`${tile} flex-col items-start`}>
            <span className="font-semibold">{formatShortDate(d.date)}</span>
            <span className="text-sm text-stone-600">{d.count} open time{d.count === 1 ? "" : "s"}</span>
          </Link>
        </li>
      ))}
    </ul>
    <p className="mt-4 text-sm text-stone-700">
      Hoping for an earlier time? <Link to={waitlist} className="font-medium text-brand-700 underline">Join the waitlist</Link>: when a visit is cancelled we offer it to the first person waiting.
    </p>
    </>
  );
}

export function TimeOptions({ data, href }: { data: Extract<StepData, { stage: "time" }>; href: (s: Step) => string }) {
  const base = { location: data.location.id, service: data.service.id, provider: data.provider === "any" ? "any" : data.provider.id, date: data.date };
  if (data.slots.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-stone-300 bg-white p-6 text-center">
        No open times that day.{" "}
        <Link to={href({ location: base.location, service: base.service, provider: base.provider })} className="font-medium text-brand-700 underline">
          Choose another day
        </Link>
      </p>
    );
  }
  return (
    <ul className="grid grid-cols-3 gap-2" aria-label="Open times">
      {data.slots.map((start) => (
        <li key={start}>
          <Link to={href({ ...base, start })} className="flex min-h-12 items-center justify-center rounded-lg border border-stone-300 bg-white font-medium hover:border-brand-600 hover:bg-brand-50">
            {formatTime(start, data.location.timeZone)}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** The nearest open times offered after a time was just taken. */
export function AlternativeTimes({ starts, timeZone, href }: { starts: number[]; timeZone: string; href: (start: number) => string }) {
  if (!starts.length) return null;
  return (
    <ul className="flex flex-wrap gap-2" aria-label="Nearest open times">
      {starts.map((start) => (
        <li key={start}>
          <Link to={href(start)} className="inline-flex min-h-11 items-center rounded-lg border border-stone-300 bg-white px-3 font-medium">
            {formatTime(start, timeZone)}
          </Link>
        </li>
      ))}
    </ul>
  );
}
