import { and, asc, desc, eq, inArray, lt, lte, ne, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AppEnv } from "../lib/env.server";
import { LINK_PLACEHOLDER, messages, type Channel, type LinkPurpose } from "../../db/schema";
import { mintAccountLink, withdrawAccountLinkWrite } from "../auth/account-links.server";
import type { BatchItem } from "drizzle-orm/batch";
import { UNLIMITED, type Budget } from "./budget";
import { carriesSecret, renderAttachment } from "./attachments.server";
import { localTransport, sendgridTransport, twilioTransport, type Attachment, type Transport } from "./transports";
import { smtpTransport } from "./smtp-transport.server";

export const MAX_ATTEMPTS = 5;
/** 1, 2, 4, 8 … minutes between attempts. */
export const backoffMs = (attempts: number) => 60_000 * 2 ** Math.max(0, attempts - 1);

export interface NewMessage {
  organizationId: string | null;
  appointmentId?: string | null;
  /** The patient a staff-written message goes to (appointment messages reach theirs through the visit). */
  patientId?: string | null;
  kind: string;
  channel: Channel;
  to: string;
  subject: string;
  body: string;
  /** Unique: the same key is never queued twice. */
  dedupeKey?: string | null;
  unsubscribeUrl?: string | null;
  /** Account emails: the body holds LINK_PLACEHOLDER, filled with a link minted at send time. */
  linkPurpose?: LinkPurpose | null;
  linkUserId?: string | null;
  /** A file made when the message is sent (attachments.server.ts), which may fill placeholders in the body. */
  attachment?: string | null;
}

function emailTransport(env: AppEnv): Transport {
  if (env.EMAIL_PROVIDER === "sendgrid") return sendgridTransport({ apiKey: env.SENDGRID_API_KEY!, from: env.EMAIL_FROM, baseUrl: env.SENDGRID_API_URL });
  if (env.EMAIL_PROVIDER === "smtp") return smtpTransport({ url: env.SMTP_URL!, from: env.EMAIL_FROM });
  return localTransport;
}

const transportsByEnv = new WeakMap<AppEnv, Record<Channel, Transport>>();
/** Channel adapters chosen by configuration (local by default), made once per environment. */
export function transportsFor(env: AppEnv): Record<Channel, Transport> {
  let t = transportsByEnv.get(env);
  if (!t) {
    t = {
      email: emailTransport(env),
      sms: env.SMS_PROVIDER === "twilio" ? twilioTransport({ accountSid: env.TWILIO_ACCOUNT_SID!, authToken: env.TWILIO_AUTH_TOKEN!, from: env.TWILIO_FROM!, baseUrl: env.TWILIO_API_URL }) : localTransport,
    };
    transportsByEnv.set(env, t);
  }
  return t;
}

/** The insert for one message, for callers that write it in a batch with other rows. */
export function messageInsert(db: Pick<AppContext["db"], "insert">, m: NewMessage, now: Date, id: string = crypto.randomUUID()) {
  return db
    .insert(messages)
    .values({ id, organizationId: m.organizationId, appointmentId: m.appointmentId ?? null, patientId: m.patientId ?? null, kind: m.kind, channel: m.channel, toAddress: m.to, subject: m.subject, body: m.body, dedupeKey: m.dedupeKey ?? null, unsubscribeUrl: m.unsubscribeUrl ?? null, linkPurpose: m.linkPurpose ?? null, linkUserId: m.linkUserId ?? null, attachment: m.attachment ?? null, nextAttemptAt: now, createdAt: now })
    .onConflictDoNothing();
}

/** Queues a message; returns its id, or null when the dedupe key was already used. */
export async function enqueue(ctx: Pick<AppContext, "db" | "clock">, m: NewMessage) {
  const inserted = await messageInsert(ctx.db, m, ctx.clock.now()).returning({ id: messages.id });
  return inserted[0]?.id ?? null;
}

type DeliveryContext = Pick<AppContext, "db" | "clock" | "env" | "logger">;

type Outcome = "sent" | "retry" | "dead" | "held" | "skipped";

/**
 * One delivery attempt, without recording it: the outcome, and the write that records it (with
 * retries, backoff and a dead-letter state), for the caller to commit alone or with others.
 * A message that carries a one-time link is never delivered locally (the staff outbox page is not
 * a mailbox): it is held until an email provider is configured.
 */
async function attempt(ctx: DeliveryContext, message: typeof messages.$inferSelect, transports: ReturnType<typeof transportsFor>, budget: Budget): Promise<{ outcome: Outcome; writes: BatchItem<"sqlite">[] }> {
  const transport = transports[message.channel];
  const record = (set: Partial<typeof messages.$inferInsert>) => ctx.db.update(messages).set(set).where(eq(messages.id, message.id));
  let body = message.body;
  let tokenId: string | null = null;
  if (message.linkPurpose) {
    if (transport.name === "local") return { outcome: "held", writes: [record({ status: "held", lastError: "needs_email_provider" })] };
    const link = await mintAccountLink(ctx, { ...message, linkPurpose: message.linkPurpose });
    if ("skipped" in link) return { outcome: "skipped", writes: [record({ status: "skipped", lastError: link.skipped })] };
    body = body.replace(LINK_PLACEHOLDER, link.url);
    tokenId = link.tokenId;
  }
  let attachments: Attachment[] | undefined;
  if (message.attachment) {
    // A secret made at send time (a gift card's code) never goes to the staff outbox page: held for a provider, as links are.
    if (transport.name === "local" && carriesSecret(message.attachment)) return { outcome: "held", writes: [record({ status: "held", lastError: "needs_email_provider" })] };
    const made = await renderAttachment(ctx, message.attachment);
    if (!made) return { outcome: "skipped", writes: [record({ status: "skipped", lastError: "attachment_gone" })] };
    for (const [placeholder, value] of Object.entries(made.fills)) body = body.replaceAll(placeholder, value);
    attachments = [made.file];
  }
  if (transport.name !== "local") budget.spend();
  const result = await transport.send({ channel: message.channel, to: message.toAddress, subject: message.subject, body, unsubscribeUrl: message.unsubscribeUrl, attachments });
  const now = ctx.clock.now();
  const attempts = message.attempts + 1;
  if (result.ok) return { outcome: "sent", writes: [record({ status: result.local ? "delivered_local" : "sent", attempts, sentAt: now, providerMessageId: result.providerMessageId, lastError: null })] };
  const dead = !result.retryable || attempts >= MAX_ATTEMPTS;
  ctx.logger.warn("message_delivery_failed", { messageId: message.id, kind: message.kind, channel: message.channel, code: result.code, dead });
  return {
    outcome: dead ? "dead" : "retry",
    writes: [
      // A link whose email could not be sent is withdrawn at once; a retry mints another.
      ...(tokenId ? [withdrawAccountLinkWrite(ctx, tokenId)] : []),
      record({ status: dead ? "dead" : "pending", attempts, lastError: result.code, nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)) }),
    ],
  };
}

/** Delivers one claimed message now and records the outcome. */
export async function deliver(ctx: DeliveryContext, message: typeof messages.$inferSelect, transports = transportsFor(ctx.env)) {
  const { outcome, writes } = await attempt(ctx, message, transports, UNLIMITED);
  await ctx.db.batch(writes as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return outcome;
}

/** What sending one more message may cost at most: an account link's minting (reads, a token, an audit event) and the send. */
const WORST_SEND = { plain: 1, link: 6 };

/**
 * Delivers due messages, in pages that fit the invocation's budget (a Worker's subrequests):
 * one statement claims a page of due messages with a lease (so no other sender, nor a restart,
 * sends them meanwhile), each is sent, and one batch records every outcome. What the budget
 * can't reach waits for the next run, released from its lease.
 */
export async function deliverDue(ctx: DeliveryContext, limit = 50, transports = transportsFor(ctx.env), budget: Budget = UNLIMITED) {
  const outcomes = { sent: 0, retry: 0, dead: 0, held: 0, skipped: 0 };
  const now = ctx.clock.now();
  // Account emails held for want of a provider go out once one is configured.
  if (transports.email.name !== "local") await ctx.db.update(messages).set({ status: "pending", nextAttemptAt: now }).where(eq(messages.status, "held"));
  let left = limit;
  while (left > 0) {
    // The claim and the outcomes' batch are two requests; the rest of the budget is for sending.
    const page = Math.min(left, 100, budget.left - 2);
    if (page <= 0) break;
    const due = ctx.db.select({ id: messages.id }).from(messages).where(and(eq(messages.status, "pending"), lte(messages.nextAttemptAt, now))).orderBy(asc(messages.nextAttemptAt)).limit(page);
    const claimed = await ctx.db
      .update(messages)
      .set({ nextAttemptAt: new Date(now.getTime() + CLAIM_MS) })
      .where(and(inArray(messages.id, due), eq(messages.status, "pending"), lte(messages.nextAttemptAt, now)))
      .returning();
    if (!claimed.length) break;
    left -= claimed.length;
    const writes: BatchItem<"sqlite">[] = [];
    for (const message of claimed.sort((x, y) => x.nextAttemptAt.getTime() - y.nextAttemptAt.getTime())) {
      if (budget.left - 1 < (message.linkPurpose ? WORST_SEND.link : WORST_SEND.plain)) {
        // Out of budget: back in the queue for the next run, not leased for two minutes.
        writes.push(ctx.db.update(messages).set({ nextAttemptAt: now }).where(eq(messages.id, message.id)));
        left = 0;
        continue;
      }
      const tried = await attempt(ctx, message, transports, budget);
      outcomes[tried.outcome]++;
      writes.push(...tried.writes);
    }
    if (writes.length) await ctx.db.batch(writes as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    if (claimed.length < page) break;
  }
  return outcomes;
}

/**
 * Queues an account email (invitation, reset) and sends it after the response has gone: the
 * request does the same work whatever the address, and the job retries a failed send.
 */
export type AccountEmail = { organizationId: string | null; to: string; subject: string; text: string; linkPurpose: LinkPurpose; linkUserId?: string | null };

export async function queueAccountEmail(ctx: AppContext, email: AccountEmail) {
  const queued = accountEmailWrite(ctx, email);
  await queued.write;
  queued.sendAfterResponse();
}

/**
 * An account email as a write for the batch of the change it belongs to (an invitation commits
 * with the membership and its audit event), and the delivery to start once that batch committed.
 */
export function accountEmailWrite(ctx: AppContext, email: AccountEmail) {
  const id = crypto.randomUUID();
  return {
    write: messageInsert(ctx.db, { organizationId: email.organizationId, kind: email.linkPurpose, channel: "email", to: email.to, subject: email.subject, body: email.text, linkPurpose: email.linkPurpose, linkUserId: email.linkUserId ?? null }, ctx.clock.now(), id),
    sendAfterResponse: () => ctx.afterResponse(() => deliverById(ctx, id)),
  };
}

async function deliverById(ctx: DeliveryContext, id: string) {
  const [row] = await claim(ctx, id);
  if (row) await deliver(ctx, row);
}

/** How long a claimed message is left to its sender before the job may try it again. */
const CLAIM_MS = 2 * 60_000;

/**
 * A conditional write decides who sends a due message (the job, or the request that queued it):
 * only the one whose update matched goes ahead.
 */
function claim(ctx: DeliveryContext, id: string) {
  const now = ctx.clock.now();
  return ctx.db
    .update(messages)
    .set({ nextAttemptAt: new Date(now.getTime() + CLAIM_MS) })
    .where(and(eq(messages.id, id), eq(messages.status, "pending"), lte(messages.nextAttemptAt, now)))
    .returning();
}

export const OUTBOX_PAGE_SIZE = 50;

export interface OutboxFilter {
  status?: string;
  channel?: "email" | "sms";
  /** The start of the recipient's address or number. */
  to?: string;
  /** Older than this (epoch ms): the next page. */
  before?: number;
}

/** A page of the organization's messages, newest first (one more than a page: is there another?). */
export async function listOutbox(ctx: AppContext, organizationId: string, filter: OutboxFilter = {}) {
  const conditions = [eq(messages.organizationId, organizationId)];
  if (filter.status) conditions.push(eq(messages.status, filter.status as typeof messages.$inferSelect.status));
  if (filter.channel) conditions.push(eq(messages.channel, filter.channel));
  // A prefix compared as text, so % and _ in an address mean themselves.
  if (filter.to) conditions.push(sql`substr(${messages.toAddress}, 1, ${filter.to.length}) = ${filter.to}`);
  if (filter.before) conditions.push(lt(messages.createdAt, new Date(filter.before)));
  return ctx.db.select().from(messages).where(and(...conditions)).orderBy(desc(messages.createdAt)).limit(OUTBOX_PAGE_SIZE + 1);
}

export async function retryDead(ctx: AppContext, organizationId: string, messageId: string) {
  const updated = await ctx.db
    .update(messages)
    .set({ status: "pending", attempts: 0, nextAttemptAt: ctx.clock.now(), lastError: null })
    .where(and(eq(messages.id, messageId), eq(messages.organizationId, organizationId), eq(messages.status, "dead")))
    .returning({ id: messages.id });
  return updated.length > 0;
}

/** How long the text of a finished message is kept (who, when and what kind stay for the record). */
export const MESSAGE_BODY_KEEP_MS = 30 * 24 * 60 * 60 * 1000;

/** The job empties the bodies of messages finished more than 30 days ago: they name patients and visits. */
export async function purgeMessageBodies(ctx: Pick<AppContext, "db" | "clock">) {
  const cutoff = new Date(ctx.clock.now().getTime() - MESSAGE_BODY_KEEP_MS);
  const purged = await ctx.db
    .update(messages)
    .set({ body: "", unsubscribeUrl: null })
    .where(and(inArray(messages.status, ["sent", "delivered_local", "dead", "skipped"]), lt(messages.createdAt, cutoff), ne(messages.body, "")))
    .returning({ id: messages.id });
  return purged.length;
}
