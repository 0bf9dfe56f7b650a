import { useCallback, useEffect, useState, type FormEvent } from "react";
import { currentOfflineKey } from "./offline-key";
import { pendingChanges, queueChange } from "./offline-store";
import { drainOutbox } from "./chart-outbox";


/**
 * Offline status changes on the tablet: a form submitted while offline is kept on the tablet (in
 * order, with an idempotency key, sealed and marked with who made it) instead of failing, and
 * replayed when the connection returns, only while that same user is signed in; the server
 * applies each key once. Attach `onSubmitCapture` to the part of the page with forms.
 */
export function useOfflineOutbox(userId: string, onReplayed: () => void) {
  const [pending, setPending] = useState(0);
  const [othersWaiting, setOthersWaiting] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);

  const count = useCallback(async () => {
    const opened = await currentOfflineKey();
    if (!opened || opened.userId !== userId) return;
    const { mine, others } = await pendingChanges(opened.key, userId);
    setPending(mine.length);
    setOthersWaiting(others);
  }, [userId]);

  const replay = useCallback(async () => {
    if (!navigator.onLine) return;
    const opened = await currentOfflineKey();
    if (!opened || opened.userId !== userId) return;
    // One queue for status changes and charts, sent in order (chart-outbox.ts); a refusal or a
    // conflict is set aside for the provider to see, never dropped.
    const { applied: sent } = await drainOutbox(opened.key, userId);
    await count();
    if (sent) {
      setNotice(`Back online: ${sent} change${sent === 1 ? "" : "s"} made offline ${sent === 1 ? "was" : "were"} sent.`);
      onReplayed();
    }
  }, [userId, onReplayed, count]);

  useEffect(() => {
    void replay();
    const whenVisible = () => document.visibilityState === "visible" && void replay();
    window.addEventListener("online", replay);
    document.addEventListener("visibilitychange", whenVisible);
    return () => {
      window.removeEventListener("online", replay);
      document.removeEventListener("visibilitychange", whenVisible);
    };
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
    void (async () => {
      const opened = await currentOfflineKey();
      if (!opened || opened.userId !== userId) {
        setNotice("You're offline, and this tablet can't keep changes for you until you sign in again with a connection.");
        return;
      }
      await queueChange(opened.key, userId, { key: crypto.randomUUID(), url: new URL(form.action).pathname, fields, label });
      await count();
      setNotice(`You're offline. “${label}” is saved on this tablet and will be sent when the connection is back.`);
    })();
  };

  /** Counts (and sends what is this user's) again: after the page has handed this tablet its key. */
  return { pending, othersWaiting, notice, onSubmitCapture, refresh: replay };
}
