import type { JobContext } from "./appointment-messages.server";
import { queueDueReminders } from "./appointment-messages.server";
import { deliverDue, transportsFor } from "./outbox.server";

/**
 * The message job: queue reminders that came due, then deliver what is due (with retries).
 * The Node server runs it on an interval; the Worker runs it from its cron trigger.
 */
export async function runMessageJob(ctx: JobContext, transports = transportsFor(ctx.env)) {
  const reminders = await queueDueReminders(ctx);
  const delivered = await deliverDue(ctx, 100, transports);
  if (reminders || delivered.sent || delivered.retry || delivered.dead) ctx.logger.info("message_job", { reminders, ...delivered });
  return { reminders, ...delivered };
}
