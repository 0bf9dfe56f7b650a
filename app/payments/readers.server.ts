import { and, asc, eq, isNull } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { commitAudited } from "../audit/audit.server";
import { cardReaders, locations } from "../../db/schema";
import type { Refusal } from "../checkout/invoices.server";
import { stripeGateway } from "./stripe-gateway.server";

/** The organization's Stripe Terminal readers, by location (ADR 034). */
export async function readersByLocation(ctx: AppContext, organizationId: string) {
  const rows = await ctx.db
    .select({ id: cardReaders.id, locationId: cardReaders.locationId, label: cardReaders.label, stripeReaderId: cardReaders.stripeReaderId })
    .from(cardReaders)
    .where(and(eq(cardReaders.organizationId, organizationId), isNull(cardReaders.removedAt)))
    .orderBy(asc(cardReaders.label));
  return rows;
}

/**
 * Pairs a reader with a location: Stripe registers it with the code the reader shows (a Terminal
 * location made from the clinic's address), and the desk at that location can send amounts to it.
 */
export async function registerReader(ctx: AppContext, session: AuthedSession, v: { locationId: string; registrationCode: string; label: string }): Promise<{ ok: true } | Refusal> {
  const gateway = stripeGateway(ctx.env);
  if (!gateway) return { ok: false, status: 409, message: "Card readers need Stripe, which isn't set up for this clinic." };
  const organizationId = session.user.organizationId;
  const [location] = await ctx.db.select().from(locations).where(and(eq(locations.id, v.locationId), eq(locations.organizationId, organizationId)));
  if (!location) return { ok: false, status: 404, message: "No location with that id in your organization." };
  let reader;
  try {
    reader = await gateway.registerReader({ registrationCode: v.registrationCode, label: v.label, locationName: location.name, address: { line1: location.addressLine1, city: location.city, postalCode: location.postalCode, state: location.region, country: location.country } });
  } catch (error) {
    return { ok: false, status: 400, field: "registrationCode", message: `Stripe didn't accept that code: ${(error as { raw?: { message?: string } }).raw?.message ?? "check the code on the reader's screen"}` };
  }
  const id = crypto.randomUUID();
  await commitAudited(ctx, [ctx.db.insert(cardReaders).values({ id, organizationId, locationId: location.id, stripeReaderId: reader.readerId, label: v.label, createdAt: ctx.clock.now() }).onConflictDoNothing()], { actor: session.user, action: "billing.reader_add", entityType: "card_reader", entityId: id, outcome: "allowed" });
  return { ok: true };
}

export async function removeReader(ctx: AppContext, session: AuthedSession, readerId: string): Promise<boolean> {
  const [changed] = await commitAudited(ctx, [ctx.db.update(cardReaders).set({ removedAt: ctx.clock.now() }).where(and(eq(cardReaders.id, readerId), eq(cardReaders.organizationId, session.user.organizationId), isNull(cardReaders.removedAt)))], { actor: session.user, action: "billing.reader_remove", entityType: "card_reader", entityId: readerId, outcome: "allowed" });
  return (changed as { rowsAffected: number }).rowsAffected > 0;
}
