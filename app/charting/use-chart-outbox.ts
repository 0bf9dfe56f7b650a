import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useRevalidator } from "@remix-run/react";
import { currentOfflineKey, rememberOfflineKey, type OfflineKeyGrant } from "~/pwa/offline-key";
import { OUTBOX_EVENT, drainOutbox, forgetChanges, keepChart, keptChart, pendingChanges, queueChartChange, queuedPhoto, type KeptChart, type PendingChange } from "~/pwa/chart-outbox";
import { keepChartShell } from "~/pwa/chart-shell";
import { pointRowsFrom } from "./chart-form-data";
import { PIN_PATTERN, pinCheck, sameCheck } from "./signing-pin";

export interface OutboxState {
  /** This chart's changes not yet confirmed by the server, oldest first. */
  pending: PendingChange[];
  /** What the provider typed that the server hasn't confirmed yet: shown instead of the server's version. */
  draft: KeptChart["draft"] | null;
  notice: string | null;
  photos: { id: number; url: string; label: string }[];
}

/**
 * The chart page's side of the tablet outbox (ADR 029): keeps the chart sealed on the tablet,
 * sends every save through the outbox (on the device first, then to the server), shows what isn't
 * synced yet, and sends again on launch, reconnect, becoming visible, a Background Sync message
 * and "Sync now". Without JavaScript none of this runs and the forms post as they always did.
 */
export function useChartOutbox(page: { userId: string; encounterId: string; revision: number; offline: OfflineKeyGrant | null; fromTablet?: boolean; pinCheck?: string | null }, snapshot: unknown) {
  // Kept in a ref: the revalidator changes with every render, and a sync that changed with it would
  // re-run the effects below on every state change (a drain, a render, another drain…).
  const currentRevalidator = useRevalidator();
  const revalidator = useRef(currentRevalidator);
  revalidator.current = currentRevalidator;
  const [state, setState] = useState<OutboxState>({ pending: [], draft: null, notice: null, photos: [] });
  const { userId, encounterId, revision } = page;

  const refresh = useCallback(async (notice?: string | null) => {
    const opened = await currentOfflineKey();
    if (!opened || opened.userId !== userId) return;
    const [all, kept] = await Promise.all([pendingChanges(opened.key, userId), keptChart(opened.key, userId, encounterId)]);
    const pending = all.filter((c) => c.encounterId === encounterId);
    const photos = await Promise.all(
      pending.filter((c) => c.photo && !c.settled).map(async (c) => {
        const blob = await queuedPhoto(opened.key, c.id, c.photo!.type);
        return { id: c.id, url: blob ? URL.createObjectURL(blob) : "", label: c.label };
      }),
    );
    setState((s) => {
      for (const p of s.photos) URL.revokeObjectURL(p.url);
      return { pending, draft: pending.some((c) => !c.settled) ? (kept?.draft ?? null) : null, notice: notice === undefined ? s.notice : notice, photos };
    });
  }, [userId, encounterId]);

  const sync = useCallback(async () => {
    const opened = await currentOfflineKey();
    if (!opened || opened.userId !== userId) return;
    const result = await drainOutbox(opened.key, userId);
    await refresh(result.applied ? "Draft saved. Everything on this tablet is synced." : result.stoppedBy === "network" || result.stoppedBy === "server" ? "Saved on this tablet. It will be sent when the connection is back." : undefined);
    if (result.applied) revalidator.current.revalidate();
  }, [userId, refresh]);

  // Online: the tablet keeps this chart (sealed) as it is now, to open and edit it without a network.
  useEffect(() => {
    if (page.offline) {
      rememberOfflineKey(page.offline);
      // …and so that it opens in this editor on a reload or cold launch with no network (ADR 030).
      keepChartShell(userId);
    }
    void (async () => {
      const opened = await currentOfflineKey();
      if (opened && opened.userId === userId && !page.fromTablet) await keepChart(opened.key, userId, encounterId, snapshot, revision);
      await sync();
    })();
  }, [page.offline, page.fromTablet, userId, encounterId, revision, snapshot, sync]);

  useEffect(() => {
    const whenVisible = () => document.visibilityState === "visible" && void sync();
    const onMessage = (event: MessageEvent) => event.data?.type === "DRAIN_OUTBOX" && void sync();
    const onDrained = () => void refresh();
    window.addEventListener("online", sync);
    window.addEventListener(OUTBOX_EVENT, onDrained);
    document.addEventListener("visibilitychange", whenVisible);
    navigator.serviceWorker?.addEventListener("message", onMessage);
    return () => {
      window.removeEventListener("online", sync);
      window.removeEventListener(OUTBOX_EVENT, onDrained);
      document.removeEventListener("visibilitychange", whenVisible);
      navigator.serviceWorker?.removeEventListener("message", onMessage);
    };
  }, [sync, refresh]);

  /** On the chart form and the photo form: a save or a photo goes to the outbox, then to the server. */
  const onSubmitCapture = (event: FormEvent<HTMLElement>) => {
    const form = event.target as HTMLFormElement;
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const intent = submitter?.value ?? "";
    const isPhoto = form.dataset.outbox === "photo" && intent === "add";
    if (form.dataset.outbox === "consent") return queueConsent(event, form);
    if (form.dataset.outbox !== "chart" && !isPhoto) return;
    const unsynced = state.pending.some((c) => !c.settled);
    if (intent === "sign") {
      // Online, signing confirms with a password or code against the chart as the server has it.
      if (navigator.onLine && unsynced) {
        event.preventDefault();
        event.stopPropagation();
        setState((s) => ({ ...s, notice: "Changes on this tablet are still being sent. Sign once they are synced." }));
        void sync();
      }
      if (navigator.onLine) return;
    }
    if (intent !== "save" && intent !== "sign" && !isPhoto) return;    event.preventDefault();
    event.stopPropagation();
    const data = new FormData(form, submitter);
    void (async () => {
      const opened = await currentOfflineKey();
      if (!opened || opened.userId !== userId) {
        setState((s) => ({ ...s, notice: "This tablet can't keep changes for you until you sign in again with a connection." }));
        return;
      }
      if (isPhoto) {
        const file = data.get("photo");
        if (!(file instanceof File) || file.size === 0) return setState((s) => ({ ...s, notice: "Choose or take a photo." }));
        // Each photo its own client id, made here and kept with it: a replay finds the photo it made.
        const fields = [...data.entries()].filter(([k, v]) => typeof v === "string" && k !== "intent" && k !== "clientId").map(([k, v]) => [k, String(v)] as [string, string]);
        await queueChartChange(opened.key, userId, { encounterId, intent: "photo", fields: [...fields, ["clientId", crypto.randomUUID()], ["intent", "photo"]], label: `Photo (${String(data.get("stage") ?? "")} · ${String(data.get("angle") ?? "")})` }, undefined, file);
        form.reset();
      } else {
        if (intent === "sign") {
          // Offline: the PIN is checked here against the check value kept with this chart; the server checks it again.
          const check = page.pinCheck ?? null;
          const pin = String(data.get("pin") ?? "");
          if (!check) return setState((s) => ({ ...s, notice: "You have no signing PIN on this tablet. Set one in My account, then open this chart once online." }));
          if (!PIN_PATTERN.test(pin) || !sameCheck(await pinCheck(userId, pin), check)) return setState((s) => ({ ...s, notice: "That signing PIN is not right." }));
        }
        const fields = [...data.entries()].filter(([k, v]) => typeof v === "string" && !["revision", "password", "code"].includes(k)).map(([k, v]) => [k, String(v)] as [string, string]);
        const answersRaw: Record<string, string[]> = {};
        for (const [k, v] of fields) if (k.startsWith("answer.")) (answersRaw[k.slice(7)] ??= []).push(v);
        await queueChartChange(opened.key, userId, { encounterId, intent: intent === "sign" ? "sign" : "save", fields, label: intent === "sign" ? "Signature" : "Draft" }, { rows: pointRowsFrom(data).filter((r) => r.remove !== "on"), answersRaw, savedAt: Date.now() });
      }
      await refresh(intent === "sign" ? "Signed on this tablet. The signature is applied when the chart syncs." : "Saved on this tablet.");
      await sync();
    })();
  };

  /**
   * A consent the patient signs on this tablet with no network (ADR 030): the form's basic checks
   * here, the rest on the server when it syncs — before any later signature of this chart, in order.
   */
  const queueConsent = (event: FormEvent<HTMLElement>, form: HTMLFormElement) => {
    event.preventDefault();
    event.stopPropagation();
    const data = new FormData(form);
    const fail = (notice: string) => setState((s) => ({ ...s, notice }));
    if (String(data.get("signerName") ?? "").trim().length < 2) return fail("Type the signer's full name.");
    if (data.get("method") === "drawn" && String(data.get("strokes") ?? "").length < 10) return fail("Sign in the box with a finger or stylus.");
    if (data.get("agree") !== "on") return fail("Tick the box to confirm you have read and agree to this consent.");
    void (async () => {
      const opened = await currentOfflineKey();
      if (!opened || opened.userId !== userId) return fail("This tablet can't keep changes for you until you sign in again with a connection.");
      const fields = [...data.entries()].filter(([, v]) => typeof v === "string").map(([k, v]) => [k, String(v)] as [string, string]);
      await queueChartChange(opened.key, userId, { encounterId, intent: "consent", fields: [...fields, ["intent", "consent"], ["signedOffline", String(Date.now())]], label: `Consent signed: ${form.dataset.title ?? "consent"}` });
      await refresh("Consent signed on this tablet. It is sent when the connection is back, before the chart's signature.");
      await sync();
    })();
  };

  const dismiss = async (ids: number[]) => {
    await forgetChanges(ids);
    await refresh(null);
  };

  return { ...state, onSubmitCapture, sync, dismiss };
}
