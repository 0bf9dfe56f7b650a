import { Form } from "@remix-run/react";
import type { AppointmentStatus } from "../../db/schema/scheduling";

export const STATUS_LABELS: Record<AppointmentStatus, string> = {
  requested: "Requested",
  confirmed: "Confirmed",
  checked_in: "Checked in",
  in_room: "In room",
  completed: "Completed",
  cancelled: "Cancelled",
  no_show: "No-show",
};

export const STATUS_STYLES: Record<AppointmentStatus, string> = {
  requested: "bg-amber-100 text-amber-900",
  confirmed: "bg-sky-100 text-sky-900",
  checked_in: "bg-violet-100 text-violet-900",
  in_room: "bg-emerald-100 text-emerald-900",
  completed: "bg-stone-200 text-stone-800",
  cancelled: "bg-red-100 text-red-900 line-through",
  no_show: "bg-red-100 text-red-900",
};

export function StatusBadge({ status }: { status: AppointmentStatus }) {
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${STATUS_STYLES[status]}`}>{STATUS_LABELS[status]}</span>;
}

export const ACTION_LABELS: Partial<Record<AppointmentStatus, string>> = {
  confirmed: "Confirm",
  checked_in: "Check in",
  in_room: "To room",
  completed: "Complete",
  no_show: "No-show",
};

const USUAL_NEXT: Partial<Record<AppointmentStatus, AppointmentStatus[]>> = { requested: ["confirmed"], confirmed: ["checked_in", "in_room"], checked_in: ["in_room"], in_room: ["completed"] };

/** The usual next step from a status, if this person may take it: confirm, check in, to room, complete. */
export function primaryNext(status: AppointmentStatus, allowed: AppointmentStatus[]): AppointmentStatus | null {
  return USUAL_NEXT[status]?.find((s) => allowed.includes(s)) ?? null;
}

/** One form per allowed next status (cancel lives on the appointment page, with a reason). */
export function StatusButtons({
  appointmentId,
  allowed,
  redirectTo,
  large = false,
  postTo,
  onSubmit,
  busy = false,
  bare = false,
}: {
  appointmentId: string;
  allowed: AppointmentStatus[];
  redirectTo: string;
  large?: boolean;
  /** A page's own action for the change (it then gets the appointment's id); the appointment's otherwise. */
  postTo?: string;
  /** Takes the submission over once JavaScript runs (a change answered in place); a plain post before. */
  onSubmit?: (event: React.FormEvent<HTMLFormElement>) => void;
  busy?: boolean;
  /** Without the wrapper's top margin, for a row that places the button itself. */
  bare?: boolean;
}) {
  const buttons = allowed.filter((s) => ACTION_LABELS[s]);
  if (!buttons.length) return null;
  return (
    <div className={bare ? "flex flex-wrap gap-2" : "mt-2 flex flex-wrap gap-2"}>
      {buttons.map((to) => (
        // On the tablet (large), the buttons share the row's full width: big targets for fingers.
        <Form key={to} method="post" action={postTo ?? `/appointments/${appointmentId}`} onSubmit={onSubmit} className={large ? "min-w-[9rem] flex-1" : undefined}>
          {postTo ? <input type="hidden" name="appointmentId" value={appointmentId} /> : null}
          <input type="hidden" name="intent" value="status" />
          <input type="hidden" name="to" value={to} />
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <button type="submit" disabled={busy} className={`${large ? "min-h-12 w-full px-5 text-base" : "min-h-11 px-3 text-sm"} rounded-lg border border-brand-600 font-semibold ${bare ? "bg-brand-700 text-white hover:bg-brand-800" : "bg-white text-brand-800 hover:bg-brand-50"}`}>
            {ACTION_LABELS[to]}
          </button>
        </Form>
      ))}
    </div>
  );
}

/**
 * The question an unusually early check-in asks (more than an hour ahead): the refusal's words and
 * a form that checks in anyway. Posts like StatusButtons, so it works before JavaScript too.
 */
export function ConfirmEarlyCheckIn({ appointmentId, message, redirectTo, postTo, onSubmit }: { appointmentId: string; message: string; redirectTo: string; postTo?: string; onSubmit?: (event: React.FormEvent<HTMLFormElement>) => void }) {
  return (
    <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-950">
      <p>{message}</p>
      <Form method="post" action={postTo ?? `/appointments/${appointmentId}`} onSubmit={onSubmit} className="mt-2 flex flex-wrap gap-2">
        {postTo ? <input type="hidden" name="appointmentId" value={appointmentId} /> : null}
        <input type="hidden" name="intent" value="status" />
        <input type="hidden" name="to" value="checked_in" />
        <input type="hidden" name="confirmEarly" value="1" />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <button type="submit" className="min-h-11 rounded-lg bg-amber-700 px-4 font-semibold text-white hover:bg-amber-800">
          Check in anyway
        </button>
      </Form>
    </div>
  );
}
