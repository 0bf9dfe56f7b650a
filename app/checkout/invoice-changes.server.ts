import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { can } from "../auth/permissions";
import { localDateOf } from "../scheduling/local-time";
import { amountText } from "../charting/amounts";
import { formatMoney } from "../scheduling/format";
import { giftCards, invoiceLines, invoices, locations, organizations, productLots, products, stockMovements } from "../../db/schema";
import { changeInvoice, lineInserts, rateFor, type InvoiceChange, type LineRow, type Refusal } from "./invoices.server";
import { priceInvoice, tipBase, withinDiscountLimit, type StoredLine } from "./invoice-lines";
import { allocate, tipFromPercent } from "./money";
import type { DiscountSchema, LineEditSchema, RemoveLineSchema, RetailSchema, TipSchema } from "./schemas";

type Actor = AuthedSession["user"];
export const stored = (l: LineRow): StoredLine => ({ id: l.id, quantity: l.quantity, unitCents: l.unitCents, taxRate: l.taxRate, discountKind: l.discountKind, discountValue: l.discountValue });
export const termsOf = (i: typeof invoices.$inferSelect) => ({ taxMode: i.taxMode, discountKind: i.discountKind, discountValue: i.discountValue, tipCents: i.tipCents });
export const nothingPaid = (i: typeof invoices.$inferSelect): Refusal | null => (i.paidCents > 0 ? { ok: false, status: 409, message: "Payments have been taken on this invoice; refund them before changing its lines." } : null);

/**
 * Sells retail at the desk: the items come out of this location's stock (the lot expiring soonest
 * that holds enough) in the same batch as the line; the lot's CHECK refuses going below zero.
 */
export async function addRetail(ctx: AppContext, actor: Actor, invoiceId: string, v: z.infer<typeof RetailSchema>) {
  return changeInvoice(ctx, actor, invoiceId, async ({ invoice, lines }): Promise<InvoiceChange | Refusal> => {
    const [location] = await ctx.db.select({ timeZone: locations.timeZone, taxServicesRate: locations.taxServicesRate, taxRetailRate: locations.taxRetailRate }).from(locations).where(eq(locations.id, invoice.locationId));
    const today = localDateOf(location.timeZone, ctx.clock.now().getTime());
    const quantity = v.quantity * 100;
    const [lot] = await ctx.db
      .select({ id: productLots.id, name: products.name, priceCents: products.priceCents })
      .from(productLots)
      .innerJoin(products, eq(products.id, productLots.productId))
      .where(and(eq(productLots.locationId, invoice.locationId), eq(productLots.productId, v.productId), eq(products.organizationId, actor.organizationId), eq(products.kind, "retail"), eq(products.active, true), isNull(productLots.recalledAt), sql`${productLots.expiresOn} >= ${today}`, gt(productLots.remaining, quantity - 1)))
      .orderBy(asc(productLots.expiresOn))
      .limit(1);
    if (!lot) return { ok: false, status: 409, field: "quantity", message: "Not enough of that product is in stock here (none in date and not recalled)." };
    const line = { id: crypto.randomUUID(), kind: "retail" as const, description: lot.name, serviceId: null, productId: v.productId, encounterId: null, providerId: null, quantity, unitCents: lot.priceCents, taxCategory: "retail" as const, taxRate: rateFor(location, "retail"), lotId: lot.id };
    return {
      lines: [...lines.map(stored), { ...line, discountKind: null, discountValue: null }],
      terms: termsOf(invoice),
      writes: [
        ...lineInserts(ctx, invoice.id, invoice.organizationId, [line], lines.length ? Math.max(...lines.map((l) => l.position)) + 1 : 0),
        ctx.db.update(productLots).set({ remaining: sql`${productLots.remaining} - ${quantity}` }).where(eq(productLots.id, lot.id)),
        ctx.db.insert(stockMovements).values({ id: crypto.randomUUID(), organizationId: invoice.organizationId, lotId: lot.id, kind: "sell", quantity: -quantity, actorId: actor.id, createdAt: ctx.clock.now() }),
      ],
      event: { kind: "line_add", detail: `Added ${v.quantity} × ${lot.name}` },
      audit: "invoice.line_add",
    };
  });
}

/** Changes a line's quantity or price (permission and a reason; nothing paid yet). */
export async function editLine(ctx: AppContext, actor: Actor, invoiceId: string, v: z.infer<typeof LineEditSchema>) {
  return changeInvoice(ctx, actor, invoiceId, ({ invoice, lines }): InvoiceChange | Refusal => {
    const line = lines.find((l) => l.id === v.lineId);
    if (!line) return { ok: false, status: 404, message: "That line is not on this invoice." };
    const paid = nothingPaid(invoice);
    if (paid) return paid;
    if (line.kind === "gift_card") return { ok: false, status: 400, field: "unitPrice", message: "A gift card's amount is its value: remove the card and add one of the right amount." };
    if (line.kind === "retail" && v.quantity !== line.quantity) return { ok: false, status: 400, field: "quantity", message: "Remove the item and add it again to sell a different number (stock follows)." };
    const changed = lines.map((l) => (l.id === line.id ? { ...stored(l), quantity: v.quantity, unitCents: v.unitPrice } : stored(l)));
    return {
      lines: changed,
      terms: termsOf(invoice),
      writes: [ctx.db.update(invoiceLines).set({ quantity: v.quantity, unitCents: v.unitPrice }).where(eq(invoiceLines.id, line.id))],
      event: { kind: "line_edit", detail: `${line.description}: ${amountText(line.quantity)} × ${formatMoney(line.unitCents)} → ${amountText(v.quantity)} × ${formatMoney(v.unitPrice)}`, reason: v.reason },
      audit: "invoice.line_edit",
    };
  });
}

/** Removes a line (permission and a reason; nothing paid yet); retail goes back to its lot. */
export async function removeLine(ctx: AppContext, actor: Actor, invoiceId: string, v: z.infer<typeof RemoveLineSchema>) {
  return changeInvoice(ctx, actor, invoiceId, ({ invoice, lines }): InvoiceChange | Refusal => {
    const line = lines.find((l) => l.id === v.lineId);
    if (!line) return { ok: false, status: 404, message: "That line is not on this invoice." };
    const paid = nothingPaid(invoice);
    if (paid) return paid;
    const back = line.kind === "retail" && line.lotId ? [ctx.db.update(productLots).set({ remaining: sql`${productLots.remaining} + ${line.quantity}` }).where(eq(productLots.id, line.lotId)), ctx.db.insert(stockMovements).values({ id: crypto.randomUUID(), organizationId: invoice.organizationId, lotId: line.lotId, kind: "return" as const, quantity: line.quantity, actorId: actor.id, createdAt: ctx.clock.now() })] : [];
    // A gift card sold on this line never holds value (one reloaded keeps what it had).
    const card = line.kind === "gift_card" && line.giftCardId ? [ctx.db.update(giftCards).set({ status: "void" }).where(and(eq(giftCards.id, line.giftCardId), eq(giftCards.invoiceId, invoice.id), eq(giftCards.status, "pending")))] : [];
    return {
      lines: lines.filter((l) => l.id !== line.id).map(stored),
      terms: termsOf(invoice),
      writes: [ctx.db.delete(invoiceLines).where(eq(invoiceLines.id, line.id)), ...back, ...card],
      event: { kind: "line_remove", detail: `Removed ${line.description}`, reason: v.reason },
      audit: "invoice.line_remove",
    };
  });
}

/**
 * A discount on one line or the whole invoice. The front desk gives up to the organization's
 * limit; beyond it takes a manager (override permission).
 */
export async function setDiscount(ctx: AppContext, actor: Actor, invoiceId: string, v: z.infer<typeof DiscountSchema>) {
  const discount = v.kind === "percent" ? { kind: "percent" as const, basisPoints: v.percent } : { kind: "amount" as const, cents: v.amount };
  const value = v.kind === "percent" ? v.percent : v.amount;
  return changeInvoice(ctx, actor, invoiceId, async ({ invoice, lines }): Promise<InvoiceChange | Refusal> => {
    const paid = nothingPaid(invoice);
    if (paid) return paid;
    const line = v.target === "invoice" ? null : lines.find((l) => l.id === v.target);
    if (v.target !== "invoice" && !line) return { ok: false, status: 404, message: "That line is not on this invoice." };
    // What the discount comes off: the line's price, or the invoice after its lines' own discounts.
    const afterLines = priceInvoice(lines.map(stored), { ...termsOf(invoice), discountKind: null, discountValue: null, tipCents: 0 }).lines;
    const discounted = line ? line.grossCents : afterLines.reduce((a, l) => a + l.grossCents - l.lineDiscountCents, 0);
    if (!can(actor.role, "override:discount:organization")) {
      const [org] = await ctx.db.select({ limit: organizations.deskDiscountLimit }).from(organizations).where(eq(organizations.id, actor.organizationId));
      if (!withinDiscountLimit(discount, discounted, org.limit)) return { ok: false, status: 403, field: v.kind === "percent" ? "percent" : "amount", message: `Discounts above ${org.limit / 100} % need a manager.` };
    }
    const label = v.kind === "percent" ? `${v.percent / 100} %` : formatMoney(v.amount);
    if (line) {
      return {
        lines: lines.map((l) => (l.id === line.id ? { ...stored(l), discountKind: v.kind, discountValue: value } : stored(l))),
        terms: termsOf(invoice),
        writes: [ctx.db.update(invoiceLines).set({ discountKind: v.kind, discountValue: value, discountReason: v.reason }).where(eq(invoiceLines.id, line.id))],
        event: { kind: "discount", detail: `${label} off ${line.description}`, reason: v.reason },
        audit: "invoice.discount",
      };
    }
    return {
      lines: lines.map(stored),
      terms: { ...termsOf(invoice), discountKind: v.kind, discountValue: value },
      writes: [],
      set: { discountKind: v.kind, discountValue: value, discountReason: v.reason },
      event: { kind: "discount", detail: `${label} off the invoice`, reason: v.reason },
      audit: "invoice.discount",
    };
  });
}

/** Takes a discount off a line or the invoice. */
export async function removeDiscount(ctx: AppContext, actor: Actor, invoiceId: string, target: string) {
  return changeInvoice(ctx, actor, invoiceId, ({ invoice, lines }): InvoiceChange | Refusal => {
    const paid = nothingPaid(invoice);
    if (paid) return paid;
    const line = target === "invoice" ? null : lines.find((l) => l.id === target);
    if (target !== "invoice" && !line) return { ok: false, status: 404, message: "That line is not on this invoice." };
    return {
      lines: lines.map((l) => (line && l.id === line.id ? { ...stored(l), discountKind: null, discountValue: null } : stored(l))),
      terms: line ? termsOf(invoice) : { ...termsOf(invoice), discountKind: null, discountValue: null },
      writes: line ? [ctx.db.update(invoiceLines).set({ discountKind: null, discountValue: null, discountReason: null }).where(eq(invoiceLines.id, line.id))] : [],
      set: line ? undefined : { discountKind: null, discountValue: null, discountReason: null },
      event: { kind: "discount_remove", detail: line ? `Discount removed from ${line.description}` : "Invoice discount removed" },
      audit: "invoice.discount_remove",
    };
  });
}

/**
 * The tip, from a preset percentage of what the invoice comes to before it, or an amount; shared
 * between the chosen providers by the largest remainder (the shares always add up to the tip).
 */
export async function setTip(ctx: AppContext, actor: Actor, invoiceId: string, v: z.infer<typeof TipSchema>, providers: { id: string; name: string }[]) {
  const chosen = [...new Set(v.providerIds)].filter((id) => providers.some((p) => p.id === id));
  if (chosen.length !== new Set(v.providerIds).size) return { ok: false as const, status: 400 as const, field: "providerIds", message: "Choose providers from the list." };
  return changeInvoice(ctx, actor, invoiceId, ({ invoice, lines }): InvoiceChange | Refusal => {
    if (invoice.status === "refunded" || invoice.status === "partially_refunded") return { ok: false, status: 409, message: "A refunded invoice's tip can't change." };
    const cents = v.cents ?? tipFromPercent(tipBase(lines), v.basisPoints ?? 0);
    const shares = cents > 0 ? allocate(cents, chosen.map(() => 1)) : [];
    const names = chosen.map((id) => providers.find((p) => p.id === id)!.name).join(", ");
    return {
      lines: lines.map(stored),
      terms: { ...termsOf(invoice), tipCents: cents },
      writes: [ctx.db.run(sql`delete from invoice_tips where invoice_id = ${invoice.id}`), ...shares.map((share, i) => ctx.db.run(sql`insert into invoice_tips (invoice_id, provider_id, organization_id, cents) values (${invoice.id}, ${chosen[i]}, ${invoice.organizationId}, ${share})`))],
      event: { kind: "tip", detail: cents > 0 ? `Tip ${formatMoney(cents)} for ${names}` : "No tip" },
      audit: "invoice.tip",
    };
  });
}

/** Draft → open: the invoice is final and owed (a $0 invoice is settled by it). */
export async function issueInvoice(ctx: AppContext, actor: Actor, invoiceId: string) {
  return changeInvoice(ctx, actor, invoiceId, ({ invoice, lines }): InvoiceChange | Refusal => {
    if (invoice.status !== "draft") return { ok: false, status: 409, message: "This invoice has already been issued." };
    if (lines.length === 0) return { ok: false, status: 409, message: "Add a line before issuing the invoice." };
    return { lines: lines.map(stored), terms: termsOf(invoice), writes: [], set: { status: invoice.totalCents === 0 ? "paid" : "open", issuedAt: ctx.clock.now() }, event: { kind: "issue", detail: `Issued for ${formatMoney(invoice.totalCents)}` }, audit: "invoice.issue" };
  });
}

/** Voids an invoice nothing has been paid on (the database keeps both ways: no void once paid, no payment once void). */
export async function voidInvoice(ctx: AppContext, actor: Actor, invoiceId: string, reason: string) {
  return changeInvoice(ctx, actor, invoiceId, ({ invoice, lines }): InvoiceChange | Refusal => {
    if (invoice.paidCents > 0) return { ok: false, status: 409, message: "Payments have been taken on this invoice; refund them instead of voiding." };
    // Retail on a void invoice goes back on the shelf.
    const back = lines.filter((l) => l.kind === "retail" && l.lotId).flatMap((l) => [ctx.db.update(productLots).set({ remaining: sql`${productLots.remaining} + ${l.quantity}` }).where(eq(productLots.id, l.lotId!)), ctx.db.insert(stockMovements).values({ id: crypto.randomUUID(), organizationId: invoice.organizationId, lotId: l.lotId!, kind: "return" as const, quantity: l.quantity, actorId: actor.id, createdAt: ctx.clock.now() })]);
    // A payment landing meanwhile keeps it unvoided: the database refuses the void (migration 0035).
    return { lines: lines.map(stored), terms: termsOf(invoice), writes: back, set: { status: "void", voidReason: reason }, event: { kind: "void", detail: "Voided", reason }, audit: "invoice.void" };
  });
}
