import { eq } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { giftCards, organizations, patients } from "../../db/schema";
import { statementOf, statementPdf } from "../checkout/statements.server";
import type { Attachment } from "./transports";
import { giftCardPdf } from "../gift-cards/card-pdf.server";
import { openCode } from "../gift-cards/secrets.server";
import { formatCode } from "../gift-cards/codes";
import { formatMoney } from "../scheduling/format";
import { receiptForOrganization, receiptPdf } from "../checkout/receipt.server";

/**
 * Files made when a message is sent (ADR 035): the outbox keeps only a reference ("gift_card:<id>",
 * "receipt:<invoice id>"), so what the file holds — a gift card's code above all — is never stored
 * with the message or shown on the staff outbox page. A file may also fill placeholders in the body.
 */
export const GIFT_CARD_CODE_PLACEHOLDER = "{{GIFT_CARD_CODE}}";

/** References whose file holds a secret: never "delivered" to the local outbox page. */
export const carriesSecret = (ref: string) => ref.startsWith("gift_card:");

type Made = { file: Attachment; fills: Record<string, string> };

export async function renderAttachment(ctx: Pick<AppContext, "db" | "env" | "clock">, ref: string): Promise<Made | null> {
  const [kind, id] = ref.split(":");
  if (kind === "gift_card") {
    const [row] = await ctx.db.select({ card: giftCards, clinic: organizations.name }).from(giftCards).innerJoin(organizations, eq(organizations.id, giftCards.organizationId)).where(eq(giftCards.id, id));
    if (!row || row.card.status !== "active") return null;
    const code = await openCode(ctx.env, row.card.codeSealed);
    const pdf = await giftCardPdf({ clinic: row.clinic, amount: formatMoney(row.card.initialCents), code, design: row.card.design, recipientName: row.card.recipientName, senderName: row.card.senderName, message: row.card.message, expires: row.card.expiresAt ? row.card.expiresAt.toISOString().slice(0, 10) : null });
    return { file: { filename: `gift-card-${row.card.codeLast4}.pdf`, contentType: "application/pdf", content: pdf }, fills: { [GIFT_CARD_CODE_PLACEHOLDER]: formatCode(code) } };
  }
  if (kind === "statement") {
    // What the patient owes at send time, from their record's organization.
    const [patient] = await ctx.db.select({ organizationId: patients.organizationId }).from(patients).where(eq(patients.id, id));
    const statement = patient ? await statementOf(ctx, patient.organizationId, id) : null;
    if (!statement) return null;
    return { file: { filename: `statement-${statement.date.replace(/[^A-Za-z0-9]+/g, "-")}.pdf`, contentType: "application/pdf", content: await statementPdf(statement) }, fills: {} };
  }
  if (kind === "receipt") {
    // The receipt as the organization sees it (every location): the message was queued by its staff.
    const receipt = await receiptForOrganization(ctx as AppContext, id);
    if (!receipt) return null;
    return { file: { filename: `receipt-${receipt.number}.pdf`, contentType: "application/pdf", content: await receiptPdf(receipt, "letter") }, fills: {} };
  }
  return null;
}
