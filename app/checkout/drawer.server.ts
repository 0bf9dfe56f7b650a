import { and, eq, isNull, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { auditInsert, auditInsertByChange } from "../audit/audit.server";
import { refusedWith } from "../lib/db-refusal";
import { cashDrawers, drawerMovements } from "../../db/schema";
import type { Refusal } from "./invoices.server";

type Actor = AuthedSession["user"];
type Done = { ok: true } | Refusal;

/** Opens the location's drawer with a float; a second open drawer is refused by the database. */
export async function openDrawer(ctx: AppContext, actor: Actor, locationId: string, floatCents: number): Promise<Done> {
  const id = crypto.randomUUID();
  const [inserted] = await ctx.db.batch([
    ctx.db.insert(cashDrawers).values({ id, organizationId: actor.organizationId, locationId, floatCents, openedBy: actor.id, openedAt: ctx.clock.now() }).onConflictDoNothing(),
    auditInsertByChange(ctx, ctx.db, { actor, action: "drawer.open", entityType: "cash_drawer", entityId: id }, "already_open"),
  ]);
  return inserted.rowsAffected > 0 ? { ok: true } : { ok: false, status: 409, message: "The drawer here is already open. Close it before opening another." };
}

/** Cash put in or taken out of the open drawer, with why. */
export async function moveCash(ctx: AppContext, actor: Actor, locationId: string, kind: "in" | "out", amountCents: number, reason: string): Promise<Done> {
  const [open] = await ctx.db.select({ id: cashDrawers.id }).from(cashDrawers).where(and(eq(cashDrawers.locationId, locationId), eq(cashDrawers.organizationId, actor.organizationId), isNull(cashDrawers.closedAt)));
  if (!open) return { ok: false, status: 409, message: "Open the drawer first." };
  try {
    await ctx.db.batch([
      ctx.db.insert(drawerMovements).values({ id: crypto.randomUUID(), drawerId: open.id, organizationId: actor.organizationId, kind, amountCents, reason, actorId: actor.id, createdAt: ctx.clock.now() }),
      auditInsert(ctx, ctx.db, { actor, action: kind === "in" ? "drawer.cash_in" : "drawer.cash_out", entityType: "cash_drawer", entityId: open.id, outcome: "allowed" }),
    ]);
  } catch (error) {
    if (refusedWith(error, "atrium_drawer_closed")) return { ok: false, status: 409, message: "The drawer was closed meanwhile." };
    throw error;
  }
  return { ok: true };
}

/**
 * Closes the open drawer with the amount counted. What it should hold is worked out by the same
 * statement that closes it (float, cash taken less cash refunded while open, cash in less out), so
 * a payment landing at that moment is either in the expected amount or after the close — never lost.
 */
export async function closeDrawer(ctx: AppContext, actor: Actor, locationId: string, countedCents: number, note: string | null): Promise<Done> {
  const now = ctx.clock.now().getTime();
  const d = sql.raw("cash_drawers");
  const expected = sql`${d}.float_cents
    + (select coalesce(sum(amount_cents), 0) from payments where location_id = ${d}.location_id and method = 'cash' and status = 'succeeded' and created_at >= ${d}.opened_at and created_at < ${now})
    - (select coalesce(sum(amount_cents), 0) from refunds where location_id = ${d}.location_id and method = 'cash' and created_at >= ${d}.opened_at and created_at < ${now})
    + (select coalesce(sum(case kind when 'in' then amount_cents else -amount_cents end), 0) from drawer_movements where drawer_id = ${d}.id)`;
  const [closed] = await ctx.db.batch([
    ctx.db
      .update(cashDrawers)
      .set({ closedAt: new Date(now), closedBy: actor.id, countedCents, expectedCents: expected, note })
      .where(and(eq(cashDrawers.locationId, locationId), eq(cashDrawers.organizationId, actor.organizationId), isNull(cashDrawers.closedAt))),
    auditInsertByChange(ctx, ctx.db, { actor, action: "drawer.close", entityType: "location", entityId: locationId }, "not_open"),
  ]);
  return closed.rowsAffected > 0 ? { ok: true } : { ok: false, status: 409, message: "The drawer isn't open." };
}
