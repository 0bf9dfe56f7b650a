import { and, count, eq, gte, min } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { authAttempts } from "../../db/schema";

export type AttemptKind = "password" | "mfa" | "reset";

/** Failures allowed inside the window before further attempts are refused. */
export const THROTTLE = { windowMs: 15 * 60 * 1000, perAccount: 5, perIp: 20 } as const;

/** Pure rule: given recent failures, may another attempt happen, and if not, for how long? */
export function throttleDecision(
  failures: { account: number; ip: number; oldestAccount: number | null; oldestIp: number | null },
  now: number,
): { allowed: true } | { allowed: false; retryAfterMs: number } {
  if (failures.account >= THROTTLE.perAccount && failures.oldestAccount !== null) {
    return { allowed: false, retryAfterMs: Math.max(1000, failures.oldestAccount + THROTTLE.windowMs - now) };
  }
  if (failures.ip >= THROTTLE.perIp && failures.oldestIp !== null) {
    return { allowed: false, retryAfterMs: Math.max(1000, failures.oldestIp + THROTTLE.windowMs - now) };
  }
  return { allowed: true };
}

export async function checkThrottle(ctx: AppContext, kind: AttemptKind, accountKey: string) {
  const now = ctx.clock.now().getTime();
  const since = new Date(now - THROTTLE.windowMs);
  const failed = (extra: ReturnType<typeof eq>) =>
    and(eq(authAttempts.kind, kind), eq(authAttempts.success, false), gte(authAttempts.createdAt, since), extra);
  const [[acc], [ip]] = await Promise.all([
    ctx.db.select({ n: count(), oldest: min(authAttempts.createdAt) }).from(authAttempts).where(failed(eq(authAttempts.accountKey, accountKey))),
    ctx.db.select({ n: count(), oldest: min(authAttempts.createdAt) }).from(authAttempts).where(failed(eq(authAttempts.ip, ctx.ip))),
  ]);
  return throttleDecision(
    { account: acc.n, ip: ip.n, oldestAccount: acc.oldest?.getTime() ?? null, oldestIp: ip.oldest?.getTime() ?? null },
    now,
  );
}

export async function recordAttempt(ctx: AppContext, kind: AttemptKind, accountKey: string, success: boolean) {
  await ctx.db.insert(authAttempts).values({ kind, accountKey, ip: ctx.ip, success, createdAt: ctx.clock.now() });
}

export function throttleMessage(retryAfterMs: number) {
  const minutes = Math.ceil(retryAfterMs / 60_000);
  return `Too many failed attempts. For your security, try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
