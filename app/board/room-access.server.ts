import { eq, inArray } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AppEnv } from "../lib/env.server";
import { locations, memberships } from "../../db/schema";
import { roomSecrets, sessionTag } from "../../party/room-token";

/** POSTs one message to a location's room with the publish key (never the shared secret itself). */
export async function postToRoom(env: Pick<AppEnv, "PARTY_URL" | "PARTY_SECRET">, locationId: string, message: unknown) {
  return fetch(`${env.PARTY_URL}/parties/main/${encodeURIComponent(locationId)}`, {
    signal: AbortSignal.timeout(2_000),
    method: "POST",
    headers: { authorization: `Bearer ${(await roomSecrets(env.PARTY_SECRET!)).publish}`, "content-type": "application/json" },
    body: JSON.stringify(message),
  });
}

type RevokeContext = Pick<AppContext, "db" | "env" | "logger"> & Partial<Pick<AppContext, "afterResponse">>;

/**
 * Tells the rooms of every location the session (or the user) could watch that its access has
 * ended, so open board sockets close now rather than when their token runs out. After the response
 * when there is one: signing out never waits on the room server.
 */
export async function endRoomAccess(ctx: RevokeContext, who: { userId: string; sessionId?: string; organizationId?: string }) {
  const { PARTY_URL, PARTY_SECRET } = ctx.env;
  if (!PARTY_URL || !PARTY_SECRET) return;
  const work = async () => {
    const organizationIds = who.organizationId ? [who.organizationId] : (await ctx.db.select({ id: memberships.organizationId }).from(memberships).where(eq(memberships.userId, who.userId))).map((m) => m.id);
    if (!organizationIds.length) return;
    const rows = await ctx.db.select({ id: locations.id }).from(locations).where(inArray(locations.organizationId, organizationIds));
    const message = who.sessionId ? { type: "revoke", sessionTag: await sessionTag(who.sessionId) } : { type: "revoke", userId: who.userId };
    await Promise.all(rows.map(async (l) => {
      try {
        const res = await postToRoom(ctx.env, l.id, message);
        if (!res.ok) ctx.logger.warn("room_revoke_failed", { status: res.status });
      } catch (error) {
        ctx.logger.warn("room_revoke_failed", { error: (error as Error).message });
      }
    }));
  };
  if (ctx.afterResponse) ctx.afterResponse(work);
  else await work();
}
