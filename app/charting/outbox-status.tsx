import { CloudOff, RefreshCw } from "lucide-react";
import { Notice, secondaryButtonClass } from "~/components/ui";
import type { OutboxState } from "./use-chart-outbox";

/**
 * What the provider must always see (issue 11): what is on this tablet and not yet on the server,
 * a "Sync now", and anything the server set aside (a refusal to read; a conflict is shown as the
 * chooser). Shown only with something to say.
 */
export function OutboxStatus({ outbox, fromTablet }: { outbox: OutboxState & { sync(): Promise<void>; dismiss(ids: number[]): Promise<void> }; fromTablet: boolean }) {
  const waiting = outbox.pending.filter((c) => !c.settled);
  const refused = outbox.pending.filter((c) => c.settled === "refused");
  if (!fromTablet && !waiting.length && !refused.length && !outbox.notice) return null;
  return (
    <div className="mb-3 space-y-2" aria-live="polite">
      {fromTablet ? <Notice tone="info">You're offline. This is the chart as this tablet kept it; what you save stays here and is sent when the connection is back.</Notice> : null}
      {waiting.length || outbox.notice ? (
        <div className="flex flex-wrap items-center gap-3 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-amber-950" data-testid="outbox-status">
          {waiting.length ? <CloudOff aria-hidden="true" className="h-5 w-5 shrink-0" /> : null}
          <p className="min-w-0 flex-1">
            {waiting.length ? <span className="font-semibold">{waiting.length} change{waiting.length === 1 ? "" : "s"} not synced yet. </span> : null}
            {outbox.notice}
          </p>
          {waiting.length ? (
            <button type="button" className={`${secondaryButtonClass} gap-2`} onClick={() => void outbox.sync()}>
              <RefreshCw aria-hidden="true" className="h-4 w-4" /> Sync now
            </button>
          ) : null}
        </div>
      ) : null}
      {refused.map((c) => (
        <Notice key={c.id} tone="error">
          <span className="font-semibold">Not saved on the server: {c.label}.</span> {c.answer?.message}{" "}
          <button type="button" className="ml-2 underline" onClick={() => void outbox.dismiss([c.id])}>Dismiss</button>
        </Notice>
      ))}
    </div>
  );
}
