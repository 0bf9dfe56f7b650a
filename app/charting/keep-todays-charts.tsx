import { useEffect, useRef, useState } from "react";
import { Link, useFetcher } from "@remix-run/react";
import { CloudDownload } from "lucide-react";
import { ANSWER_IN_PLACE } from "~/lib/answer-in-place";
import { currentOfflineKey, rememberOfflineKey, type OfflineKeyGrant } from "~/pwa/offline-key";
import { keepChart } from "~/pwa/chart-outbox";
import { CHART_SHELL_PATH, keepChartShell } from "~/pwa/chart-shell";
import { useOnline } from "~/pwa/use-online";
import { secondaryButtonClass } from "~/components/ui";

const CHARTABLE = new Set(["confirmed", "checked_in", "in_room", "completed"]);

interface DayVisit {
  id: string;
  status: string;
  chart?: { id: string; status: "draft" | "signed" } | null;
}

type Progress = { phase: "opening" | "keeping" | "done"; kept: number; total: number; failed: number };

/**
 * "Keep today's charts on this tablet" (ADR 030): before the Wi-Fi can drop, the provider's day
 * is made ready to chart offline — each chartable visit's chart opened (a draft, from the
 * service's template) and kept sealed on the tablet, as if opened once online. Each is a chart
 * read, audited like any other. Needs JavaScript (it is the tablet that keeps them); without it,
 * charts open one at a time from the list.
 */
export function KeepTodaysCharts({ userId, visits, onKept }: { userId: string; visits: DayVisit[]; onKept(): void }) {
  const online = useOnline();
  const [ready, setReady] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const fetcher = useFetcher<Record<string, unknown>>();
  const waiting = useRef<string[]>([]);
  const current = useRef<string | null>(null);
  // In a ref: the page's revalidate changes with every render, and the effect below must not re-run with it.
  const kept = useRef(onKept);
  kept.current = onKept;
  useEffect(() => setReady(true), []);

  const chartable = visits.filter((v) => (v.chart ? v.chart.status === "draft" : CHARTABLE.has(v.status)));

  // One chart at a time through the chart route's own loader; each answer is kept, then the next.
  useEffect(() => {
    if (fetcher.state !== "idle") return;
    const id = current.current;
    const data = fetcher.data;
    void (async () => {
      if (id && data && (data as { encounter?: { id?: string } }).encounter?.id === id) {
        const page = data as { encounter: { revision: number }; offline: OfflineKeyGrant | null };
        if (page.offline) rememberOfflineKey(page.offline);
        const opened = await currentOfflineKey();
        if (opened && opened.userId === userId) {
          await keepChart(opened.key, userId, id, { ...page, offline: null, saved: null }, page.encounter.revision);
          setProgress((p) => p && { ...p, kept: p.kept + 1 });
        } else setProgress((p) => p && { ...p, failed: p.failed + 1 });
      } else if (id) setProgress((p) => p && { ...p, failed: p.failed + 1 });
      current.current = waiting.current.shift() ?? null;
      if (current.current) fetcher.load(`/charts/${current.current}`);
      else if (id) {
        keepChartShell(userId);
        setProgress((p) => p && { ...p, phase: "done" });
        // The day's list now shows "Continue chart" where it said "Start chart".
        kept.current();
      }
    })();
    // fetcher.load is stable enough for this; re-running on its identity would load twice.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data, userId]);

  const start = async () => {
    setProgress({ phase: "opening", kept: 0, total: chartable.length, failed: 0 });
    await chartRouteKnown();
    const ids: string[] = [];
    let failed = 0;
    for (const visit of chartable) {
      if (visit.chart) {
        ids.push(visit.chart.id);
        continue;
      }
      const res = await fetch(`/appointments/${visit.id}/chart`, { method: "POST", body: new URLSearchParams({ [ANSWER_IN_PLACE.name]: ANSWER_IN_PLACE.value }), headers: { accept: "application/json" } }).catch(() => null);
      const body = res?.ok && res.headers.get("content-type")?.includes("json") ? ((await res.json()) as { encounterId?: string }) : null;
      if (body?.encounterId) ids.push(body.encounterId);
      else failed++;
    }
    setProgress({ phase: ids.length ? "keeping" : "done", kept: 0, total: chartable.length, failed });
    waiting.current = ids.slice(1);
    current.current = ids[0] ?? null;
    if (current.current) fetcher.load(`/charts/${current.current}`);
  };

  if (!ready || !chartable.length) return null;
  const busy = progress !== null && progress.phase !== "done";
  return (
    <div className="mt-4 flex flex-wrap items-center gap-3 border-t border-stone-200 pt-4">
      <button type="button" className={`${secondaryButtonClass} min-h-12 gap-2`} disabled={busy || !online} onClick={() => void start()}>
        <CloudDownload aria-hidden="true" className="h-5 w-5" />
        Keep today's charts on this tablet
      </button>
      <p className="text-sm text-stone-700" role="status">
        {progress === null
          ? `${chartable.length} chart${chartable.length === 1 ? "" : "s"} to chart today: keep them here to open and chart them with no connection.`
          : progress.phase === "done"
            ? `${progress.kept} of ${progress.total} charts kept on this tablet.${progress.failed ? ` ${progress.failed} could not be opened; open them from the list.` : " They open here with no connection."}`
            : `Keeping charts on this tablet… ${progress.kept} of ${progress.total}`}
      </p>
      {/* Also how the page learns the chart route before loading charts through it (see chartRouteKnown). */}
      <Link to={CHART_SHELL_PATH} className="inline-flex min-h-11 items-center text-sm font-medium text-brand-800 underline-offset-2 hover:underline">Charts on this tablet</Link>
    </div>
  );
}

const CHART_ROUTE_ID = "routes/_app.charts.$encounterId";

/**
 * Waits (briefly) until the page knows the chart route. Remix discovers routes lazily: a fetcher
 * loading /charts/:id before that discovers it itself, and a revalidation landing meanwhile (the
 * board's live update when a chart is opened) leaves the fetcher with "No route matches" (CI, stop
 * 23). The link above is discovered as it renders, with nothing to interrupt it.
 */
async function chartRouteKnown() {
  const manifest = () => (window as unknown as { __remixManifest?: { routes: Record<string, unknown> } }).__remixManifest;
  for (let waited = 0; waited < 5_000 && !manifest()?.routes[CHART_ROUTE_ID]; waited += 50) await new Promise((r) => setTimeout(r, 50));
}
