import { and, desc, eq } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { emailOutbox } from "../../db/schema";

export interface OutgoingEmail {
  organizationId: string | null;
  to: string;
  subject: string;
  text: string;
  kind: string;
}

/**
 * Queues an email. The embedded default has no provider configured, so the message is
 * marked delivered to the local outbox, which staff read at /outbox.
 */
export async function sendEmail(ctx: AppContext, email: OutgoingEmail) {
  await ctx.db.insert(emailOutbox).values({
    id: crypto.randomUUID(),
    organizationId: email.organizationId,
    toAddress: email.to,
    subject: email.subject,
    textBody: email.text,
    kind: email.kind,
    status: "delivered_local",
    createdAt: ctx.clock.now(),
  });
  ctx.logger.info("email_queued", { kind: email.kind });
}

export async function listOutbox(ctx: AppContext, organizationId: string, limit = 100) {
  return ctx.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.organizationId, organizationId)))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(limit);
}
