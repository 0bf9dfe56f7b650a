import type { LoaderFunctionArgs } from "@remix-run/node";
import { pdfResponse } from "~/lib/pdf-writer";
import { notFound, requirePermission } from "~/auth/guards.server";
import { audit } from "~/audit/audit.server";
import { ownInvoice } from "~/payments/online.server";
import { superbillOf, superbillPdf } from "~/superbills/superbill.server";

/** The patient's own superbill, to claim from their insurer; audited; never cached. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:invoice:own");
  const invoice = await ownInvoice(context, session, (params.invoiceId ?? "").slice(0, 64));
  const bill = invoice ? await superbillOf(context, session.user, invoice.id) : null;
  if (!invoice || !bill) throw notFound("No invoice of yours with that id.");
  await audit(context, { actor: session.user, action: "portal.superbill_read", entityType: "invoice", entityId: invoice.id, outcome: "allowed" });
  return pdfResponse((await superbillPdf(bill)), `superbill-${bill.number}.pdf`);
}
