import type { JobContext } from "./appointment-messages.server";
import { queueDueReminders } from "./appointment-messages.server";
import { deliverDue, purgeMessageBodies, transportsFor } from "./outbox.server";
import { expireWaitlist } from "../waitlist/offers.server";
import { purgeSubmissionReplays } from "../lib/submission-replay.server";
import { purgePendingSignups } from "../booking/registration.server";

/**
 * The background job: queue reminders that came due, pass expired waitlist offers to the next in
 * line, then deliver what is due (with retries), and forget kept submission answers older than a day. The Node server runs it on an interval; the
 * Worker runs it from its cron trigger. `origin` is where links in messages point.
 */
export async function runMessageJob(ctx: JobContext & { origin?: string }, transports = transportsFor(ctx.env)) {
  const reminders = await queueDueReminders(ctx);
  const offersExpired = await expireWaitlist(ctx);
  const delivered = await deliverDue(ctx, 100, transports);
  const submissionsForgotten = await purgeSubmissionReplays(ctx);
  const bodiesPurged = await purgeMessageBodies(ctx);
  const signupsForgotten = await purgePendingSignups(ctx);
  if (reminders || offersExpired || delivered.sent || delivered.retry || delivered.dead || submissionsForgotten || bodiesPurged || signupsForgotten) ctx.logger.info("message_job", { reminders, offersExpired, ...delivered, submissionsForgotten, bodiesPurged, signupsForgotten });
  return { reminders, offersExpired, ...delivered, submissionsForgotten, bodiesPurged, signupsForgotten };
}
