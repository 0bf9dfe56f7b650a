import { and, desc, eq, isNull, ne, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuditActor } from "../audit/audit.server";
import { auditInsert, auditInsertIfChanged } from "../audit/audit.server";
import { patients, paymentCustomers, savedCards } from "../../db/schema";
import type { Refusal } from "../checkout/invoices.server";
import { brandLabel } from "../checkout/labels";
import { cardExpired, expiresThisMonth, expiryLabel } from "./cards";
import { stripeGateway, type CardDetails } from "./stripe-gateway.server";

/**
 * A patient's cards on file (ADR 034). Stripe holds the card; the patient (on their phone) or the
 * desk enters it in Stripe's Payment Element, which saves it with a SetupIntent. We keep its id,
 * brand, last 4 and expiry; one is the default (a partial unique index); removing one detaches it
 * at Stripe, so it can never be charged again.
 */

export type SavedCardView = { id: string; label: string; expiry: string; isDefault: boolean; expired: boolean; expiresSoon: boolean };

export async function listCards(ctx: Pick<AppContext, "db" | "clock">, organizationId: string, patientId: string): Promise<SavedCardView[]> {
  const rows = await ctx.db
    .select()
    .from(savedCards)
    .where(and(eq(savedCards.organizationId, organizationId), eq(savedCards.patientId, patientId), isNull(savedCards.removedAt)))
    .orderBy(desc(savedCards.isDefault), desc(savedCards.createdAt));
  const now = ctx.clock.now();
  return rows.map((c) => ({ id: c.id, label: `${brandLabel(c.brand)} •••• ${c.last4}`, expiry: expiryLabel(c), isDefault: c.isDefault, expired: cardExpired(c, now), expiresSoon: expiresThisMonth(c, now) }));
}

/** The patient's Stripe Customer: the one kept, or a new one (its idempotency key makes two desks' one). */
export async function customerFor(ctx: AppContext, organizationId: string, patientId: string): Promise<string | null> {
  const gateway = stripeGateway(ctx.env);
  if (!gateway) return null;
  const [[kept], [patient]] = await ctx.db.batch([
    ctx.db.select().from(paymentCustomers).where(and(eq(paymentCustomers.organizationId, organizationId), eq(paymentCustomers.patientId, patientId))),
    ctx.db.select({ firstName: patients.firstName, lastName: patients.lastName, email: patients.email }).from(patients).where(and(eq(patients.id, patientId), eq(patients.organizationId, organizationId))),
  ]);
  if (kept) return kept.stripeCustomerId;
  if (!patient) return null;
  const customerId = await gateway.ensureCustomer({ organizationId, patientId, name: `${patient.firstName} ${patient.lastName}`, email: patient.email });
  await ctx.db.insert(paymentCustomers).values({ organizationId, patientId, stripeCustomerId: customerId, createdAt: ctx.clock.now() }).onConflictDoNothing();
  return customerId;
}

/** A SetupIntent for the Payment Element to save a card on: its client secret goes to that page only. */
export async function startCardSetup(ctx: AppContext, organizationId: string, patientId: string): Promise<{ ok: true; clientSecret: string; publishableKey: string } | Refusal> {
  const gateway = stripeGateway(ctx.env);
  if (!gateway) return { ok: false, status: 409, message: "Saving cards needs Stripe, which isn't set up for this clinic." };
  const customerId = await customerFor(ctx, organizationId, patientId);
  if (!customerId) return { ok: false, status: 404, message: "No patient with that id." };
  const intent = await gateway.createSetupIntent({ customerId, organizationId, patientId });
  return { ok: true, clientSecret: intent.clientSecret, publishableKey: gateway.publishableKey };
}

/**
 * Keeps a card Stripe saved for the patient (from the page the Payment Element returns to, or the
 * setup_intent.succeeded webhook — whichever comes first; the other finds it known). The first
 * card becomes the default. Returns whether this call saved it.
 */
export async function recordCard(ctx: Pick<AppContext, "db" | "clock" | "ip" | "userAgent">, input: { organizationId: string; patientId: string; customerId: string | null; card: CardDetails }, actor: AuditActor | null = null): Promise<boolean> {
  const [customer] = await ctx.db.select().from(paymentCustomers).where(and(eq(paymentCustomers.organizationId, input.organizationId), eq(paymentCustomers.patientId, input.patientId)));
  // A card saved for another customer than this patient's is not theirs to keep.
  if (!customer || (input.customerId && customer.stripeCustomerId !== input.customerId)) return false;
  const now = ctx.clock.now();
  const hasDefault = sql`exists (select 1 from saved_cards where patient_id = ${input.patientId} and is_default = 1 and removed_at is null)`;
  const insert = (asDefault: boolean | ReturnType<typeof sql>) =>
    ctx.db.batch([
      ctx.db
        .insert(savedCards)
        .values({ id: crypto.randomUUID(), organizationId: input.organizationId, patientId: input.patientId, stripePaymentMethod: input.card.paymentMethodId, brand: input.card.brand, last4: input.card.last4, expMonth: input.card.expMonth, expYear: input.card.expYear, isDefault: asDefault as boolean, createdAt: now })
        .onConflictDoNothing({ target: [savedCards.organizationId, savedCards.stripePaymentMethod] }),
      auditInsertIfChanged(ctx, ctx.db, { actor, organizationId: input.organizationId, action: "card.save", entityType: "patient", entityId: input.patientId }),
    ]);
  try {
    const [inserted] = await insert(sql`case when ${hasDefault} then 0 else 1 end` as never);
    return inserted.rowsAffected > 0;
  } catch (error) {
    // Two first cards at once: the partial unique index lets one be the default; this one isn't.
    if (!String((error as Error).message ?? "").includes("UNIQUE") && !String((error as { cause?: Error }).cause?.message ?? "").includes("UNIQUE")) throw error;
    const [inserted] = await insert(false);
    return inserted.rowsAffected > 0;
  }
}

/** The page the Payment Element returns to: Stripe's word on the SetupIntent, for this patient only. */
export async function confirmCardSetup(ctx: AppContext, organizationId: string, patientId: string, setupIntentId: string, actor: AuditActor | null): Promise<{ ok: true; label: string } | Refusal> {
  const gateway = stripeGateway(ctx.env);
  if (!gateway) return { ok: false, status: 409, message: "Saving cards needs Stripe, which isn't set up for this clinic." };
  if (!/^seti_\w{1,200}$/.test(setupIntentId)) return { ok: false, status: 400, message: "That card setup could not be read." };
  const intent = await gateway.retrieveSetupIntent(setupIntentId).catch(() => null);
  if (!intent || intent.metadata.organization_id !== organizationId || intent.metadata.patient_id !== patientId) return { ok: false, status: 404, message: "No card setup for this patient with that id." };
  if (intent.status !== "succeeded" || !intent.card) return { ok: false, status: 409, message: intent.status === "processing" ? "The card is still being checked; it appears here once the bank confirms." : "The card wasn't saved; try again." };
  await recordCard(ctx, { organizationId, patientId, customerId: intent.customerId, card: intent.card }, actor);
  return { ok: true, label: `${brandLabel(intent.card.brand)} •••• ${intent.card.last4}` };
}

/** Removes a card: detached at Stripe first (never charged again), then off the patient's list. */
export async function removeCard(ctx: AppContext, organizationId: string, patientId: string, cardId: string, actor: AuditActor): Promise<{ ok: true } | Refusal> {
  const [card] = await ctx.db.select().from(savedCards).where(and(eq(savedCards.id, cardId), eq(savedCards.organizationId, organizationId), eq(savedCards.patientId, patientId)));
  if (!card) return { ok: false, status: 404, field: "cardId", message: "No saved card with that id for this patient." };
  if (card.removedAt) return { ok: true };
  const gateway = stripeGateway(ctx.env);
  if (gateway) await gateway.detachCard(card.stripePaymentMethod);
  const now = ctx.clock.now();
  const newest = sql`(select id from saved_cards where patient_id = ${patientId} and organization_id = ${organizationId} and removed_at is null and id != ${card.id} order by created_at desc limit 1)`;
  await ctx.db.batch([
    ctx.db.update(savedCards).set({ removedAt: now, isDefault: false }).where(and(eq(savedCards.id, card.id), isNull(savedCards.removedAt))),
    // The default gone, the newest card left takes its place.
    ...(card.isDefault ? [ctx.db.update(savedCards).set({ isDefault: true }).where(sql`${savedCards.id} = ${newest}`)] : []),
    auditInsert(ctx, ctx.db, { actor, action: "card.remove", entityType: "patient", entityId: patientId, outcome: "allowed" }),
  ]);
  return { ok: true };
}

/** Makes one card the default: the old default cleared and the new set in one batch. */
export async function makeDefaultCard(ctx: AppContext, organizationId: string, patientId: string, cardId: string, actor: AuditActor): Promise<{ ok: true } | Refusal> {
  const [card] = await ctx.db.select().from(savedCards).where(and(eq(savedCards.id, cardId), eq(savedCards.organizationId, organizationId), eq(savedCards.patientId, patientId), isNull(savedCards.removedAt)));
  if (!card) return { ok: false, status: 404, field: "cardId", message: "No saved card with that id for this patient." };
  await ctx.db.batch([
    ctx.db.update(savedCards).set({ isDefault: false }).where(and(eq(savedCards.patientId, patientId), eq(savedCards.organizationId, organizationId), ne(savedCards.id, cardId))),
    ctx.db.update(savedCards).set({ isDefault: true }).where(eq(savedCards.id, cardId)),
    auditInsert(ctx, ctx.db, { actor, action: "card.default", entityType: "patient", entityId: patientId, outcome: "allowed" }),
  ]);
  return { ok: true };
}
