import { useCallback, useEffect, useState, type FormEvent } from "react";
import { pendingChanges, queueChange, replayOutbox } from "./offline-store";

/**
 * Offline status changes on the tablet: a form submitted while offline is kept on the tablet (in
 * order, with an idempotency key) instead of failing, and replayed when the connection returns;
 * the server applies each key once. Attach `onSubmitCapture` to the part of the page with forms.
 */
export function useOfflineOutbox(onReplayed: () => void) {
  const [pending, setPending] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);

  const replay = useCallback(async () => {
    if (!navigator.onLine) return;
    const sent = await replayOutbox(async (entry) => {
      try {
        const body = new URLSearchParams(entry.fields);
        body.set("idempotencyKey", entry.key);
        const res = await fetch(entry.url, { method: "POST", body, redirect: "manual" });
        // A redirect (opaque here) or any answer but a server error is final: it was applied or refused.
        return res.type === "opaqueredirect" || res.status < 500 ? "done" : "retry";
      } catch {
        return "retry";
      }
    });
    setPending((await pendingChanges()).length);
    if (sent) {
      setNotice(`Back online: ${sent} change${sent === 1 ? "" : "s"} made offline ${sent === 1 ? "was" : "were"} sent.`);
      onReplayed();
    }
  }, [onReplayed]);

  useEffect(() => {
    void replay();
    window.addEventListener("online", replay);
    return () => window.removeEventListener("online", replay);
  }, [replay]);

  const onSubmitCapture = (event: FormEvent<HTMLElement>) => {
    const form = event.target as HTMLFormElement;
    if (navigator.onLine || form.method.toLowerCase() !== "post") return;
    // Before Remix's own handler: keep the change instead of failing to send it.
    event.preventDefault();
    event.stopPropagation();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const fields = [...new FormData(form, submitter).entries()].map(([k, v]) => [k, String(v)] as [string, string]);
    const label = submitter?.textContent?.trim() || "change";
    void queueChange({ key: crypto.randomUUID(), url: new URL(form.action).pathname, fields, label, createdAt: Date.now() }).then(async () => {
      setPending((await pendingChanges()).length);
      setNotice(`You're offline. “${label}” is saved on this tablet and will be sent when the connection is back.`);
    });
  };

  return { pending, notice, onSubmitCapture };
}
