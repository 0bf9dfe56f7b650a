import { and, asc, eq, inArray, ne } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import { locations, userLocations, users } from "../../db/schema";
import type { Role } from "../../db/schema/accounts";
import { audit } from "../audit/audit.server";
import type { AuthedSession } from "../auth/guards.server";
import { sendInvitation } from "../auth/recovery.server";
import { revokeAllSessions } from "../auth/session.server";
import type { InviteStaffSchema, UpdateStaffSchema } from "./schemas";

/** Only an owner may grant the owner role or change an owner's account; nobody edits their own role or status. */
export function staffChangeRefusal(actor: { id: string; role: Role }, target: { id: string; role: Role } | null, newRole?: Role): string | null {
  if (target && target.id === actor.id) return "You can't change your own role or status. Ask another owner or manager.";
  if (actor.role !== "owner" && (target?.role === "owner" || newRole === "owner")) return "Only an owner can grant the owner role or change an owner's account.";
  return null;
}

export async function listStaff(ctx: AppContext, session: AuthedSession) {
  const rows = await ctx.db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, status: users.status, mfaEnabledAt: users.mfaEnabledAt })
    .from(users)
    .where(and(eq(users.organizationId, session.user.organizationId), ne(users.role, "patient")))
    .orderBy(asc(users.name));
  return rows.map(({ mfaEnabledAt, ...r }) => ({ ...r, mfa: Boolean(mfaEnabledAt) }));
}

export async function getStaffMember(ctx: AppContext, session: AuthedSession, userId: string) {
  const [row] = await ctx.db
    .select({ id: users.id, organizationId: users.organizationId, name: users.name, email: users.email, role: users.role, status: users.status })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.organizationId, session.user.organizationId), ne(users.role, "patient")));
  if (!row) return null;
  const assigned = await ctx.db.select({ locationId: userLocations.locationId }).from(userLocations).where(eq(userLocations.userId, userId));
  return { ...row, locationIds: assigned.map((a) => a.locationId) };
}

async function ownLocationIds(ctx: AppContext, session: AuthedSession, ids: string[]) {
  const rows = await ctx.db.select({ id: locations.id }).from(locations).where(and(eq(locations.organizationId, session.user.organizationId), inArray(locations.id, ids)));
  return rows.length === new Set(ids).size;
}

export type StaffResult = { ok: true; userId: string } | { ok: false; field?: "email" | "role" | "locationIds"; message: string; status: number };

export async function inviteStaff(ctx: AppContext, request: Request, session: AuthedSession, input: z.infer<typeof InviteStaffSchema>): Promise<StaffResult> {
  const refusal = staffChangeRefusal(session.user, null, input.role);
  if (refusal) return { ok: false, field: "role", message: refusal, status: 403 };
  if (!(await ownLocationIds(ctx, session, input.locationIds))) return { ok: false, field: "locationIds", message: "Choose locations from the list.", status: 400 };
  const [existing] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (existing) return { ok: false, field: "email", message: "Someone already uses that email address in Atrium.", status: 409 };
  const userId = crypto.randomUUID();
  await ctx.db.batch([
    ctx.db.insert(users).values({ id: userId, organizationId: session.user.organizationId, email: input.email, name: input.name, role: input.role, status: "invited", createdAt: ctx.clock.now() }),
    ctx.db.insert(userLocations).values(input.locationIds.map((locationId) => ({ userId, locationId }))),
  ]);
  await sendInvitation(ctx, request, { id: userId, email: input.email, name: input.name, organizationId: session.user.organizationId }, session.organization.name, session.user.name);
  await audit(ctx, { actor: session.user, action: "staff.invite", entityType: "user", entityId: userId, outcome: "allowed", reason: input.role });
  return { ok: true, userId };
}

export async function updateStaff(ctx: AppContext, session: AuthedSession, target: { id: string; role: Role }, input: z.infer<typeof UpdateStaffSchema>): Promise<StaffResult> {
  const refusal = staffChangeRefusal(session.user, target, input.role);
  if (refusal) return { ok: false, field: "role", message: refusal, status: 403 };
  if (!(await ownLocationIds(ctx, session, input.locationIds))) return { ok: false, field: "locationIds", message: "Choose locations from the list.", status: 400 };
  await ctx.db.batch([
    ctx.db.update(users).set({ role: input.role }).where(eq(users.id, target.id)),
    ctx.db.delete(userLocations).where(eq(userLocations.userId, target.id)),
    ctx.db.insert(userLocations).values(input.locationIds.map((locationId) => ({ userId: target.id, locationId }))),
  ]);
  await audit(ctx, { actor: session.user, action: "staff.update", entityType: "user", entityId: target.id, outcome: "allowed", reason: input.role });
  return { ok: true, userId: target.id };
}

/** Disabling ends every session of that user at once (checked on each request, not at cookie expiry). */
export async function setStaffStatus(ctx: AppContext, session: AuthedSession, target: { id: string; role: Role; status: string }, disable: boolean): Promise<StaffResult> {
  const refusal = staffChangeRefusal(session.user, target);
  if (refusal) return { ok: false, message: refusal, status: 403 };
  await ctx.db.update(users).set({ status: disable ? "disabled" : "active" }).where(eq(users.id, target.id));
  if (disable) await revokeAllSessions(ctx, target.id);
  await audit(ctx, { actor: session.user, action: disable ? "staff.disable" : "staff.enable", entityType: "user", entityId: target.id, outcome: "allowed" });
  return { ok: true, userId: target.id };
}
