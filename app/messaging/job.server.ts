import type { JobContext } from "./appointment-messages.server";
import { queueDueReminders } from "./appointment-messages.server";
import { deliverDue, purgeMessageBodies, transportsFor } from "./outbox.server";
import { expireWaitlist } from "../waitlist/offers.server";
import { purgeSubmissionReplays } from "../lib/submission-replay.server";
import { purgeDeviceAnswers } from "../pwa/device-mutations.server";
import { purgePendingSignups } from "../booking/registration.server";
import { UNLIMITED, type Budget } from "./budget";
import { queueCardExpiryReminders } from "../payments/card-reminders.server";
import { releaseAbandonedOnlinePayments } from "../payments/online.server";
import { voidUnpaidOnlineOrders } from "../gift-cards/orders.server";
import { addDueLateFees } from "../checkout/late-fees.server";
import { queueGiftCardDeliveries } from "../gift-cards/delivery.server";

/**
 * The background job: queue reminders that came due, pass expired waitlist offers to the next in
 * line, then deliver what is due (with retries), and forget kept submission answers older than a day (a tablet's outbox answers after 30). The Node server runs it on an interval; the
 * Worker runs it from its cron trigger. `origin` is where links in messages point.
 */
export async function runMessageJob(ctx: JobContext & { origin?: string }, transports = transportsFor(ctx.env), budget: Budget = UNLIMITED) {
  // Within a Worker's subrequest budget (budget.ts): reminders cost two requests however many;
  // each expired offer a dozen, leaving most of the budget to delivery; the purges four.
  const limited = Number.isFinite(budget.left);
  const reminders = budget.left >= 30 ? await queueDueReminders(ctx) : 0;
  const offersExpired = await expireWaitlist(ctx, limited ? Math.floor((budget.left - 28) / 12) : 100);
  const delivered = await deliverDue(ctx, 100, transports, limited ? { get left() { return budget.left - 4; }, spend: (n?: number) => budget.spend(n) } : budget);
  const purge = budget.left >= 4;
  const submissionsForgotten = purge ? (await purgeSubmissionReplays(ctx)) + (await purgeDeviceAnswers(ctx)).length : 0;
  const bodiesPurged = purge ? await purgeMessageBodies(ctx) : 0;
  const signupsForgotten = purge ? await purgePendingSignups(ctx) : 0;
  // Payments and gift cards get what delivery left (a busy run leaves them to the next, a minute
  // on): gift cards whose day has come and cards on file expiring this month are queued (a read,
  // then a batch each; they go out with the next delivery), and pay pages a patient left
  // unfinished give back what they held (a read, then a Stripe call and a batch each).
  const pages = (cost: number, most: number) => (limited ? Math.min(most, Math.floor((budget.left - 1) / cost)) : most);
  const giftCardsQueued = pages(2, 50) > 0 ? await queueGiftCardDeliveries(ctx, pages(2, 50)) : 0;
  const cardReminders = pages(2, 100) > 0 ? await queueCardExpiryReminders(ctx, pages(2, 100)) : 0;
  let chargesReleased = 0;
  if (pages(3, 20) > 0) {
    const released = await releaseAbandonedOnlinePayments({ ...ctx, ip: "job", userAgent: "message-job" }, pages(3, 20));
    budget.spend(released.stripeCalls);
    chargesReleased = released.released;
  }
  // Online gift card orders left unpaid for a day are closed (one statement).
  const ordersVoided = pages(1, 1) > 0 ? await voidUnpaidOnlineOrders(ctx) : 0;
  // Late fees, where the clinic charges them (a read, then a batch each).
  const lateFees = pages(2, 20) > 0 ? await addDueLateFees({ ...ctx, ip: "job", userAgent: "message-job" }, pages(2, 20)) : 0;
  if (reminders || cardReminders || giftCardsQueued || chargesReleased || ordersVoided || lateFees || offersExpired || delivered.sent || delivered.retry || delivered.dead || submissionsForgotten || bodiesPurged || signupsForgotten) ctx.logger.info("message_job", { reminders, cardReminders, giftCardsQueued, chargesReleased, ordersVoided, lateFees, offersExpired, ...delivered, submissionsForgotten, bodiesPurged, signupsForgotten });
  return { reminders, cardReminders, giftCardsQueued, chargesReleased, ordersVoided, lateFees, offersExpired, ...delivered, submissionsForgotten, bodiesPurged, signupsForgotten };
}
