import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { commitAudited } from "../audit/audit.server";
import { messageInsert } from "../messaging/outbox.server";
import { invoiceEvent, type Refusal } from "./invoices.server";
import { eq } from "drizzle-orm";
import { invoices } from "../../db/schema";
import { receiptForOrganization, receiptOf, receiptText, type Receipt } from "./receipt.server";

/**
 * Emails the receipt to the patient through the outbox (its job delivers it, with retries), in the
 * same batch as the invoice's history and the audit. The same receipt for the same state of the
 * invoice is queued once, however often the button is pressed.
 */
export async function emailReceipt(ctx: AppContext, actor: AuthedSession["user"], invoiceId: string): Promise<{ ok: true } | Refusal> {
  const receipt = await receiptOf(ctx, actor, invoiceId);
  if (!receipt) return { ok: false, status: 404, message: "No invoice with that id at your locations." };
  if (!receipt.patient.email) return { ok: false, status: 409, message: "There's no email address on this patient's record. Add one there, or print the receipt." };
  const { ids } = receipt;
  await commitAudited(
    ctx,
    [
      receiptMessage(ctx, receipt, receipt.patient.email),
      invoiceEvent(ctx, { id: ids.invoiceId, organizationId: ids.organizationId }, actor, "receipt", "Receipt emailed to the patient"),
    ],
    { actor, action: "invoice.receipt_email", entityType: "invoice", entityId: ids.invoiceId, outcome: "allowed" },
  );
  return { ok: true };
}

/**
 * The receipt for a buyer who paid online (ADR 037), queued once the invoice is paid — by the
 * page the buyer comes back to, or the webhook, whichever is first: the dedupe key makes it one.
 */
export async function queueBuyerReceipt(ctx: AppContext, invoiceId: string) {
  const [invoice] = await ctx.db.select({ status: invoices.status, online: invoices.buyerTokenHash }).from(invoices).where(eq(invoices.id, invoiceId));
  if (!invoice?.online || invoice.status !== "paid") return false;
  const receipt = await receiptForOrganization(ctx, invoiceId);
  if (!receipt?.patient.email) return false;
  await receiptMessage(ctx, receipt, receipt.patient.email);
  return true;
}

/** The receipt's email (its PDF made when it is sent); the same receipt for the same state of the invoice goes once. */
function receiptMessage(ctx: Pick<AppContext, "db" | "clock">, receipt: Receipt, to: string) {
  const { ids } = receipt;
  return messageInsert(ctx.db, { organizationId: ids.organizationId, patientId: ids.patientId, kind: "receipt", channel: "email", to, subject: `Your receipt from ${receipt.clinic} (#${receipt.number})`, body: receiptText(receipt), dedupeKey: `receipt:${ids.invoiceId}:${ids.state}`, attachment: `receipt:${ids.invoiceId}` }, ctx.clock.now());
}
