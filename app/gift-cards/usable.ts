import type { Refusal } from "../checkout/invoices.server";

/** Whether a card can pay now (the payment's trigger decides again in the insert). */
export function giftCardUsable(card: { status: "pending" | "active" | "void"; expiresAt: Date | null; balanceCents: number }, now: Date): Refusal | null {
  if (card.status === "pending") return { ok: false, status: 409, field: "giftCardCode", message: "That gift card isn't paid for yet." };
  if (card.status === "void") return { ok: false, status: 409, field: "giftCardCode", message: "That gift card is void." };
  if (card.expiresAt && card.expiresAt.getTime() <= now.getTime()) return { ok: false, status: 409, field: "giftCardCode", message: "That gift card has expired." };
  if (card.balanceCents <= 0) return { ok: false, status: 409, field: "giftCardCode", message: "That gift card has nothing left on it." };
  return null;
}
