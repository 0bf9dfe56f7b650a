import { and, eq, isNotNull, isNull, lte, or } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { messageInsert } from "../messaging/outbox.server";
import { GIFT_CARD_CODE_PLACEHOLDER } from "../messaging/attachments.server";
import { giftCards, organizations } from "../../db/schema";
import { formatMoney } from "../scheduling/format";

/**
 * Emails paid gift cards to their recipients when their day comes (ADR 035), as part of the
 * message job: the message carries the card as a PDF made at send time, and its code only as a
 * placeholder until then. The card's "sent" mark and the message go in one batch; the message's
 * dedupe key (one per card) makes two job runs at once send one.
 */
export async function queueGiftCardDeliveries(ctx: Pick<AppContext, "db" | "clock">, limit = 50) {
  const now = ctx.clock.now();
  const due = await ctx.db
    .select({ card: giftCards, clinic: organizations.name })
    .from(giftCards)
    .innerJoin(organizations, eq(organizations.id, giftCards.organizationId))
    .where(and(eq(giftCards.status, "active"), isNull(giftCards.deliveredAt), isNotNull(giftCards.recipientEmail), or(isNull(giftCards.deliverAt), lte(giftCards.deliverAt, now))))
    .limit(limit);
  let queued = 0;
  for (const { card, clinic } of due) {
    const from = card.senderName ? `${card.senderName} sent you` : "You've received";
    const body = [
      `Hello${card.recipientName ? ` ${card.recipientName}` : ""},`,
      "",
      `${from} a ${formatMoney(card.initialCents)} gift card for ${clinic}.`,
      ...(card.message ? ["", `“${card.message}”`] : []),
      "",
      `Your code: ${GIFT_CARD_CODE_PLACEHOLDER}`,
      "The card is attached as a PDF: show it, or the code, at checkout.",
      ...(card.expiresAt ? [`It is good until ${card.expiresAt.toISOString().slice(0, 10)}.`] : []),
    ].join("\n");
    const [, message] = await ctx.db.batch([
      ctx.db.update(giftCards).set({ deliveredAt: now }).where(and(eq(giftCards.id, card.id), isNull(giftCards.deliveredAt))),
      messageInsert(ctx.db, { organizationId: card.organizationId, kind: "gift_card", channel: "email", to: card.recipientEmail!, subject: `A gift card for ${clinic}`, body, dedupeKey: `gift_card:${card.id}`, attachment: `gift_card:${card.id}` }, now),
    ]);
    if (message.rowsAffected) queued++;
  }
  return queued;
}
