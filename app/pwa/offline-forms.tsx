import { useEffect, useRef, useState } from "react";
import { SUBMISSION_EVENT, type SubmissionEventDetail } from "./submission-events";

/**
 * Forms while the network is down: instead of a failed submission (and a page that loses what
 * was typed), the form stays as it is, the page says so, and the same submission goes out when
 * the connection returns. Forms inside a `[data-offline-outbox]` area queue their own changes.
 * A submission that fails although the browser thinks it is online is held by
 * submission-retry.client.ts; this says so while it waits.
 */
export function OfflineForms() {
  const waiting = useRef<{ form: HTMLFormElement; submitter: HTMLElement | null } | null>(null);
  // The form whose submission is in flight, and the buttons we disabled while it is held.
  const inFlight = useRef<HTMLFormElement | null>(null);
  const disabled = useRef<HTMLButtonElement[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    const onSubmit = (event: SubmitEvent) => {
      const form = event.target as HTMLFormElement;
      if (form.closest("[data-offline-outbox]")) return;
      if (navigator.onLine) {
        inFlight.current = form;
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      waiting.current = { form, submitter: event.submitter };
      setMessage("You're offline. What you entered is kept, and it will be sent when the connection is back.");
    };
    const onOnline = () => {
      const pending = waiting.current;
      waiting.current = null;
      setMessage(null);
      if (pending?.form.isConnected) pending.form.requestSubmit(pending.submitter instanceof HTMLButtonElement ? pending.submitter : undefined);
    };
    const onHeld = (event: Event) => {
      const { state } = (event as CustomEvent<SubmissionEventDetail>).detail;
      if (state === "held") {
        setMessage("Atrium can't be reached right now. What you entered is kept, and it will be sent as soon as the connection works again.");
        // Sending it again by hand would be a second submission: the held one goes out by itself.
        disabled.current = Array.from(inFlight.current?.querySelectorAll<HTMLButtonElement>("button:not([disabled])") ?? []);
        for (const button of disabled.current) button.disabled = true;
      } else {
        setMessage(null);
        for (const button of disabled.current) button.disabled = false;
        disabled.current = [];
      }
    };
    // Capture phase on the document: before Remix's own submit handling.
    document.addEventListener("submit", onSubmit, true);
    window.addEventListener("online", onOnline);
    window.addEventListener(SUBMISSION_EVENT, onHeld);
    return () => {
      document.removeEventListener("submit", onSubmit, true);
      window.removeEventListener("online", onOnline);
      window.removeEventListener(SUBMISSION_EVENT, onHeld);
    };
  }, []);
  if (!message) return null;
  return (
    <div role="status" className="fixed inset-x-0 top-4 z-50 mx-auto w-fit max-w-lg rounded-xl bg-amber-100 px-4 py-3 font-medium text-amber-950 shadow-lg">
      {message}
    </div>
  );
}
