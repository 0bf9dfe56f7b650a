import type { LoaderFunctionArgs } from "@remix-run/node";
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
  return new Response((await superbillPdf(bill)) as BodyInit, { headers: { "content-type": "application/pdf", "content-disposition": `inline; filename="superbill-${bill.number}.pdf"`, "cache-control": "private, no-store", "x-content-type-options": "nosniff" } });
}
