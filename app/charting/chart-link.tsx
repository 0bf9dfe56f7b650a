import { Form, Link } from "@remix-run/react";
import { FileSignature } from "lucide-react";

const CHARTABLE = new Set(["confirmed", "checked_in", "in_room", "completed"]);
const big = "inline-flex min-h-12 items-center gap-2 rounded-lg border px-4 text-base font-semibold";

/** A visit's chart from My day: open it, or start it (the visit's provider, once the patient is here). */
export function ChartLink({ appointmentId, status, chart, patient }: { appointmentId: string; status: string; chart?: { id: string; status: "draft" | "signed" } | null; patient: string }) {
  if (chart)
    return (
      <Link to={`/charts/${chart.id}`} className={`${big} ${chart.status === "signed" ? "border-emerald-700 text-emerald-900" : "border-brand-700 bg-brand-700 text-white"}`} aria-label={`${chart.status === "signed" ? "Signed chart" : "Continue chart"} for ${patient}`}>
        <FileSignature aria-hidden="true" className="h-5 w-5" />
        {chart.status === "signed" ? "Signed chart" : "Continue chart"}
      </Link>
    );
  if (!CHARTABLE.has(status)) return null;
  return (
    <Form method="post" action={`/appointments/${appointmentId}/chart`}>
      <button type="submit" className={`${big} border-brand-700 text-brand-800`} aria-label={`Start chart for ${patient}`}>
        <FileSignature aria-hidden="true" className="h-5 w-5" />
        Start chart
      </button>
    </Form>
  );
}

/** "Chart signed" / "Charting" beside a visit on the desk's lists: status only, no clinical content. */
export function ChartBadge({ chart }: { chart?: { status: "draft" | "signed" } | null }) {
  if (!chart) return null;
  return <span className={`rounded px-1.5 py-0.5 text-xs font-semibold ${chart.status === "signed" ? "bg-emerald-100 text-emerald-900" : "bg-amber-100 text-amber-950"}`}>{chart.status === "signed" ? "Chart signed" : "Charting"}</span>;
}
