import type { LoaderFunctionArgs } from "@remix-run/node";
import { pdfResponse } from "~/lib/pdf-writer";
import { notFound, requirePermission } from "~/auth/guards.server";
import { audit } from "~/audit/audit.server";
import { PAPERS, receiptOf, receiptPdf, type Paper } from "~/checkout/receipt.server";
import { ownInvoice } from "~/payments/online.server";

/** The patient's own receipt as a PDF (Letter by default on a phone); audited; never cached. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:invoice:own");
  const asked = new URL(request.url).searchParams.get("paper") ?? "letter";
  if (!(asked in PAPERS)) return new Response("Choose paper=receipt, letter or a4.", { status: 400 });
  const invoice = await ownInvoice(context, session, (params.invoiceId ?? "").slice(0, 64));
  const receipt = invoice ? await receiptOf(context, session.user, invoice.id) : null;
  if (!invoice || !receipt) throw notFound("No invoice of yours with that id.");
  await audit(context, { actor: session.user, action: "portal.receipt_read", entityType: "invoice", entityId: invoice.id, outcome: "allowed" });
  const pdf = await receiptPdf(receipt, asked as Paper);
  return pdfResponse(pdf, `receipt-${receipt.number}.pdf`);
}
