import { and, asc, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "../lib/context.server";
import { auditInsert, type AuditActor } from "../audit/audit.server";
import { randomToken, sha256Hex } from "../auth/password.server";
import { beginAttempt, throttleMessage } from "../auth/throttle.server";
import { giftCards, invoiceEvents, invoices, locations, organizations, type GiftCardDesign } from "../../db/schema";
import { lineAmountUpdates, lineInserts, type Refusal } from "../checkout/invoices.server";
import { priceInvoice, type InvoiceTerms } from "../checkout/invoice-lines";
import { formatMoney } from "../scheduling/format";
import { localDateOf, localToInstant } from "../scheduling/local-time";
import { generateCode, lastFour } from "./codes";
import { codeHash, openCode, sealCode } from "./secrets.server";
import type { AuthedSession } from "../auth/guards.server";
import { withinActorLocations } from "../auth/scope.server";

/**
 * Gift cards bought by someone who isn't a patient (ADR 037): a person on the clinic's public page
 * with no account, or a company ordering many at once. Either way it is one invoice for the buyer
 * (a name and an email instead of a patient), one line and one waiting card per gift card; the
 * cards hold their value when the invoice is paid (the database's trigger, as at the desk).
 */

/** When a card's email goes out on a chosen day: 9 in the morning, the selling location's time. */
const DELIVERY_MINUTE = 9 * 60;
/** An online order left unpaid this long is voided (its cards never hold value). */
export const UNPAID_ORDER_MS = 24 * 60 * 60_000;
export const BULK_MAX_CARDS = 500;

export interface CardSpec {
  amountCents: number;
  design: GiftCardDesign;
  recipientName?: string | null;
  recipientEmail?: string | null;
  senderName?: string | null;
  message?: string | null;
  /** YYYY-MM-DD in the location's zone; none or today: as soon as it is paid. */
  deliverOn?: string | null;
}

interface OrderInput {
  organizationId: string;
  location: { id: string; taxMode: "exclusive" | "inclusive"; timeZone: string };
  buyer: { name: string; email: string };
  cards: CardSpec[];
  /** A volume discount on the whole order, in basis points. */
  discountBasisPoints: number;
  months: number | null;
  actor: AuditActor | null;
  tokenHash: string | null;
  detail: string;
}

function addMonths(at: Date, months: number) {
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/** The invoice, its cards and lines, amounts, history and audit: one batch, all or nothing. */
async function createOrder(ctx: AppContext, o: OrderInput): Promise<{ ok: true; invoiceId: string } | Refusal> {
  const now = ctx.clock.now();
  const today = localDateOf(o.location.timeZone, now.getTime());
  if (o.cards.some((c) => c.deliverOn && c.deliverOn < today)) return { ok: false, status: 400, field: "deliverOn", message: "Choose today or a day ahead for the email." };
  const invoiceId = crypto.randomUUID();
  const cards = await Promise.all(
    o.cards.map(async (c) => {
      const code = generateCode();
      const [hash, sealed] = await Promise.all([codeHash(ctx.env, o.organizationId, code), sealCode(ctx.env, code)]);
      const deliverAt = c.deliverOn && c.deliverOn > today ? new Date(localToInstant(o.location.timeZone, c.deliverOn, DELIVERY_MINUTE)) : null;
      return { id: crypto.randomUUID(), spec: c, hash, sealed, last4: lastFour(code), deliverAt };
    }),
  );
  const lines = cards.map((c) => ({ id: crypto.randomUUID(), kind: "gift_card" as const, description: `Gift card •••• ${c.last4}${c.spec.recipientName ? ` for ${c.spec.recipientName}` : ""}`, serviceId: null, productId: null, encounterId: null, providerId: null, quantity: 100, unitCents: c.spec.amountCents, taxCategory: "services" as const, taxRate: 0, giftCardId: c.id }));
  const terms: InvoiceTerms = { taxMode: o.location.taxMode, discountKind: o.discountBasisPoints ? "percent" : null, discountValue: o.discountBasisPoints || null, tipCents: 0 };
  const totals = priceInvoice(lines.map((l) => ({ ...l, discountKind: null, discountValue: null })), terms);
  const writes: BatchItem<"sqlite">[] = [
    ctx.db.insert(invoices).values({
      id: invoiceId,
      organizationId: o.organizationId,
      locationId: o.location.id,
      patientId: null,
      buyerName: o.buyer.name,
      buyerEmail: o.buyer.email,
      buyerTokenHash: o.tokenHash,
      number: sql`(select coalesce(max(number), 0) + 1 from invoices where organization_id = ${o.organizationId})`,
      status: "open",
      taxMode: o.location.taxMode,
      discountKind: terms.discountKind,
      discountValue: terms.discountValue,
      discountReason: o.discountBasisPoints ? `Volume discount for ${o.cards.length} cards` : null,
      subtotalCents: totals.subtotalCents,
      discountCents: totals.discountCents,
      taxCents: totals.taxCents,
      totalCents: totals.totalCents,
      createdBy: o.actor?.id ?? null,
      createdAt: now,
      issuedAt: now,
    }),
    ...cards.map((c) =>
      ctx.db.insert(giftCards).values({ id: c.id, organizationId: o.organizationId, codeHash: c.hash, codeLast4: c.last4, codeSealed: c.sealed, initialCents: c.spec.amountCents, design: c.spec.design, recipientName: c.spec.recipientName || null, recipientEmail: c.spec.recipientEmail || null, senderName: c.spec.senderName || null, message: c.spec.message || null, deliverAt: c.deliverAt, expiresAt: o.months ? addMonths(now, o.months) : null, invoiceId, createdBy: o.actor?.id ?? null, createdAt: now }),
    ),
    ...lineInserts(ctx, invoiceId, o.organizationId, lines, 0),
    ...lineAmountUpdates(ctx, totals),
    ctx.db.insert(invoiceEvents).values({ id: crypto.randomUUID(), invoiceId, organizationId: o.organizationId, actorId: o.actor?.id ?? null, kind: "create", detail: o.detail, createdAt: now }),
    auditInsert(ctx, ctx.db, { actor: o.actor, organizationId: o.organizationId, action: o.tokenHash ? "invoice.gift_card_order_online" : "invoice.gift_card_order_bulk", entityType: "invoice", entityId: invoiceId, outcome: "allowed" }),
  ];
  await ctx.db.batch(writes as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return { ok: true, invoiceId };
}

/** The clinic's rules and the location its gift cards are sold from: the desk's, or online the first by name. */
export async function giftCardShop(ctx: Pick<AppContext, "db">, organizationId: string, locationId?: string) {
  const [[org], [location]] = await ctx.db.batch([
    ctx.db.select({ id: organizations.id, name: organizations.name, slug: organizations.slug, amounts: organizations.giftCardAmounts, min: organizations.giftCardMinCents, max: organizations.giftCardMaxCents, months: organizations.giftCardExpiryMonths, online: organizations.giftCardOnline, tiers: organizations.giftCardBulkTiers }).from(organizations).where(eq(organizations.id, organizationId)),
    ctx.db.select({ id: locations.id, taxMode: locations.taxMode, timeZone: locations.timeZone, phone: locations.phone }).from(locations).where(and(eq(locations.organizationId, organizationId), locationId ? eq(locations.id, locationId) : undefined)).orderBy(asc(locations.name)).limit(1),
  ]);
  if (!org || !location) return null;
  return { ...org, amountChoices: org.amounts.split(",").map(Number).filter((n) => Number.isSafeInteger(n) && n > 0), location };
}
export type GiftCardShop = NonNullable<Awaited<ReturnType<typeof giftCardShop>>>;

export const orderTokenHash = (token: string) => sha256Hex(`gift-order:${token}`);

/**
 * An order from the public page: throttled per buyer address and network like a sign-up (5 and 20
 * in 15 minutes) so the page can't be used to fill the clinic's books with unpaid invoices. The
 * answer carries the order's link token, which only the buyer's browser gets.
 */
export async function placeOnlineOrder(ctx: AppContext, shop: GiftCardShop, input: CardSpec & { buyerName: string; buyerEmail: string }): Promise<{ ok: true; token: string } | Refusal> {
  if (input.amountCents < shop.min || input.amountCents > shop.max) return { ok: false, status: 400, field: "amount", message: `A gift card is between ${formatMoney(shop.min)} and ${formatMoney(shop.max)}.` };
  const attempt = await beginAttempt(ctx, "gift_order", input.buyerEmail.toLowerCase());
  if (!attempt.allowed) return { ok: false, status: 429, message: throttleMessage(attempt.retryAfterMs) };
  const token = randomToken(24);
  const created = await createOrder(ctx, {
    organizationId: shop.id,
    location: shop.location,
    buyer: { name: input.buyerName, email: input.buyerEmail },
    cards: [input],
    discountBasisPoints: 0,
    months: shop.months,
    actor: null,
    tokenHash: await orderTokenHash(token),
    detail: "Ordered online by the buyer",
  });
  return created.ok ? { ok: true, token } : created;
}

/** The buyer's order by its link, within the clinic whose page it is. */
export async function orderByToken(ctx: Pick<AppContext, "db">, organizationId: string, token: string) {
  if (!/^[\w-]{20,64}$/.test(token)) return null;
  const hash = await orderTokenHash(token);
  const [invoice] = await ctx.db.select().from(invoices).where(and(eq(invoices.buyerTokenHash, hash), eq(invoices.organizationId, organizationId)));
  if (!invoice) return null;
  const cards = await ctx.db.select({ id: giftCards.id, initialCents: giftCards.initialCents, status: giftCards.status, recipientName: giftCards.recipientName, recipientEmail: giftCards.recipientEmail, deliverAt: giftCards.deliverAt, deliveredAt: giftCards.deliveredAt, design: giftCards.design }).from(giftCards).where(eq(giftCards.invoiceId, invoice.id));
  return { invoice, cards };
}

/**
 * A company's order at the desk: N cards of one amount (with the clinic's volume discount), one
 * invoice for the buyer, paid like any other; its codes are exported once it is paid.
 */
export async function placeBulkOrder(ctx: AppContext, actor: AuditActor, shop: GiftCardShop, input: { buyerName: string; buyerEmail: string; count: number; amountCents: number; design: GiftCardDesign; message?: string | null; discountBasisPoints: number }): Promise<{ ok: true; invoiceId: string } | Refusal> {
  if (input.amountCents < shop.min || input.amountCents > shop.max) return { ok: false, status: 400, field: "amount", message: `A gift card is between ${formatMoney(shop.min)} and ${formatMoney(shop.max)}.` };
  if (!Number.isSafeInteger(input.count) || input.count < 1 || input.count > BULK_MAX_CARDS) return { ok: false, status: 400, field: "count", message: `Order between 1 and ${BULK_MAX_CARDS} cards at once.` };
  return createOrder(ctx, {
    organizationId: actor.organizationId,
    location: shop.location,
    buyer: { name: input.buyerName, email: input.buyerEmail },
    cards: Array.from({ length: input.count }, () => ({ amountCents: input.amountCents, design: input.design, message: input.message, senderName: input.buyerName })),
    discountBasisPoints: input.discountBasisPoints,
    months: shop.months,
    actor,
    tokenHash: null,
    detail: `Bulk order of ${input.count} × ${formatMoney(input.amountCents)} gift cards`,
  });
}

/**
 * Online orders left unpaid for a day are voided, their waiting cards with them (the message job):
 * one conditional statement, so a payment landing meanwhile keeps its order.
 */
export async function voidUnpaidOnlineOrders(ctx: Pick<AppContext, "db" | "clock">) {
  const before = ctx.clock.now().getTime() - UNPAID_ORDER_MS;
  const voided = await ctx.db
    .update(invoices)
    .set({ status: "void", voidReason: "Not paid online within a day" })
    .where(and(isNotNull(invoices.buyerTokenHash), inArray(invoices.status, ["open"]), eq(invoices.paidCents, 0), eq(invoices.heldCents, 0), lt(invoices.createdAt, new Date(before))))
    .returning({ id: invoices.id });
  return voided.length;
}

/**
 * The codes of the cards a paid invoice sold, for the buyer to hand out (a bulk order's CSV): each
 * opened from its seal, audited by count and invoice (never a code), never cached.
 */
export async function orderCodes(ctx: AppContext, actor: AuthedSession["user"], invoiceId: string): Promise<{ ok: true; number: number; rows: { code: string; amountCents: number; expiresAt: Date | null; last4: string }[] } | Refusal> {
  const [invoice] = await ctx.db.select({ id: invoices.id, number: invoices.number, status: invoices.status, locationId: invoices.locationId }).from(invoices).where(and(eq(invoices.id, invoiceId), eq(invoices.organizationId, actor.organizationId), withinActorLocations(actor, invoices.locationId)));
  if (!invoice) return { ok: false, status: 404, message: "No invoice with that id at your locations." };
  if (invoice.status !== "paid") return { ok: false, status: 409, message: "The codes are ready once the invoice is paid." };
  const cards = await ctx.db.select({ sealed: giftCards.codeSealed, amountCents: giftCards.initialCents, expiresAt: giftCards.expiresAt, last4: giftCards.codeLast4 }).from(giftCards).where(and(eq(giftCards.invoiceId, invoice.id), eq(giftCards.status, "active"))).orderBy(asc(giftCards.codeLast4));
  if (!cards.length) return { ok: false, status: 404, message: "This invoice sold no gift cards." };
  const rows = await Promise.all(cards.map(async (c) => ({ code: await openCode(ctx.env, c.sealed), amountCents: c.amountCents, expiresAt: c.expiresAt, last4: c.last4 })));
  await auditInsert(ctx, ctx.db, { actor, action: "gift_card.export", entityType: "invoice", entityId: invoice.id, outcome: "allowed", reason: `${rows.length} codes` });
  return { ok: true, number: invoice.number, rows };
}
