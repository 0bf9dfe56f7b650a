import { CHART_SHELL_MARK } from "~/pwa/chart-shell";
import { Link } from "@remix-run/react";
import { Card, Notice, PageHeader } from "~/components/ui";

export interface KeptChartLink {
  encounterId: string;
  patientName: string;
  serviceName: string;
  when: string;
  draft: boolean;
}

/**
 * The chart shell's own view (ADR 030): what the tablet shows when a chart was asked for with no
 * network and this tablet doesn't hold it, or when its data is locked — and, as the server renders
 * it, the moment before the tablet opens the chart it holds.
 * `charts` undefined: not looked at yet (the server's render); null: locked for this user.
 */

export function KeptChartsShell({ charts, asked }: { charts: KeptChartLink[] | null | undefined; asked: string | null }) {
  return (
    <div {...{ [CHART_SHELL_MARK]: "" }}>
      <PageHeader title="Charts on this tablet" description="Charts opened online on this tablet can be opened and edited here with no connection." />
      {charts === undefined ? (
        <Notice tone="info">Opening the chart kept on this tablet… This needs JavaScript; with a connection, open the chart from My day.</Notice>
      ) : charts === null ? (
        <Notice tone="error">The charts on this tablet are locked. They open for the provider they belong to once they sign in again with a connection.</Notice>
      ) : (
        <div className="space-y-4">
          {asked ? <Notice tone="error">That chart isn't kept on this tablet, and there's no connection to fetch it. It opens once the tablet is back online.</Notice> : null}
          <Card title={`${charts.length} chart${charts.length === 1 ? "" : "s"} kept`}>
            {charts.length === 0 ? (
              <p className="text-stone-700">None yet. A chart is kept on this tablet when you open it online.</p>
            ) : (
              <ul className="divide-y divide-stone-200">
                {charts.map((c) => (
                  <li key={c.encounterId}>
                    <Link to={`/charts/${c.encounterId}`} className="flex min-h-12 flex-wrap items-center gap-x-3 py-2 font-semibold text-emerald-900 underline-offset-2 hover:underline">
                      {c.patientName}
                      <span className="font-normal text-stone-700">{c.serviceName} · {c.when}</span>
                      {c.draft ? <span className="rounded-full bg-amber-100 px-2 py-0.5 text-sm font-semibold text-amber-950">Draft on this tablet</span> : null}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      )}
    </div>
  );
}
