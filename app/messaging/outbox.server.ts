import { and, asc, desc, eq, lte } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AppEnv } from "../lib/env.server";
import { messages, type Channel } from "../../db/schema";
import { localTransport, sendgridTransport, twilioTransport, type Transport } from "./transports";

export const MAX_ATTEMPTS = 5;
/** 1, 2, 4, 8 … minutes between attempts. */
export const backoffMs = (attempts: number) => 60_000 * 2 ** Math.max(0, attempts - 1);

export interface NewMessage {
  organizationId: string | null;
  appointmentId?: string | null;
  kind: string;
  channel: Channel;
  to: string;
  subject: string;
  body: string;
  /** Unique: the same key is never queued twice. */
  dedupeKey?: string | null;
  unsubscribeUrl?: string | null;
}

const transportsByEnv = new WeakMap<AppEnv, Record<Channel, Transport>>();
/** Channel adapters chosen by configuration (local by default), made once per environment. */
export function transportsFor(env: AppEnv): Record<Channel, Transport> {
  let t = transportsByEnv.get(env);
  if (!t) {
    t = {
      email: env.EMAIL_PROVIDER === "sendgrid" ? sendgridTransport({ apiKey: env.SENDGRID_API_KEY!, from: env.EMAIL_FROM, baseUrl: env.SENDGRID_API_URL }) : localTransport,
      sms: env.SMS_PROVIDER === "twilio" ? twilioTransport({ accountSid: env.TWILIO_ACCOUNT_SID!, authToken: env.TWILIO_AUTH_TOKEN!, from: env.TWILIO_FROM!, baseUrl: env.TWILIO_API_URL }) : localTransport,
    };
    transportsByEnv.set(env, t);
  }
  return t;
}

/** The insert for one message, for callers that write it in a batch with other rows. */
export function messageInsert(db: Pick<AppContext["db"], "insert">, m: NewMessage, now: Date) {
  return db
    .insert(messages)
    .values({ id: crypto.randomUUID(), organizationId: m.organizationId, appointmentId: m.appointmentId ?? null, kind: m.kind, channel: m.channel, toAddress: m.to, subject: m.subject, body: m.body, dedupeKey: m.dedupeKey ?? null, unsubscribeUrl: m.unsubscribeUrl ?? null, nextAttemptAt: now, createdAt: now })
    .onConflictDoNothing();
}

/** Queues a message; returns its id, or null when the dedupe key was already used. */
export async function enqueue(ctx: Pick<AppContext, "db" | "clock">, m: NewMessage) {
  const inserted = await messageInsert(ctx.db, m, ctx.clock.now()).returning({ id: messages.id });
  return inserted[0]?.id ?? null;
}

/** One delivery attempt; the outcome is recorded with retries, backoff and a dead-letter state. */
export async function deliver(ctx: Pick<AppContext, "db" | "clock" | "env" | "logger">, message: typeof messages.$inferSelect, transports = transportsFor(ctx.env)) {
  const result = await transports[message.channel].send({ channel: message.channel, to: message.toAddress, subject: message.subject, body: message.body, unsubscribeUrl: message.unsubscribeUrl });
  const now = ctx.clock.now();
  const attempts = message.attempts + 1;
  if (result.ok) {
    await ctx.db.update(messages).set({ status: result.local ? "delivered_local" : "sent", attempts, sentAt: now, providerMessageId: result.providerMessageId, lastError: null }).where(eq(messages.id, message.id));
    return "sent" as const;
  }
  const dead = !result.retryable || attempts >= MAX_ATTEMPTS;
  await ctx.db
    .update(messages)
    .set({ status: dead ? "dead" : "pending", attempts, lastError: result.code, nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)) })
    .where(eq(messages.id, message.id));
  ctx.logger.warn("message_delivery_failed", { messageId: message.id, kind: message.kind, channel: message.channel, code: result.code, dead });
  return dead ? ("dead" as const) : ("retry" as const);
}

export async function deliverDue(ctx: Pick<AppContext, "db" | "clock" | "env" | "logger">, limit = 50, transports = transportsFor(ctx.env)) {
  const due = await ctx.db.select().from(messages).where(and(eq(messages.status, "pending"), lte(messages.nextAttemptAt, ctx.clock.now()))).orderBy(asc(messages.nextAttemptAt)).limit(limit);
  const outcomes = { sent: 0, retry: 0, dead: 0 };
  for (const m of due) outcomes[await deliver(ctx, m, transports)]++;
  return outcomes;
}

/** Account emails (invitations, resets) go out at once; if that fails the job retries them. */
export async function sendEmail(ctx: AppContext, email: { organizationId: string | null; to: string; subject: string; text: string; kind: string }) {
  const id = await enqueue(ctx, { organizationId: email.organizationId, kind: email.kind, channel: "email", to: email.to, subject: email.subject, body: email.text });
  const [row] = id ? await ctx.db.select().from(messages).where(eq(messages.id, id)) : [];
  if (row) await deliver(ctx, row);
  ctx.logger.info("email_queued", { kind: email.kind });
}

export async function listOutbox(ctx: AppContext, organizationId: string, limit = 100) {
  return ctx.db.select().from(messages).where(eq(messages.organizationId, organizationId)).orderBy(desc(messages.createdAt)).limit(limit);
}

export async function retryDead(ctx: AppContext, organizationId: string, messageId: string) {
  const updated = await ctx.db
    .update(messages)
    .set({ status: "pending", attempts: 0, nextAttemptAt: ctx.clock.now(), lastError: null })
    .where(and(eq(messages.id, messageId), eq(messages.organizationId, organizationId), eq(messages.status, "dead")))
    .returning({ id: messages.id });
  return updated.length > 0;
}
