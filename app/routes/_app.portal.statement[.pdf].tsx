import type { LoaderFunctionArgs } from "@remix-run/node";
import { pdfResponse } from "~/lib/pdf-writer";
import { notFound, requirePermission } from "~/auth/guards.server";
import { audit } from "~/audit/audit.server";
import { statementOf, statementPdf } from "~/checkout/statements.server";

/** The patient's own statement as a PDF; audited; never cached. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:invoice:own");
  const statement = session.patientId ? await statementOf(context, session.user.organizationId, session.patientId) : null;
  if (!statement || !session.patientId) throw notFound("There's no patient record linked to your account here.");
  await audit(context, { actor: session.user, action: "portal.statement_read", entityType: "patient", entityId: session.patientId, outcome: "allowed" });
  return pdfResponse(await statementPdf(statement), "statement.pdf");
}
