import { Form, Link, NavLink } from "@remix-run/react";
import { AlertTriangle, CalendarPlus, MessageSquare, Pin, Send, Wallet } from "lucide-react";
import { secondaryButtonClass, buttonClass } from "~/components/ui";
import type { RecordSection } from "./record-sections";

export interface HeaderPatient {
  id: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  pronouns: string | null;
  age: number;
  dateOfBirth: string;
  phone: string | null;
  email: string | null;
  hasPhoto: boolean;
  portalStatus: string | null;
  lateCancellations: number;
  noShows: number;
  /** What the patient owes, formatted; null when nothing is owed or the viewer can't read invoices. */
  owed: string | null;
  alerts: { id: string; kind: string; name: string; detail: string | null; severity: string | null }[];
  pinned: { id: string; body: string }[];
}

const initials = (p: { firstName: string; lastName: string }) => `${p.firstName[0] ?? ""}${p.lastName[0] ?? ""}`.toUpperCase();

/** The patient's portrait, or their initials when there is none (never a broken image). */
export function PatientAvatar({ patient, size = "h-16 w-16 text-xl" }: { patient: HeaderPatient; size?: string }) {
  return patient.hasPhoto ? (
    <img src={`/patients/${patient.id}/photo`} alt="" className={`${size} shrink-0 rounded-full object-cover`} />
  ) : (
    <span aria-hidden="true" className={`${size} flex shrink-0 items-center justify-center rounded-full bg-brand-100 font-semibold text-brand-800`}>
      {initials(patient)}
    </span>
  );
}

/**
 * Who the patient is and what nobody should miss, on every tab of the record: allergies (always),
 * conditions staff flagged, pinned notes, and the desk's flags for late cancellations and no-shows.
 */
export function RecordHeader({ patient, dateOfBirthLabel, actions, sections }: { patient: HeaderPatient; dateOfBirthLabel: string; actions: { book: boolean; message: boolean; invite: boolean }; sections: RecordSection[] }) {
  const flags = [patient.lateCancellations ? `${patient.lateCancellations} late cancellation${patient.lateCancellations === 1 ? "" : "s"}` : null, patient.noShows ? `${patient.noShows} no-show${patient.noShows === 1 ? "" : "s"}` : null].filter(Boolean);
  const portal = patient.portalStatus === "active" ? "Uses the portal" : patient.portalStatus === "invited" ? "Portal invitation sent" : "Not on the portal";
  return (
    <header className="mb-4 rounded-xl border border-stone-200 bg-white p-4 shadow-sm md:p-5">
      <div className="flex flex-wrap items-start gap-4">
        <PatientAvatar patient={patient} />
        <div className="min-w-0 grow">
          <h1 className="text-2xl font-semibold tracking-tight">
            {patient.firstName} {patient.lastName}
            {patient.preferredName ? <span className="ml-2 text-lg font-normal text-stone-600">{`“${patient.preferredName}”`}</span> : null}
          </h1>
          <p className="mt-1 text-stone-700">
            {[`${patient.age} years`, `born ${dateOfBirthLabel}`, patient.pronouns].filter(Boolean).join(" · ")}
          </p>
          <p className="mt-1 break-words text-sm text-stone-600">{[patient.phone, patient.email, portal].filter(Boolean).join(" · ")}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          {actions.book ? (
            <Link to={`/schedule/new?patient=${patient.id}`} className={buttonClass + " gap-2"}>
              <CalendarPlus aria-hidden="true" className="h-4 w-4" /> Book
            </Link>
          ) : null}
          {actions.message ? (
            <Link to={`/patients/${patient.id}/messages#compose`} className={secondaryButtonClass + " gap-2"}>
              <MessageSquare aria-hidden="true" className="h-4 w-4" /> Message
            </Link>
          ) : null}
          {actions.invite && patient.portalStatus !== "active" ? (
            <Form method="post" action={`/patients/${patient.id}`}>
              <input type="hidden" name="intent" value="invite" />
              <button type="submit" className={secondaryButtonClass + " gap-2"}>
                <Send aria-hidden="true" className="h-4 w-4" /> {patient.portalStatus === "invited" ? "Re-send invitation" : "Invite to portal"}
              </button>
            </Form>
          ) : null}
        </div>
      </div>
      {patient.alerts.length || patient.pinned.length || flags.length || patient.owed ? (
        <ul aria-label="Alerts" className="mt-4 flex flex-wrap gap-2">
          {patient.owed ? (
            <li>
              <Link to={`/patients/${patient.id}/invoices`} className="inline-flex min-h-8 items-center gap-1 rounded-full bg-amber-100 px-3 py-1 text-sm font-semibold text-amber-950 underline-offset-2 hover:underline">
                <Wallet aria-hidden="true" className="h-4 w-4 shrink-0" />
                {`Owes ${patient.owed}`}
              </Link>
            </li>
          ) : null}
          {patient.alerts.map((a) => (
            <li key={a.id} className={`inline-flex max-w-full items-center gap-1 rounded-full px-3 py-1 text-sm font-medium ${a.kind === "allergy" ? "bg-red-100 text-red-900" : "bg-amber-100 text-amber-900"}`}>
              <AlertTriangle aria-hidden="true" className="h-4 w-4 shrink-0" />
              <span className="break-words">{`${a.kind === "allergy" ? "Allergy: " : a.kind === "medication" ? "Medication: " : a.kind === "contraindication" ? "Contraindication: " : ""}${a.name}${a.severity ? ` (${a.severity})` : ""}${a.detail ? ` — ${a.detail}` : ""}`}</span>
            </li>
          ))}
          {patient.pinned.map((n) => (
            <li key={n.id} className="inline-flex max-w-full items-center gap-1 rounded-full bg-sky-100 px-3 py-1 text-sm text-sky-900">
              <Pin aria-hidden="true" className="h-4 w-4 shrink-0" />
              <span className="break-words">{n.body.length > 120 ? `${n.body.slice(0, 117)}…` : n.body}</span>
            </li>
          ))}
          {flags.map((f) => (
            <li key={f} className="rounded-full bg-stone-100 px-3 py-1 text-sm text-stone-800">
              {f}
            </li>
          ))}
        </ul>
      ) : null}
      <nav aria-label="Patient record" className="-mb-1 mt-4 overflow-x-auto border-t border-stone-100 pt-2">
        <ul className="flex gap-1">
          {sections.map((s) => (
            <li key={s.path}>
              <NavLink
                to={`/patients/${patient.id}${s.path ? `/${s.path}` : ""}`}
                end
                preventScrollReset
                className={({ isActive }) => `inline-flex min-h-11 items-center whitespace-nowrap rounded-lg px-4 font-medium ${isActive ? "bg-brand-700 text-white" : "text-stone-700 hover:bg-stone-100"}`}
              >
                {s.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
