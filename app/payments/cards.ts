/**
 * Card rules that need no database (ADR 034). A card is good through the last day of its expiry
 * month; reminders go out from the first day of that month (once per card).
 */
export interface CardExpiry {
  expMonth: number;
  expYear: number;
}

/** The first instant after the card's last good day (UTC: issuers count the month, not a zone's day). */
export function expiresAt(card: CardExpiry): Date {
  return new Date(Date.UTC(card.expYear, card.expMonth, 1));
}

export function cardExpired(card: CardExpiry, now: Date): boolean {
  return now.getTime() >= expiresAt(card).getTime();
}

/** True from the first day of the expiry month until it has expired: the time to ask for a new card. */
export function expiresThisMonth(card: CardExpiry, now: Date): boolean {
  return !cardExpired(card, now) && now.getUTCFullYear() === card.expYear && now.getUTCMonth() + 1 === card.expMonth;
}

/** "04/27" as printed on the card. */
export const expiryLabel = (card: CardExpiry) => `${String(card.expMonth).padStart(2, "0")}/${String(card.expYear).slice(-2)}`;
