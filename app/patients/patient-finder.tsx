import { Form, useFetcher, useNavigate } from "@remix-run/react";
import { useEffect, useId, useRef, useState } from "react";
import type { PatientSuggestions } from "~/routes/resources.patient-search";

const born = (date: string) => {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
};

/**
 * Find a patient from any staff page: name, phone, email or date of birth. Without JavaScript the
 * box posts to the patients page (which seals the search per session). With it, results appear as
 * you type (a combobox: arrows move, Enter opens, Escape closes), and an empty box offers the
 * patients you opened lately. Every lookup is a POST, so what was typed never sits in an address.
 */
export function PatientFinder() {
  const fetcher = useFetcher<PatientSuggestions>({ key: "patient-finder" });
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const listId = useId();
  // What the box holds now: an answer for anything else (an earlier keystroke, the recent list
  // asked for on focus) is not shown, and the current text is asked for again.
  const [wanted, setWanted] = useState<string | null>(null);
  const answer = fetcher.data && fetcher.data.q === wanted ? fetcher.data : null;
  const rows = answer?.rows ?? [];
  const lookup = (q: string) => {
    setWanted(q);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => fetcher.submit({ q }, { method: "post", action: "/resources/patient-search" }), q ? 120 : 0);
  };
  // Asked again at most once per text (never a loop while the network is down).
  const askedAgain = useRef<string | null>(null);
  useEffect(() => {
    if (wanted === null || fetcher.state !== "idle" || !fetcher.data || fetcher.data.q === wanted || askedAgain.current === wanted) return;
    askedAgain.current = wanted;
    timer.current = setTimeout(() => fetcher.submit({ q: wanted }, { method: "post", action: "/resources/patient-search" }), 0);
  }, [wanted, fetcher.state, fetcher.data, fetcher]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const go = (id: string) => {
    setOpen(false);
    navigate(`/patients/${id}`);
  };
  const heading = answer?.recent ? "Recently viewed" : answer?.tooShort ? "Type a little more" : answer && rows.length === 0 ? "No patients match" : null;
  return (
    <Form
      method="post"
      action="/patients"
      role="search"
      className="relative hidden md:block"
      onSubmit={(e) => {
        if (open && active >= 0 && rows[active]) {
          e.preventDefault();
          go(rows[active].id);
        }
      }}
    >
      <label htmlFor="shell-patient-search" className="text-xs font-semibold uppercase tracking-wide text-brand-100">
        Find a patient
      </label>
      <div className="mt-1 flex gap-1">
        <input
          id="shell-patient-search"
          name="q"
          maxLength={100}
          placeholder="Name or phone"
          title="Name, phone, email or date of birth"
          autoComplete="off"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
          className="min-h-11 w-full min-w-0 rounded-lg border border-brand-600 bg-white px-3 text-sm text-stone-900 placeholder:text-stone-500"
          onFocus={(e) => {
            setOpen(true);
            lookup(e.currentTarget.value.trim());
          }}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onChange={(e) => {
            setOpen(true);
            setActive(-1);
            lookup(e.currentTarget.value.trim());
          }}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown" && rows.length) {
              e.preventDefault();
              setOpen(true);
              setActive((a) => (a + 1) % rows.length);
            } else if (e.key === "ArrowUp" && rows.length) {
              e.preventDefault();
              setActive((a) => (a <= 0 ? rows.length - 1 : a - 1));
            } else if (e.key === "Escape") setOpen(false);
          }}
        />
        <button type="submit" className="min-h-11 shrink-0 rounded-lg bg-white px-3 text-sm font-semibold text-brand-800 hover:bg-brand-50">
          Find
        </button>
      </div>
      <div className={open && (heading || rows.length) ? "absolute left-0 right-0 z-30 mt-1 rounded-lg border border-stone-200 bg-white py-1 text-stone-900 shadow-lg" : "hidden"}>
        {heading ? <p className="px-3 py-1 text-xs font-semibold uppercase tracking-wide text-stone-600">{heading}</p> : null}
        <ul id={listId} role="listbox" aria-label={heading ?? "Matching patients"}>
          {rows.map((r, i) => (
            <li
              key={r.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`cursor-pointer px-3 py-2 text-sm ${i === active ? "bg-brand-100" : "hover:bg-stone-100"}`}
              onMouseDown={(e) => {
                e.preventDefault();
                go(r.id);
              }}
            >
              <span className="font-medium">
                {r.lastName}, {r.firstName}
              </span>
              <span className="block text-xs text-stone-600">born {born(r.dateOfBirth)}</span>
            </li>
          ))}
        </ul>
      </div>
    </Form>
  );
}
