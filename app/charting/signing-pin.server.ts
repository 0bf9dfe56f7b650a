import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { auditInsert } from "../audit/audit.server";
import { users } from "../../db/schema";
import { confirmSigner } from "./signer.server";
import { pinCheck, type SigningPinSchema } from "./signing-pin";

/** Whether this provider has a signing PIN, and since when. */
export async function signingPinOf(ctx: AppContext, userId: string) {
  const [row] = await ctx.db.select({ check: users.signingPinCheck, setAt: users.signingPinSetAt }).from(users).where(eq(users.id, userId));
  return row ?? { check: null, setAt: null };
}

/** Sets (or changes) the PIN after the provider confirms with their password (or authenticator code); audited with the change. */
export async function setSigningPin(ctx: AppContext, session: AuthedSession, input: z.infer<typeof SigningPinSchema>) {
  const confirmed = await confirmSigner(ctx, session, { password: input.password }, "signing_pin.confirm");
  if (!confirmed.ok) return confirmed;
  await ctx.db.batch([
    ctx.db.update(users).set({ signingPinCheck: await pinCheck(session.user.id, input.pin), signingPinSetAt: ctx.clock.now() }).where(eq(users.id, session.user.id)),
    auditInsert(ctx, ctx.db, { actor: session.user, action: "signing_pin.set", entityType: "user", entityId: session.user.id, outcome: "allowed" }),
  ]);
  return { ok: true as const };
}
