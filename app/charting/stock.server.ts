import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { audit, auditInsert, auditInsertByChange } from "../audit/audit.server";
import { appointments, encounterPoints, encounters, locations, patients, productLots, products, stockMovements, users } from "../../db/schema";
import type { ProductSchema, ReceiveSchema } from "./stock-schemas";

/** The organization's catalogue, active products first. */
export async function listProducts(ctx: AppContext, organizationId: string) {
  return ctx.db.select().from(products).where(eq(products.organizationId, organizationId)).orderBy(desc(products.active), asc(products.kind), asc(products.name));
}

/** Adds a product; false when the organization already has one of that name. */
export async function createProduct(ctx: AppContext, session: AuthedSession, v: z.infer<typeof ProductSchema>) {
  const id = crypto.randomUUID();
  const [inserted] = await ctx.db.batch([
    ctx.db
      .insert(products)
      .values({ id, organizationId: session.user.organizationId, name: v.name, kind: v.kind, measure: v.measure, packageSize: v.packageSize, diluentMl: v.diluentMl ?? null, priceCents: v.priceCents, priceBasis: v.priceBasis, hsaEligible: v.hsaEligible, createdAt: ctx.clock.now() })
      .onConflictDoNothing(),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "product.create", entityType: "product", entityId: id }, "duplicate_name"),
  ]);
  return inserted.rowsAffected > 0;
}

/** Every lot held at a location, with its product, soonest expiry first. */
export async function listLots(ctx: AppContext, organizationId: string, locationId: string) {
  return ctx.db
    .select({
      id: productLots.id,
      productId: productLots.productId,
      locationId: productLots.locationId,
      lotNumber: productLots.lotNumber,
      expiresOn: productLots.expiresOn,
      received: productLots.received,
      remaining: productLots.remaining,
      costCents: productLots.costCents,
      recalledAt: productLots.recalledAt,
      productName: products.name,
      measure: products.measure,
      kind: products.kind,
      packageSize: products.packageSize,
      diluentMl: products.diluentMl,
    })
    .from(productLots)
    .innerJoin(products, eq(products.id, productLots.productId))
    .where(and(eq(productLots.organizationId, organizationId), eq(productLots.locationId, locationId)))
    .orderBy(asc(productLots.expiresOn), asc(productLots.lotNumber));
}

export type ReceiveOutcome = { ok: true } | { ok: false; field: "productId" | "expiresOn"; message: string };

/**
 * Records a delivery at a location: a new lot, or more of one already held (its expiry must
 * match). One batch: the lot, the movement and the audit event commit together.
 */
export async function receiveStock(ctx: AppContext, session: AuthedSession, locationId: string, v: z.infer<typeof ReceiveSchema>): Promise<ReceiveOutcome> {
  const organizationId = session.user.organizationId;
  const [[product], [existing]] = await Promise.all([
    ctx.db.select({ packageSize: products.packageSize, active: products.active }).from(products).where(and(eq(products.id, v.productId), eq(products.organizationId, organizationId))),
    ctx.db.select({ expiresOn: productLots.expiresOn }).from(productLots).where(and(eq(productLots.locationId, locationId), eq(productLots.productId, v.productId), eq(productLots.lotNumber, v.lotNumber))),
  ]);
  if (!product || !product.active) return { ok: false, field: "productId", message: "Choose a product from the catalogue." };
  if (existing && existing.expiresOn !== v.expiresOn) return { ok: false, field: "expiresOn", message: `Lot ${v.lotNumber} is already held here with expiry ${existing.expiresOn}. Check the box.` };
  const quantity = v.packages * product.packageSize;
  const now = ctx.clock.now();
  const lotId = crypto.randomUUID();
  await ctx.db.batch([
    ctx.db
      .insert(productLots)
      .values({ id: lotId, organizationId, locationId, productId: v.productId, lotNumber: v.lotNumber, expiresOn: v.expiresOn, received: quantity, remaining: quantity, costCents: v.costCents, createdAt: now })
      .onConflictDoUpdate({ target: [productLots.locationId, productLots.productId, productLots.lotNumber], set: { received: sql`${productLots.received} + ${quantity}`, remaining: sql`${productLots.remaining} + ${quantity}` } }),
    ctx.db.run(sql`insert into stock_movements (id, organization_id, lot_id, kind, quantity, actor_id, created_at)
      select ${crypto.randomUUID()}, ${organizationId}, id, 'receive', ${quantity}, ${session.user.id}, ${now.getTime()} from product_lots
      where location_id = ${locationId} and product_id = ${v.productId} and lot_number = ${v.lotNumber}`),
    auditInsert(ctx, ctx.db, { actor: session.user, action: "stock.receive", entityType: "location", entityId: locationId, outcome: "allowed" }),
  ]);
  return { ok: true };
}

/** One lot of this organization, with its product and location. */
export async function findLot(ctx: AppContext, organizationId: string, lotId: string) {
  const [lot] = await ctx.db
    .select({ id: productLots.id, lotNumber: productLots.lotNumber, expiresOn: productLots.expiresOn, received: productLots.received, remaining: productLots.remaining, recalledAt: productLots.recalledAt, recallReason: productLots.recallReason, productId: products.id, productName: products.name, measure: products.measure, locationId: locations.id, locationName: locations.name, timeZone: locations.timeZone })
    .from(productLots)
    .innerJoin(products, eq(products.id, productLots.productId))
    .innerJoin(locations, eq(locations.id, productLots.locationId))
    .where(and(eq(productLots.id, lotId.slice(0, 64)), eq(productLots.organizationId, organizationId)));
  return lot ?? null;
}

/**
 * Recalls a lot number of a product everywhere the organization holds it: charts refuse it from
 * then on (and the database refuses any use of it, migration 0024). Returns the lots recalled.
 */
export async function recallLot(ctx: AppContext, session: AuthedSession, lot: { id: string; productId: string; lotNumber: string }, reason: string) {
  const organizationId = session.user.organizationId;
  const [result] = await ctx.db.batch([
    ctx.db
      .update(productLots)
      .set({ recalledAt: ctx.clock.now(), recallReason: reason })
      .where(and(eq(productLots.organizationId, organizationId), eq(productLots.productId, lot.productId), eq(productLots.lotNumber, lot.lotNumber), sql`${productLots.recalledAt} is null`)),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "lot.recall", entityType: "lot", entityId: lot.id }, "already_recalled"),
  ]);
  return result.rowsAffected;
}

/**
 * Recall trace: every patient, visit, provider and amount charted from this lot number of this
 * product (at any of the organization's locations), signed charts and drafts alike. Reading it
 * reads patient data, so it is audited (the lot, never who was on it).
 */
export async function traceLot(ctx: AppContext, session: AuthedSession, lot: { id: string }) {
  // Keyed by the lot's id alone (its product and number through subqueries), so it can go out with the lot's own read.
  const lotId = lot.id.slice(0, 64);
  const rows = await ctx.db
    .select({
      encounterId: encounters.id,
      status: encounters.status,
      visitAt: appointments.startsAt,
      patientId: patients.id,
      patientFirst: patients.firstName,
      patientLast: patients.lastName,
      patientDob: patients.dateOfBirth,
      patientPhone: patients.phone,
      providerName: users.name,
      locationName: locations.name,
      timeZone: locations.timeZone,
      amount: sql<number>`sum(${encounterPoints.amount})`,
      points: sql<number>`count(*)`,
    })
    .from(encounterPoints)
    .innerJoin(productLots, eq(productLots.id, encounterPoints.lotId))
    .innerJoin(encounters, eq(encounters.id, encounterPoints.encounterId))
    .innerJoin(appointments, eq(appointments.id, encounters.appointmentId))
    .innerJoin(patients, eq(patients.id, encounters.patientId))
    .innerJoin(users, eq(users.id, encounters.providerId))
    .innerJoin(locations, eq(locations.id, encounters.locationId))
    .where(and(eq(productLots.organizationId, session.user.organizationId), sql`${productLots.productId} = (select product_id from product_lots where id = ${lotId})`, sql`${productLots.lotNumber} = (select lot_number from product_lots where id = ${lotId})`))
    .groupBy(encounters.id)
    .orderBy(desc(appointments.startsAt))
    .limit(5000);
  await audit(ctx, { actor: session.user, action: "lot.trace", entityType: "lot", entityId: lotId, outcome: "allowed", reason: `${rows.length}` });
  return rows;
}

/** A lot's movements (received, used, adjusted), newest first. */
export async function lotMovements(ctx: AppContext, organizationId: string, lotId: string) {
  return ctx.db
    .select({ id: stockMovements.id, kind: stockMovements.kind, quantity: stockMovements.quantity, createdAt: stockMovements.createdAt, actorName: users.name })
    .from(stockMovements)
    .leftJoin(users, eq(users.id, stockMovements.actorId))
    .where(and(eq(stockMovements.lotId, lotId.slice(0, 64)), eq(stockMovements.organizationId, organizationId)))
    .orderBy(desc(stockMovements.createdAt))
    .limit(200);
}
