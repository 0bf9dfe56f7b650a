import { createCookie, redirect } from "@remix-run/node";
import { and, asc, eq, isNull, lt, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { locations, memberships, organizations, patients, sessions, userLocations, users } from "../../db/schema";
import type { Role } from "../../db/schema/accounts";
import { randomToken } from "./password.server";
import { isHttpsOrigin } from "../lib/origin";
import { endRoomAccess } from "../board/room-access.server";
import { auditInsert, type AuditEntry } from "../audit/audit.server";

/** Absolute lifetime of any session, whatever the activity. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** Avoid a write on every request: lastSeenAt moves at most once a minute. */
const TOUCH_INTERVAL_MS = 60 * 1000;

const cookies = new Map<string, ReturnType<typeof createCookie>>();
export function sessionCookie(ctx: Pick<AppContext, "env">) {
  const secure = isHttpsOrigin(ctx.env);
  const key = `${ctx.env.SESSION_SECRET}|${secure}`;
  let cookie = cookies.get(key);
  if (!cookie) {
    cookie = createCookie("atrium_session", {
      secrets: [ctx.env.SESSION_SECRET],
      httpOnly: true,
      sameSite: "lax",
      secure,
      path: "/",
      maxAge: SESSION_ABSOLUTE_MS / 1000,
    });
    cookies.set(key, cookie);
  }
  return cookie;
}

export async function readSessionId(ctx: AppContext, request: Request): Promise<string | null> {
  const value = await sessionCookie(ctx).parse(request.headers.get("cookie"));
  return typeof value === "string" && value.length > 20 ? value : null;
}

export async function createSession(
  ctx: AppContext,
  user: { id: string; organizationId: string },
  opts: { mfaRequired: boolean; currentLocationId?: string | null },
) {
  const now = ctx.clock.now();
  const id = randomToken(32);
  await ctx.db.insert(sessions).values({
    id,
    userId: user.id,
    organizationId: user.organizationId,
    mfaRequired: opts.mfaRequired,
    mfaVerifiedAt: null,
    currentLocationId: opts.currentLocationId ?? null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  });
  return { id, setCookie: await sessionCookie(ctx).serialize(id) };
}

export async function clearCookieHeader(ctx: AppContext) {
  return sessionCookie(ctx).serialize("", { maxAge: 0 });
}

/** Ends one session (with its audit event, in one batch when given); its open board sockets are closed too. */
export async function revokeSession(ctx: AppContext, sessionId: string, entry?: AuditEntry) {
  const [[ended]] = (await ctx.db.batch([
    ctx.db.update(sessions).set({ revokedAt: ctx.clock.now() }).where(eq(sessions.id, sessionId)).returning({ userId: sessions.userId, organizationId: sessions.organizationId }),
    ...(entry ? [auditInsert(ctx, ctx.db, entry)] : []),
  ])) as unknown as [{ userId: string; organizationId: string }[]];
  if (ended) await endRoomAccess(ctx, { userId: ended.userId, sessionId, organizationId: ended.organizationId });
}

/**
 * Sign out everywhere (every session of the user), or, with an organization, every session
 * acting in it (a membership disabled there; the user's other clinics are unaffected).
 */
export async function revokeAllSessions(ctx: AppContext, userId: string, organizationId?: string, entry?: AuditEntry) {
  const scope = organizationId ? eq(sessions.organizationId, organizationId) : undefined;
  await ctx.db.batch([ctx.db.update(sessions).set({ revokedAt: ctx.clock.now() }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), scope)), ...(entry ? [auditInsert(ctx, ctx.db, entry)] : [])]);
  await endRoomAccess(ctx, { userId, organizationId });
}

export type SessionEndReason = "idle" | "expired" | "revoked" | "disabled";

/** One of the session organization's locations, with whether the user is assigned to it. */
export interface SessionLocation {
  id: string;
  name: string;
  timeZone: string;
  /** See locations.scheduleVersion: read with the session, it keys cached calendar views and guards exclusive writes. */
  scheduleVersion: number;
  assigned: boolean;
}

export interface LiveSession {
  id: string;
  /** The organization's idle timeout for this user's role (offline data on a tablet follows it). */
  idleMinutes: number;
  /** Set up as a privacy screen: the board shows initials only, whatever is asked. */
  privacyScreen: boolean;
  mfaPending: boolean;
  currentLocationId: string | null;
  user: { id: string; organizationId: string; email: string; name: string; role: Role; mfaEnabled: boolean };
  organization: { id: string; name: string; slug: string; mfaRequiredForAllStaff: boolean };
  /** Every location of the organization (read with the session; guards.accessibleLocations filters by role). */
  locations: SessionLocation[];
  /** The user's active memberships, for the organization switcher. */
  organizations: { id: string; name: string; role: Role }[];
  /** The patient record a patient's account is linked to in this organization (null for staff, or not linked yet). */
  patientId: string | null;
}

/**
 * Loads the session behind the cookie and enforces revocation, the per-organization
 * idle timeout and the absolute lifetime on the server.
 *
 * One database round trip: the session, the organization's locations and the user's memberships
 * are read in one batch, each keyed by the session id, so nothing waits on anything else (on
 * Turso each query is a network round trip). Moving lastSeenAt waits until after the response.
 */
export async function loadSession(
  ctx: AppContext,
  request: Request,
): Promise<{ session: LiveSession } | { ended: SessionEndReason; userId: string; organizationId: string } | null> {
  const id = await readSessionId(ctx, request);
  if (!id) return null;
  const ofSession = ctx.db.select({ organizationId: sessions.organizationId, userId: sessions.userId }).from(sessions).where(eq(sessions.id, id)).as("of_session");
  const [rows, locationRows, organizationRows, patientRows] = await ctx.db.batch([
    ctx.db
      .select({
        id: sessions.id,
        revokedAt: sessions.revokedAt,
        expiresAt: sessions.expiresAt,
        lastSeenAt: sessions.lastSeenAt,
        mfaRequired: sessions.mfaRequired,
        mfaVerifiedAt: sessions.mfaVerifiedAt,
        currentLocationId: sessions.currentLocationId,
        privacyScreen: sessions.privacyScreen,
        userId: users.id,
        organizationId: sessions.organizationId,
        email: users.email,
        name: users.name,
        role: memberships.role,
        status: memberships.status,
        mfaEnabledAt: users.mfaEnabledAt,
        orgName: organizations.name,
        orgSlug: organizations.slug,
        staffIdle: organizations.staffIdleMinutes,
        patientIdle: organizations.patientIdleMinutes,
        mfaAllStaff: organizations.mfaRequiredForAllStaff,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      // The role comes from the membership in the organization the session acts in.
      .leftJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.organizationId, sessions.organizationId)))
      .innerJoin(organizations, eq(organizations.id, sessions.organizationId))
      .where(eq(sessions.id, id))
      .limit(1),
    ctx.db
      .select({
        id: locations.id,
        name: locations.name,
        timeZone: locations.timeZone,
        scheduleVersion: locations.scheduleVersion,
        assigned: sql<number>`exists (select 1 from ${userLocations} where ${userLocations.userId} = ${ofSession.userId} and ${userLocations.locationId} = ${locations.id})`,
      })
      .from(locations)
      .innerJoin(ofSession, eq(ofSession.organizationId, locations.organizationId))
      .orderBy(locations.name),
    ctx.db
      .select({ id: organizations.id, name: organizations.name, role: memberships.role })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
      .innerJoin(ofSession, eq(ofSession.userId, memberships.userId))
      .where(eq(memberships.status, "active"))
      .orderBy(asc(organizations.name)),
    ctx.db
      .select({ id: patients.id })
      .from(patients)
      .innerJoin(ofSession, and(eq(ofSession.userId, patients.userId), eq(ofSession.organizationId, patients.organizationId)))
      .limit(1),
  ]);
  const [row] = rows;
  if (!row) return null;
  for (const l of locationRows) ctx.scheduleVersions.set(l.id, l.scheduleVersion);
  const whose = { userId: row.userId, organizationId: row.organizationId };
  if (row.revokedAt) return { ended: "revoked", ...whose };
  if (row.status !== "active" || !row.role) {
    await revokeSession(ctx, row.id);
    return { ended: "disabled", ...whose };
  }
  const now = ctx.clock.now().getTime();
  if (now >= row.expiresAt.getTime()) {
    await revokeSession(ctx, row.id);
    return { ended: "expired", ...whose };
  }
  const idleMinutes = row.role === "patient" ? row.patientIdle : row.staffIdle;
  if (now - row.lastSeenAt.getTime() > idleMinutes * 60_000) {
    await revokeSession(ctx, row.id);
    return { ended: "idle", ...whose };
  }
  if (now - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    // Conditional, so a later request's touch is never moved back; the idle check above used the
    // value read, and nothing the answer says depends on this write.
    const seen = new Date(now);
    ctx.afterResponse(() => ctx.db.update(sessions).set({ lastSeenAt: seen }).where(and(eq(sessions.id, row.id), lt(sessions.lastSeenAt, seen))));
  }
  return {
    session: {
      id: row.id,
      idleMinutes,
      privacyScreen: row.privacyScreen,
      mfaPending: row.mfaRequired && !row.mfaVerifiedAt,
      currentLocationId: row.currentLocationId,
      user: {
        id: row.userId,
        organizationId: row.organizationId,
        email: row.email,
        name: row.name,
        role: row.role,
        mfaEnabled: Boolean(row.mfaEnabledAt),
      },
      organization: { id: row.organizationId, name: row.orgName, slug: row.orgSlug, mfaRequiredForAllStaff: row.mfaAllStaff },
      locations: locationRows.map((l) => ({ ...l, assigned: Boolean(l.assigned) })),
      organizations: organizationRows,
      patientId: patientRows[0]?.id ?? null,
    },
  };
}

export function loginRedirect(request: Request, reason?: SessionEndReason, setCookie?: string) {
  const url = new URL(request.url);
  const params = new URLSearchParams();
  if (request.method === "GET" && url.pathname !== "/") params.set("redirectTo", url.pathname + url.search);
  if (reason) params.set("reason", reason);
  const qs = params.toString();
  return redirect(`/login${qs ? `?${qs}` : ""}`, setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined);
}
