import { and, asc, desc, eq } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { audit } from "../audit/audit.server";
import { beginAttempt, settleAttempt, throttleMessage } from "../auth/throttle.server";
import { formatDateTime, formatMoney } from "../scheduling/format";
import { localToInstant, localDateOf } from "../scheduling/local-time";
import { giftCardEntries, giftCards, invoices, locations, organizations, type GiftCardDesign } from "../../db/schema";
import { changeInvoice, lineInserts, type InvoiceChange, type Refusal } from "../checkout/invoices.server";
import { nothingPaid, stored, termsOf } from "../checkout/invoice-changes.server";
import { checkCode, formatCode, generateCode, lastFour } from "./codes";
import { codeHash, sealCode } from "./secrets.server";

type Actor = AuthedSession["user"];
type GiftCardRow = typeof giftCards.$inferSelect;

/** When the recipient's email goes out on a chosen day: 9 in the morning, the selling location's time. */
const DELIVERY_MINUTE = 9 * 60;

export { DESIGN_LABELS } from "./designs";

export interface SaleInput {
  amount: number;
  design: GiftCardDesign;
  recipientName?: string;
  recipientEmail?: string;
  senderName?: string;
  message?: string;
  /** YYYY-MM-DD in the location's zone; none or today: as soon as it is paid. */
  deliverOn?: string;
}

/** The clinic's gift card rules: amounts offered, the range, months of validity. */
export async function giftCardPolicy(ctx: Pick<AppContext, "db">, organizationId: string) {
  const [org] = await ctx.db.select({ amounts: organizations.giftCardAmounts, min: organizations.giftCardMinCents, max: organizations.giftCardMaxCents, months: organizations.giftCardExpiryMonths, name: organizations.name }).from(organizations).where(eq(organizations.id, organizationId));
  return { amounts: org.amounts.split(",").map(Number).filter((n) => Number.isSafeInteger(n) && n > 0), min: org.min, max: org.max, months: org.months, clinic: org.name };
}

export function amountRefusal(policy: { min: number; max: number }, cents: number): Refusal | null {
  if (cents < policy.min || cents > policy.max) return { ok: false, status: 400, field: "amount", message: `A gift card is between ${formatMoney(policy.min)} and ${formatMoney(policy.max)}.` };
  return null;
}

function addMonths(at: Date, months: number) {
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/**
 * Sells a new gift card on an invoice (ADR 035): the card is made now, waiting; it holds its value
 * once the invoice is paid (a database trigger, with its "issue" ledger entry) and is delivered by
 * the message job on the chosen day. Gift cards carry no tax and no tip.
 */
export async function sellGiftCard(ctx: AppContext, actor: Actor, invoiceId: string, v: SaleInput) {
  const code = generateCode();
  const [hash, sealed] = await Promise.all([codeHash(ctx.env, actor.organizationId, code), sealCode(ctx.env, code)]);
  // The clinic's rules and the location's zone, read with the invoice (one round trip).
  const rules = ctx.db
    .select({ min: organizations.giftCardMinCents, max: organizations.giftCardMaxCents, months: organizations.giftCardExpiryMonths, timeZone: locations.timeZone })
    .from(invoices)
    .innerJoin(organizations, eq(organizations.id, invoices.organizationId))
    .innerJoin(locations, eq(locations.id, invoices.locationId))
    .where(eq(invoices.id, invoiceId));
  return changeInvoice(ctx, actor, invoiceId, async ({ invoice, lines, also }): Promise<InvoiceChange | Refusal> => {
    const [policy] = also as { min: number; max: number; months: number | null; timeZone: string }[];
    const refused = amountRefusal(policy, v.amount);
    if (refused) return refused;
    const paid = nothingPaid(invoice);
    if (paid) return paid;
    const location = policy;
    const now = ctx.clock.now();
    const today = localDateOf(location.timeZone, now.getTime());
    if (v.deliverOn && v.deliverOn < today) return { ok: false, status: 400, field: "deliverOn", message: "Choose today or a day ahead for the email." };
    const deliverAt = v.deliverOn && v.deliverOn > today ? new Date(localToInstant(location.timeZone, v.deliverOn, DELIVERY_MINUTE)) : null;
    const id = crypto.randomUUID();
    const line = { id: crypto.randomUUID(), kind: "gift_card" as const, description: `Gift card •••• ${lastFour(code)}${v.recipientName ? ` for ${v.recipientName}` : ""}`, serviceId: null, productId: null, encounterId: null, providerId: null, quantity: 100, unitCents: v.amount, taxCategory: "services" as const, taxRate: 0, giftCardId: id };
    return {
      lines: [...lines.map(stored), { ...line, discountKind: null, discountValue: null }],
      terms: termsOf(invoice),
      writes: [
        ctx.db.insert(giftCards).values({ id, organizationId: invoice.organizationId, codeHash: hash, codeLast4: lastFour(code), codeSealed: sealed, initialCents: v.amount, design: v.design, recipientName: v.recipientName || null, recipientEmail: v.recipientEmail || null, senderName: v.senderName || null, message: v.message || null, deliverAt, expiresAt: policy.months ? addMonths(now, policy.months) : null, invoiceId: invoice.id, createdBy: actor.id, createdAt: now }),
        ...lineInserts(ctx, invoice.id, invoice.organizationId, [line], lines.length ? Math.max(...lines.map((l) => l.position)) + 1 : 0),
      ],
      event: { kind: "line_add", detail: `Added a ${formatMoney(v.amount)} gift card •••• ${lastFour(code)}` },
      audit: "invoice.gift_card_sell",
    };
  }, rules);
}

/** Adds value to an active card on this invoice: it goes on when the invoice is paid. */
export async function reloadGiftCard(ctx: AppContext, actor: Actor, invoiceId: string, v: { code: string; amount: number }) {
  const policy = await giftCardPolicy(ctx, actor.organizationId);
  const refused = amountRefusal(policy, v.amount);
  if (refused) return refused;
  const found = await findGiftCard(ctx, actor, v.code);
  if (!found.ok) return found;
  const card = found.card;
  if (card.status !== "active") return { ok: false as const, status: 409 as const, field: "code", message: "That gift card isn't active yet; it can be reloaded once its sale is paid." };
  return changeInvoice(ctx, actor, invoiceId, ({ invoice, lines }): InvoiceChange | Refusal => {
    const paid = nothingPaid(invoice);
    if (paid) return paid;
    const line = { id: crypto.randomUUID(), kind: "gift_card" as const, description: `Gift card •••• ${card.codeLast4} reload`, serviceId: null, productId: null, encounterId: null, providerId: null, quantity: 100, unitCents: v.amount, taxCategory: "services" as const, taxRate: 0, giftCardId: card.id };
    return {
      lines: [...lines.map(stored), { ...line, discountKind: null, discountValue: null }],
      terms: termsOf(invoice),
      writes: lineInserts(ctx, invoice.id, invoice.organizationId, [line], lines.length ? Math.max(...lines.map((l) => l.position)) + 1 : 0),
      event: { kind: "line_add", detail: `Added ${formatMoney(v.amount)} to gift card •••• ${card.codeLast4}` },
      audit: "invoice.gift_card_reload",
    };
  });
}

/**
 * A card by its code, throttled like a password (ADR 035): a code that fails its check symbol is a
 * typo and is said so without counting; a well-formed code that isn't one of the clinic's counts
 * as a failed guess (5 per person and 20 per address in 15 minutes).
 */
export async function findGiftCard(ctx: AppContext, actor: { id: string; organizationId: string }, typed: string): Promise<{ ok: true; card: GiftCardRow } | Refusal> {
  const checked = checkCode(typed);
  if (!checked.ok) return { ok: false, status: 400, field: "code", message: checked.reason === "typo" ? "That code has a typo: check each character against the card." : "Enter the 16-character code, like 7K2M-9QXD-4RTW-8PHA." };
  const attempt = await beginAttempt(ctx, "gift_card", `${actor.organizationId}:${actor.id}`);
  if (!attempt.allowed) return { ok: false, status: 429, field: "code", message: throttleMessage(attempt.retryAfterMs) };
  const hash = await codeHash(ctx.env, actor.organizationId, checked.code);
  const [card] = await ctx.db.select().from(giftCards).where(and(eq(giftCards.organizationId, actor.organizationId), eq(giftCards.codeHash, hash)));
  await settleAttempt(ctx, attempt.attemptId, Boolean(card));
  if (!card || card.status === "void") return { ok: false, status: 404, field: "code", message: "No gift card of this clinic has that code." };
  return { ok: true, card };
}

export const STATUS_LABELS = { pending: "Waiting for payment", active: "Active", void: "Void" } as const;
const ENTRY_LABELS = { issue: "Bought", reload: "Reloaded", redeem: "Spent", refund: "Refunded to card", sale_refund: "Sale refunded" } as const;

/** A card as staff see it: its last 4, balance, state and every movement; the read is audited. */
export async function giftCardView(ctx: AppContext, actor: Actor, card: GiftCardRow) {
  const [entries, [sale]] = await Promise.all([
    ctx.db.select({ kind: giftCardEntries.kind, amountCents: giftCardEntries.amountCents, balanceAfter: giftCardEntries.balanceAfter, invoiceId: giftCardEntries.invoiceId, createdAt: giftCardEntries.createdAt }).from(giftCardEntries).where(eq(giftCardEntries.giftCardId, card.id)).orderBy(asc(giftCardEntries.id)),
    ctx.db.select({ number: invoices.number, timeZone: locations.timeZone }).from(invoices).innerJoin(locations, eq(locations.id, invoices.locationId)).where(eq(invoices.id, card.invoiceId ?? "")),
  ]);
  await audit(ctx, { actor, action: "gift_card.read", entityType: "gift_card", entityId: card.id, outcome: "allowed" });
  const zone = sale?.timeZone ?? "UTC";
  const expired = card.expiresAt !== null && card.expiresAt.getTime() <= ctx.clock.now().getTime();
  return {
    id: card.id,
    label: `Gift card •••• ${card.codeLast4}`,
    balance: formatMoney(card.balanceCents),
    balanceCents: card.balanceCents,
    initial: formatMoney(card.initialCents),
    status: expired ? "Expired" : STATUS_LABELS[card.status],
    usable: card.status === "active" && !expired && card.balanceCents > 0,
    expires: card.expiresAt ? formatDateTime(card.expiresAt.getTime(), zone) : null,
    recipient: card.recipientName,
    delivery: card.recipientEmail ? (card.deliveredAt ? `Emailed ${formatDateTime(card.deliveredAt.getTime(), zone)}` : card.deliverAt ? `Emails on ${formatDateTime(card.deliverAt.getTime(), zone)}` : "Emails once paid") : "Printed at the desk",
    sale: card.invoiceId && sale ? { invoiceId: card.invoiceId, number: sale.number } : null,
    entries: entries.map((e) => ({ what: ENTRY_LABELS[e.kind], amount: `${e.amountCents < 0 ? "−" : "+"}${formatMoney(Math.abs(e.amountCents))}`, balance: formatMoney(e.balanceAfter), when: formatDateTime(e.createdAt.getTime(), zone), invoiceId: e.invoiceId })),
  };
}

/** The newest cards sold (last 4 only), for the gift cards page. */
export async function recentGiftCards(ctx: AppContext, actor: Actor) {
  const rows = await ctx.db
    .select({ id: giftCards.id, last4: giftCards.codeLast4, initialCents: giftCards.initialCents, balanceCents: giftCards.balanceCents, status: giftCards.status, recipientName: giftCards.recipientName, createdAt: giftCards.createdAt, timeZone: locations.timeZone })
    .from(giftCards)
    // Shown in the zone of the location that sold it.
    .leftJoin(invoices, eq(invoices.id, giftCards.invoiceId))
    .leftJoin(locations, eq(locations.id, invoices.locationId))
    .where(eq(giftCards.organizationId, actor.organizationId))
    .orderBy(desc(giftCards.createdAt))
    .limit(50);
  return rows.map((r) => ({ id: r.id, label: `•••• ${r.last4}`, initial: formatMoney(r.initialCents), balance: formatMoney(r.balanceCents), status: STATUS_LABELS[r.status], recipient: r.recipientName, when: formatDateTime(r.createdAt.getTime(), r.timeZone ?? "UTC") }));
}

export { formatCode };
