import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const AUDIT_OUTCOMES = ["allowed", "denied", "failed"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * Append-only (triggers in the migration refuse UPDATE and DELETE).
 * Records who did what to which record, never the record's content.
 */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organizationId: text("organization_id"),
    actorUserId: text("actor_user_id"),
    actorRole: text("actor_role"),
    action: text("action").notNull(),
    entityType: text("entity_type"),
    entityId: text("entity_id"),
    outcome: text("outcome", { enum: AUDIT_OUTCOMES }).notNull(),
    /** A short machine reason (e.g. "bad_password", "missing_permission"), never free text from users. */
    reason: text("reason"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("audit_org_time_idx").on(t.organizationId, t.createdAt),
    index("audit_entity_idx").on(t.entityType, t.entityId),
  ],
);
