import type { LoaderFunctionArgs } from "@remix-run/node";
import { pdfResponse } from "~/lib/pdf-writer";
import { notFound, requirePermission } from "~/auth/guards.server";
import { audit } from "~/audit/audit.server";
import { statementOf, statementPdf } from "~/checkout/statements.server";

/** The patient's statement to print or hand over: what they owe the clinic, aged; audited; never cached. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:invoice:location");
  const patientId = (params.patientId ?? "").slice(0, 64);
  const statement = await statementOf(context, session.user.organizationId, patientId);
  if (!statement) throw notFound("No patient with that id in your organization.");
  await audit(context, { actor: session.user, action: "patient.statement_read", entityType: "patient", entityId: patientId, outcome: "allowed" });
  return pdfResponse(await statementPdf(statement), "statement.pdf");
}
