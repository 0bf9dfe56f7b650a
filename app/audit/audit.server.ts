import { and, desc, eq, getTableColumns, gte, lt, like, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "../lib/context.server";
import { retryBusy } from "../lib/busy";
import { auditEvents, users, type AuditOutcome } from "../../db/schema";

export interface AuditActor {
  id: string;
  role: string;
  organizationId: string;
}

export interface AuditEntry {
  actor?: AuditActor | null;
  organizationId?: string | null;
  action: string;
  entityType?: string;
  entityId?: string;
  outcome: AuditOutcome;
  reason?: string;
}

type AuditContext = Pick<AppContext, "db" | "clock" | "ip" | "userAgent"> & Partial<Pick<AppContext, "memo" | "afterResponse" | "logger">>;

/**
 * Writes one append-only event. Never pass record content: ids, actions and codes only.
 *
 * A page (GET) changes nothing, so what it audits (who read what, denials) is written once the
 * answer has gone: on Turso each statement is a network round trip, and a read's audit would
 * otherwise be one more trip the reader waits for. The runtime waits for it (Node: before a
 * graceful stop; Worker: waitUntil), and a busy database is retried. A change's audit is not
 * written here: it goes in the same batch as the change (auditInsert).
 */
export async function audit(ctx: AuditContext, entry: AuditEntry) {
  const at = ctx.clock.now();
  const write = () => auditInsert({ ...ctx, clock: { now: () => at } }, ctx.db, entry);
  if (ctx.memo && ctx.afterResponse) {
    ctx.afterResponse(() => retryBusy(write).catch((error) => ctx.logger?.error("audit_write_failed", { action: entry.action, error: (error as Error)?.message })));
    return;
  }
  await write();
}

/** The columns of one audit event, outcome and reason as given. */
function auditColumns(ctx: Pick<AppContext, "clock" | "ip" | "userAgent">, entry: Omit<AuditEntry, "outcome">) {
  return {
    organizationId: entry.organizationId ?? entry.actor?.organizationId ?? null,
    actorUserId: entry.actor?.id ?? null,
    actorRole: entry.actor?.role ?? null,
    action: entry.action,
    entityType: entry.entityType ?? null,
    entityId: entry.entityId ?? null,
    reason: entry.reason ?? null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    createdAt: ctx.clock.now(),
  };
}

/** The insert for one audit event, for writes that commit it in the same batch as the change. */
export function auditInsert(ctx: Pick<AppContext, "clock" | "ip" | "userAgent">, db: Pick<AppContext["db"], "insert">, entry: AuditEntry) {
  return db.insert(auditEvents).values({ ...auditColumns(ctx, entry), outcome: entry.outcome });
}

/**
 * The audit insert for a batch whose previous statement decides (a conditional write): "allowed"
 * when that statement changed a row, else "denied" with `deniedReason`. SQLite's changes() is the
 * previous statement's count on this connection, and a batch runs on one connection, in order.
 */
export function auditInsertByChange(ctx: Pick<AppContext, "clock" | "ip" | "userAgent">, db: Pick<AppContext["db"], "insert">, entry: Omit<AuditEntry, "outcome">, deniedReason: string) {
  return db.insert(auditEvents).values({
    ...auditColumns(ctx, entry),
    outcome: sql<AuditOutcome>`case when changes() > 0 then 'allowed' else 'denied' end`,
    reason: sql<string | null>`case when changes() > 0 then ${entry.reason ?? null} else ${deniedReason} end`,
  });
}

/**
 * The audit insert for a batch whose previous statement decides, written only when that statement
 * changed a row (a webhook delivered twice, a card saved by two paths: the second writes nothing).
 */
export function auditInsertIfChanged(ctx: Pick<AppContext, "clock" | "ip" | "userAgent">, db: Pick<AppContext["db"], "run">, entry: Omit<AuditEntry, "outcome">) {
  const c = auditColumns(ctx, entry);
  return db.run(sql`insert into audit_events (organization_id, actor_user_id, actor_role, action, entity_type, entity_id, outcome, reason, ip, user_agent, created_at)
    select ${c.organizationId}, ${c.actorUserId}, ${c.actorRole}, ${c.action}, ${c.entityType}, ${c.entityId}, 'allowed', ${c.reason}, ${c.ip}, ${c.userAgent}, ${c.createdAt.getTime()} where changes() > 0`);
}

/**
 * Commits a change and its audit event in one batch: one round trip, and both or neither
 * (a change never lands without its audit). Returns the writes' results, in order.
 */
export async function commitAudited(ctx: Pick<AppContext, "db" | "clock" | "ip" | "userAgent">, writes: BatchItem<"sqlite">[], entry: AuditEntry): Promise<unknown[]> {
  const results = await ctx.db.batch([...writes, auditInsert(ctx, ctx.db, entry)] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return (results as unknown[]).slice(0, -1);
}

export interface AuditFilter {
  action?: string;
  outcome?: AuditOutcome;
  actorUserId?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
  before?: number;
}

export const AUDIT_PAGE_SIZE = 50;

export async function listAuditEvents(ctx: AppContext, organizationId: string, filter: AuditFilter) {
  const conditions = [eq(auditEvents.organizationId, organizationId)];
  if (filter.action) conditions.push(like(auditEvents.action, `${filter.action}%`));
  if (filter.outcome) conditions.push(eq(auditEvents.outcome, filter.outcome));
  if (filter.actorUserId) conditions.push(eq(auditEvents.actorUserId, filter.actorUserId));
  if (filter.entityId) conditions.push(eq(auditEvents.entityId, filter.entityId));
  if (filter.from) conditions.push(gte(auditEvents.createdAt, filter.from));
  if (filter.to) conditions.push(lt(auditEvents.createdAt, filter.to));
  if (filter.before) conditions.push(lt(auditEvents.id, filter.before));
  // Who acted, by name (people read names, not ids); never anything about a record's content.
  return ctx.db
    .select({ ...getTableColumns(auditEvents), actorName: users.name })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(AUDIT_PAGE_SIZE + 1);
}
