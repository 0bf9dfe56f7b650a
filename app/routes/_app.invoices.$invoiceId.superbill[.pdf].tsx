import type { LoaderFunctionArgs } from "@remix-run/node";
import { pdfResponse } from "~/lib/pdf-writer";
import { notFound, requirePermission } from "~/auth/guards.server";
import { audit } from "~/audit/audit.server";
import { superbillOf, superbillPdf } from "~/superbills/superbill.server";

/** The visit's superbill for the patient's insurer (Letter, or A4 with ?paper=a4); audited; never cached. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:invoice:location");
  const invoiceId = (params.invoiceId ?? "").slice(0, 64);
  const bill = await superbillOf(context, session.user, invoiceId);
  if (!bill) throw notFound("No invoice with that id at your locations.");
  await audit(context, { actor: session.user, action: "invoice.superbill_read", entityType: "invoice", entityId: invoiceId, outcome: "allowed" });
  const pdf = await superbillPdf(bill, new URL(request.url).searchParams.get("paper") === "a4" ? "a4" : "letter");
  return pdfResponse(pdf, `superbill-${bill.number}.pdf`);
}
