import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import { locations, memberships, userLocations, users } from "../../db/schema";
import type { Role } from "../../db/schema/accounts";
import { commitAudited } from "../audit/audit.server";
import type { AuthedSession } from "../auth/guards.server";
import { invitationEmail } from "../auth/recovery.server";
import { revokeAllSessions } from "../auth/session.server";
import type { InviteStaffSchema, UpdateStaffSchema } from "./schemas";

/** Only an owner may grant the owner role or change an owner's account; nobody edits their own role or status. */
export function staffChangeRefusal(actor: { id: string; role: Role }, target: { id: string; role: Role } | null, newRole?: Role): string | null {
  if (target && target.id === actor.id) return "You can't change your own role or status. Ask another owner or manager.";
  if (actor.role !== "owner" && (target?.role === "owner" || newRole === "owner")) return "Only an owner can grant the owner role or change an owner's account.";
  return null;
}

const staffOf = (session: AuthedSession) => and(eq(memberships.organizationId, session.user.organizationId), ne(memberships.role, "patient"));

/** Until they accept, invitees are shown as invited: nothing of an account they may have elsewhere. */
const shownName = sql<string>`case when ${memberships.status} = 'invited' then coalesce(${memberships.invitedName}, ${users.name}) else ${users.name} end`;

export async function listStaff(ctx: AppContext, session: AuthedSession) {
  const rows = await ctx.db
    .select({ id: users.id, name: shownName, email: users.email, role: memberships.role, status: memberships.status, mfaEnabledAt: users.mfaEnabledAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(staffOf(session))
    .orderBy(asc(shownName));
  return rows.map(({ mfaEnabledAt, ...r }) => ({ ...r, mfa: r.status !== "invited" && Boolean(mfaEnabledAt) }));
}

export async function getStaffMember(ctx: AppContext, session: AuthedSession, userId: string) {
  // Both at once (a round trip each on Turso): the assignments are scoped to the organization's locations.
  const [[row], assigned] = await Promise.all([
    ctx.db
      .select({ id: users.id, name: shownName, email: users.email, role: memberships.role, status: memberships.status })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.userId, userId), staffOf(session))),
    ctx.db
      .select({ locationId: userLocations.locationId })
      .from(userLocations)
      .innerJoin(locations, and(eq(locations.id, userLocations.locationId), eq(locations.organizationId, session.user.organizationId)))
      .where(eq(userLocations.userId, userId)),
  ]);
  if (!row) return null;
  return { ...row, locationIds: assigned.map((a) => a.locationId) };
}

/** The organization's location ids (read with the session). */
async function organizationLocationIds(_ctx: AppContext, session: AuthedSession) {
  return session.locations.map((l) => l.id);
}

export type StaffResult = { ok: true; userId: string } | { ok: false; field?: "email" | "role" | "locationIds"; message: string; status: number };

/**
 * Invites someone to this organization. A person new to Atrium gets an account to set up; someone
 * who already uses Atrium elsewhere keeps their one sign-in and gains a membership here.
 */
export async function inviteStaff(ctx: AppContext, request: Request, session: AuthedSession, input: z.infer<typeof InviteStaffSchema>): Promise<StaffResult> {
  const refusal = staffChangeRefusal(session.user, null, input.role);
  if (refusal) return { ok: false, field: "role", message: refusal, status: 403 };
  const own = await organizationLocationIds(ctx, session);
  if (!input.locationIds.every((id) => own.includes(id))) return { ok: false, field: "locationIds", message: "Choose locations from the list.", status: 400 };
  const organizationId = session.user.organizationId;
  // The person, and whether they are already a member here, in one query.
  const [existing] = await ctx.db
    .select({ id: users.id, name: users.name, memberHere: sql<number>`exists (select 1 from ${memberships} m where m.user_id = ${users}.id and m.organization_id = ${organizationId})` })
    .from(users)
    .where(eq(users.email, input.email));
  if (existing?.memberHere) return { ok: false, field: "email", message: "That person is already a member of this organization.", status: 409 };
  const userId = existing?.id ?? crypto.randomUUID();
  const now = ctx.clock.now();
  const join = ctx.db.insert(memberships).values({ id: crypto.randomUUID(), userId, organizationId, role: input.role, status: "invited", invitedName: input.name, createdAt: now });
  const assign = ctx.db.insert(userLocations).values(input.locationIds.map((locationId) => ({ userId, locationId })));
  // The account (if new), the membership, its locations, the invitation email and the audit event: one batch.
  const email = invitationEmail(ctx, { id: userId, email: input.email, name: input.name }, session.organization, session.user.name);
  await commitAudited(ctx, [...(existing ? [] : [ctx.db.insert(users).values({ id: userId, email: input.email, name: input.name, createdAt: now })]), join, assign, email.write], { actor: session.user, action: "staff.invite", entityType: "user", entityId: userId, outcome: "allowed", reason: input.role });
  email.sendAfterResponse();
  return { ok: true, userId };
}

export async function updateStaff(ctx: AppContext, session: AuthedSession, target: { id: string; role: Role }, input: z.infer<typeof UpdateStaffSchema>): Promise<StaffResult> {
  const refusal = staffChangeRefusal(session.user, target, input.role);
  if (refusal) return { ok: false, field: "role", message: refusal, status: 403 };
  const own = await organizationLocationIds(ctx, session);
  if (!input.locationIds.every((id) => own.includes(id))) return { ok: false, field: "locationIds", message: "Choose locations from the list.", status: 400 };
  await commitAudited(ctx, [
    ctx.db.update(memberships).set({ role: input.role }).where(and(eq(memberships.userId, target.id), eq(memberships.organizationId, session.user.organizationId))),
    // Only this organization's assignments change; the person's other clinics keep theirs.
    ctx.db.delete(userLocations).where(and(eq(userLocations.userId, target.id), inArray(userLocations.locationId, own))),
    ctx.db.insert(userLocations).values(input.locationIds.map((locationId) => ({ userId: target.id, locationId }))),
  ], { actor: session.user, action: "staff.update", entityType: "user", entityId: target.id, outcome: "allowed", reason: input.role });
  return { ok: true, userId: target.id };
}

/** Disabling ends every session acting in this organization at once (checked on each request). */
export async function setStaffStatus(ctx: AppContext, session: AuthedSession, target: { id: string; role: Role; status: string }, disable: boolean): Promise<StaffResult> {
  const refusal = staffChangeRefusal(session.user, target);
  if (refusal) return { ok: false, message: refusal, status: 403 };
  const organizationId = session.user.organizationId;
  await commitAudited(ctx, [ctx.db.update(memberships).set({ status: disable ? "disabled" : "active" }).where(and(eq(memberships.userId, target.id), eq(memberships.organizationId, organizationId)))], { actor: session.user, action: disable ? "staff.disable" : "staff.enable", entityType: "user", entityId: target.id, outcome: "allowed" });
  // The disabled membership already ends every session on its next request (loadSession); this says so at once.
  if (disable) await revokeAllSessions(ctx, target.id, organizationId);
  return { ok: true, userId: target.id };
}
