import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requirePermission } from "~/auth/guards.server";
import { toCsv } from "~/lib/csv";
import { localDateOf } from "~/scheduling/local-time";
import { amountText } from "~/charting/amounts";
import { findLot, traceLot } from "~/charting/stock.server";

/** The recall trace as a spreadsheet: every patient, visit, provider and amount from this lot (audited like the page). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "trace:lot:organization");
  const [lot, rows] = await Promise.all([findLot(context, session.user.organizationId, params.lotId ?? ""), traceLot(context, session, { id: params.lotId ?? "" })]);
  if (!lot) throw notFound("No lot with that id in your organization.");
  const csv = toCsv(
    ["product", "lot", "patient_first_name", "patient_last_name", "date_of_birth", "phone", "visit_date", "location", "provider", `amount_${lot.measure}`, "chart_status", "chart_id"],
    rows.map((r) => [lot.productName, lot.lotNumber, r.patientFirst, r.patientLast, r.patientDob, r.patientPhone, localDateOf(r.timeZone, r.visitAt.getTime()), r.locationName, r.providerName, amountText(r.amount), r.status, r.encounterId]),
  );
  const file = `trace-${lot.lotNumber.replace(/[^A-Za-z0-9-]/g, "_")}.csv`;
  return new Response(csv, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${file}"`, "cache-control": "private, no-store", "x-content-type-options": "nosniff" } });
}
