import type { LoaderFunctionArgs } from "@remix-run/node";
import { pdfResponse } from "~/lib/pdf-writer";
import { and, eq } from "drizzle-orm";
import { notFound, requirePermission } from "~/auth/guards.server";
import { audit } from "~/audit/audit.server";
import { giftCardPdf } from "~/gift-cards/card-pdf.server";
import { openCode } from "~/gift-cards/secrets.server";
import { formatMoney } from "~/scheduling/format";
import { giftCards, organizations } from "../../db/schema";

/** The paid card to print and hand over (its code in full, as a QR too); audited; never cached. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "checkout:invoice:location");
  const [row] = await context.db
    .select({ card: giftCards, clinic: organizations.name })
    .from(giftCards)
    .innerJoin(organizations, eq(organizations.id, giftCards.organizationId))
    .where(and(eq(giftCards.id, (params.giftCardId ?? "").slice(0, 64)), eq(giftCards.organizationId, session.user.organizationId)));
  if (!row) throw notFound("No gift card with that id in your organization.");
  if (row.card.status !== "active") return new Response("The card can be printed once its sale is paid.", { status: 409 });
  await audit(context, { actor: session.user, action: "gift_card.print", entityType: "gift_card", entityId: row.card.id, outcome: "allowed" });
  const { card } = row;
  const pdf = await giftCardPdf({ clinic: row.clinic, amount: formatMoney(card.initialCents), code: await openCode(context.env, card.codeSealed), design: card.design, recipientName: card.recipientName, senderName: card.senderName, message: card.message, expires: card.expiresAt ? card.expiresAt.toISOString().slice(0, 10) : null });
  return pdfResponse(pdf, `gift-card-${card.codeLast4}.pdf`);
}
