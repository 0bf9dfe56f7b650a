import type { LoaderFunctionArgs } from "@remix-run/node";
import { pdfResponse } from "~/lib/pdf-writer";
import { notFound, requirePermission } from "~/auth/guards.server";
import { signedConsentPdf } from "~/consents/consent-pdf.server";

/** A signed consent as a PDF, for clinical staff; audited; never cached by anything shared. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:chart:organization");
  const pdf = await signedConsentPdf(context, session, params.consentId ?? "");
  if (!pdf) throw notFound("No signed consent with that id in your organization.");
  return pdfResponse(pdf, `consent-${(params.consentId ?? "").slice(0, 8)}.pdf`);
}
