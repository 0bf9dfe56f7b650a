import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { toCsv } from "~/lib/csv";
import { formatCode } from "~/gift-cards/codes";
import { orderCodes } from "~/gift-cards/orders.server";

/** The codes a paid order sold, for the buyer to hand out (ADR 037): audited, never cached. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "checkout:invoice:location");
  const found = await orderCodes(context, session.user, (params.invoiceId ?? "").slice(0, 64));
  if (!found.ok) throw new Response(found.message, { status: found.status, headers: { "cache-control": "private, no-store" } });
  const csv = toCsv(
    ["code", "amount", "expires"],
    found.rows.map((r) => [formatCode(r.code), (r.amountCents / 100).toFixed(2), r.expiresAt ? r.expiresAt.toISOString().slice(0, 10) : ""]),
  );
  return new Response(csv, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="gift-cards-invoice-${found.number}.csv"`, "cache-control": "private, no-store", "x-content-type-options": "nosniff" } });
}
