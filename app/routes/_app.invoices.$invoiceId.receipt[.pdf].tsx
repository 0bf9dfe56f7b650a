import type { LoaderFunctionArgs } from "@remix-run/node";
import { pdfResponse } from "~/lib/pdf-writer";
import { notFound, requirePermission } from "~/auth/guards.server";
import { audit } from "~/audit/audit.server";
import { PAPERS, receiptOf, receiptPdf, type Paper } from "~/checkout/receipt.server";

/** The receipt as a PDF: a receipt printer's 80 mm roll (default), Letter or A4; audited; never cached. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:invoice:location");
  const invoiceId = (params.invoiceId ?? "").slice(0, 64);
  const asked = new URL(request.url).searchParams.get("paper") ?? "receipt";
  if (!(asked in PAPERS)) return new Response("Choose paper=receipt, letter or a4.", { status: 400 });
  const receipt = await receiptOf(context, session.user, invoiceId);
  if (!receipt) throw notFound("No invoice with that id at your locations.");
  await audit(context, { actor: session.user, action: "invoice.receipt_read", entityType: "invoice", entityId: invoiceId, outcome: "allowed" });
  const pdf = await receiptPdf(receipt, asked as Paper);
  return pdfResponse(pdf, `receipt-${receipt.number}.pdf`);
}
