import { and, count, eq, gte, min } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { ATTEMPT_KINDS, authAttempts } from "../../db/schema";

export type AttemptKind = (typeof ATTEMPT_KINDS)[number];

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

type ThrottleContext = Pick<AppContext, "db" | "clock" | "ip">;
export type AttemptStart = { allowed: true; attemptId: number } | { allowed: false; retryAfterMs: number };

/**
 * Counts an attempt *before* it is checked: the attempt is written as a failure first, then the
 * failures in the window are counted with it. Each attempt's count includes every attempt written
 * before it, so of a burst of parallel guesses only the first few can be allowed, however slow
 * the password hash that follows. A refused attempt is taken back out; a successful one is
 * settled as such (settleAttempt).
 */
export async function beginAttempt(ctx: ThrottleContext, kind: AttemptKind, accountKey: string): Promise<AttemptStart> {
  const now = ctx.clock.now().getTime();
  const since = new Date(now - THROTTLE.windowMs);
  const failed = (extra: ReturnType<typeof eq>) =>
    and(eq(authAttempts.kind, kind), eq(authAttempts.success, false), gte(authAttempts.createdAt, since), extra);
  // One batch (one transaction, one round trip): the attempt is written, then counted with every one before it.
  const [[{ id }], [acc], [ip]] = await ctx.db.batch([
    ctx.db.insert(authAttempts).values({ kind, accountKey, ip: ctx.ip, success: false, createdAt: new Date(now) }).returning({ id: authAttempts.id }),
    ctx.db.select({ n: count(), oldest: min(authAttempts.createdAt) }).from(authAttempts).where(failed(eq(authAttempts.accountKey, accountKey))),
    ctx.db.select({ n: count(), oldest: min(authAttempts.createdAt) }).from(authAttempts).where(failed(eq(authAttempts.ip, ctx.ip))),
  ]);
  // The counts include this attempt; the rule is about the failures before it.
  const decision = throttleDecision(
    { account: acc.n - 1, ip: ip.n - 1, oldestAccount: acc.oldest?.getTime() ?? null, oldestIp: ip.oldest?.getTime() ?? null },
    now,
  );
  if (!decision.allowed) {
    await ctx.db.delete(authAttempts).where(eq(authAttempts.id, id));
    return decision;
  }
  return { allowed: true, attemptId: id };
}

/** Marks a counted attempt as having succeeded (it no longer counts as a failure). */
export async function settleAttempt(ctx: Pick<AppContext, "db">, attemptId: number, success: boolean) {
  if (success) await settleAttemptWrite(ctx, attemptId);
}

/** settleAttempt's write, for a batch with the sign-in's other writes. */
export function settleAttemptWrite(ctx: Pick<AppContext, "db">, attemptId: number) {
  return ctx.db.update(authAttempts).set({ success: true }).where(eq(authAttempts.id, attemptId));
}

export function throttleMessage(retryAfterMs: number) {
  const minutes = Math.ceil(retryAfterMs / 60_000);
  return `Too many failed attempts. For your security, try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
