import { and, eq, isNull } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { messageInsert } from "../messaging/outbox.server";
import { unsubscribeUrl } from "../messaging/unsubscribe.server";
import { organizations, patients, savedCards } from "../../db/schema";
import { brandLabel } from "../checkout/labels";
import { expiryLabel } from "./cards";

/**
 * Tells patients, once per card, that a card on file expires this month (ADR 034): by email
 * when they take the clinic's emails, with a link to their portal's Cards page. The message and
 * the card's "reminded" mark are written in one batch; the message's dedupe key (one per card)
 * makes two job runs at once send one. Part of the message job (app/messaging/job.server.ts).
 */
export async function queueCardExpiryReminders(ctx: Pick<AppContext, "db" | "clock" | "env"> & { origin?: string }, limit = 100) {
  const now = ctx.clock.now();
  const rows = await ctx.db
    .select({ id: savedCards.id, brand: savedCards.brand, last4: savedCards.last4, expMonth: savedCards.expMonth, expYear: savedCards.expYear, patientId: patients.id, firstName: patients.firstName, email: patients.email, emailConsent: patients.emailConsent, organizationId: organizations.id, clinic: organizations.name })
    .from(savedCards)
    .innerJoin(patients, eq(patients.id, savedCards.patientId))
    .innerJoin(organizations, eq(organizations.id, savedCards.organizationId))
    .where(and(isNull(savedCards.removedAt), isNull(savedCards.expiryRemindedAt), eq(savedCards.expYear, now.getUTCFullYear()), eq(savedCards.expMonth, now.getUTCMonth() + 1)))
    .limit(limit);
  let queued = 0;
  for (const card of rows) {
    const mark = ctx.db.update(savedCards).set({ expiryRemindedAt: now }).where(and(eq(savedCards.id, card.id), isNull(savedCards.expiryRemindedAt)));
    if (!card.email || !card.emailConsent) {
      await mark;
      continue;
    }
    const unsubscribe = await unsubscribeUrl(ctx, card.patientId);
    const label = `${brandLabel(card.brand)} ending ${card.last4}`;
    const body = `Hello ${card.firstName},\n\nThe ${label} you keep on file with ${card.clinic} expires at the end of this month (${expiryLabel(card)}). To keep paying the easy way, add your new card in your portal: ${ctx.origin ?? ""}/portal/cards\n\nTo stop these emails: ${unsubscribe}`;
    const [, message] = await ctx.db.batch([
      mark,
      messageInsert(ctx.db, { organizationId: card.organizationId, patientId: card.patientId, kind: "card_expiring", channel: "email", to: card.email, subject: `Your card on file with ${card.clinic} expires this month`, body, dedupeKey: `card_expiring:${card.id}`, unsubscribeUrl: unsubscribe }, now),
    ]);
    if (message.rowsAffected === 0) continue;
    queued++;
  }
  return queued;
}
