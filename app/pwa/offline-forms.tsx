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
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    const onSubmit = (event: SubmitEvent) => {
      const form = event.target as HTMLFormElement;
      if (navigator.onLine || form.closest("[data-offline-outbox]")) return;
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
      setMessage(state === "held" ? "Atrium can't be reached right now. What you entered is kept, and it will be sent as soon as the connection works again." : null);
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
