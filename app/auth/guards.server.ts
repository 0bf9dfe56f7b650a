import { redirect } from "@remix-run/node";
import { memoized, type AppContext } from "../lib/context.server";
import { audit } from "../audit/audit.server";
import { can, mfaRequiredFor, seesAllLocations, type Permission } from "./permissions";
import { clearCookieHeader, loadSession, loginRedirect, type LiveSession, type SessionLocation } from "./session.server";

export type AuthedSession = LiveSession;

/**
 * The signed-in user, or a redirect to sign in. A session still waiting for its
 * second factor only reaches the MFA page; an owner or manager without MFA is sent
 * to enrol before anything else.
 */
export async function requireUser(request: Request, ctx: AppContext, opts: { allowMfaSetup?: boolean; allowPrivacyScreen?: boolean } = {}): Promise<AuthedSession> {
  const loaded = await memoized(ctx, "session", () => loadSession(ctx, request));
  if (!loaded) throw loginRedirect(request);
  if ("ended" in loaded) {
    if (loaded.ended === "idle" || loaded.ended === "disabled") {
      await audit(ctx, { organizationId: loaded.organizationId, action: `auth.session_ended`, entityType: "user", entityId: loaded.userId, outcome: "allowed", reason: loaded.ended });
    }
    throw loginRedirect(request, loaded.ended, await clearCookieHeader(ctx));
  }
  const { session } = loaded;
  if (session.mfaPending) throw redirect("/login/mfa");
  const mustEnrol =
    !session.user.mfaEnabled && mfaRequiredFor(session.user.role, session.organization.mfaRequiredForAllStaff);
  if (mustEnrol && !opts.allowMfaSetup) throw redirect("/account/mfa?required=1");
  // A screen set up for patients to see shows the privacy board and nothing else.
  if (session.privacyScreen && !opts.allowPrivacyScreen) throw redirect("/board");
  return session;
}

/** requireUser plus one permission; a denial is audited and answered with 403. */
export async function requirePermission(request: Request, ctx: AppContext, permission: Permission, opts?: { allowMfaSetup?: boolean; allowPrivacyScreen?: boolean }) {
  const session = await requireUser(request, ctx, opts);
  if (!can(session.user.role, permission)) {
    await audit(ctx, {
      actor: session.user,
      action: "permission.denied",
      entityType: permission.split(":")[1],
      outcome: "denied",
      reason: permission,
    });
    throw new Response("You do not have permission to open this page.", { status: 403 });
  }
  return session;
}

export type LocationOption = Omit<SessionLocation, "assigned">;

/** Locations this user may work in: all of the organization's for owners and managers, else their assignments (read with the session). */
export async function accessibleLocations(_ctx: AppContext, session: AuthedSession): Promise<LocationOption[]> {
  const all = seesAllLocations(session.user.role);
  return session.locations.filter((l) => all || l.assigned).map(({ assigned: _assigned, ...location }) => location);
}

/** The location the user is working in now: the session's choice if still allowed, else their first. */
export function currentLocation(session: AuthedSession, options: LocationOption[]) {
  return options.find((l) => l.id === session.currentLocationId) ?? options[0] ?? null;
}

/** A 404 that does not reveal whether the record exists in another organization. */
export function notFound(message = "Not found") {
  return new Response(message, { status: 404 });
}

/** requirePermission plus the location the user is working in; 403 for staff not assigned to one. */
export async function requireWorkingLocation(request: Request, ctx: AppContext, permission: Permission) {
  const session = await requirePermission(request, ctx, permission);
  const location = currentLocation(session, await accessibleLocations(ctx, session));
  if (!location) throw new Response("You're not assigned to a location yet.", { status: 403 });
  return { session, location };
}
