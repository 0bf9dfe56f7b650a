import { and, asc, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { can } from "../auth/permissions";
import { audit } from "../audit/audit.server";
import { localDateOf } from "../scheduling/local-time";
import { formatDateTime, formatMoney } from "../scheduling/format";
import { amountText } from "../charting/amounts";
import { appointments, cardReaders, savedCards, encounters, invoiceEvents, invoiceTips, invoices, refunds, locations, organizations, patients, payments, productLots, products, services, users } from "../../db/schema";
import { invoiceWithLines, tipProviders } from "./invoices.server";
import { balanceOf, priceInvoice, tipBase } from "./invoice-lines";
import { tipFromPercent } from "./money";
import { brandLabel, paymentLabel } from "./labels";
import { stripeGateway } from "../payments/stripe-gateway.server";
import { cardExpired, expiryLabel } from "../payments/cards";

export const INVOICE_STATUS_LABELS = { draft: "Draft", open: "Open", partially_paid: "Partly paid", paid: "Paid", void: "Void", partially_refunded: "Partly refunded", refunded: "Refunded" } as const;
const percentText = (bp: number) => `${bp / 100} %`;
/** 8875 → "8.875 %". */
export const taxRateText = (rate: number) => `${rate / 1000} %`;

/** Everything the checkout page shows, read at once where it can; the read is audited. */
export async function invoicePage(ctx: AppContext, session: AuthedSession, invoiceId: string) {
  const actor = session.user;
  // Everything at once, keyed by the invoice's id (each query is a round trip on Turso); none of it
  // is shown unless the invoice itself is found within the actor's organization and locations.
  const ofInvoice = (column: Parameters<typeof eq>[0]) => eq(column, invoiceId);
  const atItsLocation = sql`(select location_id from invoices where id = ${invoiceId})`;
  const stripe = stripeGateway(ctx.env);
  const [found, [head], tips, paid, events, [org], providers, retailLots, refunded, cards, readers] = await Promise.all([
    invoiceWithLines(ctx, actor, invoiceId),
    ctx.db
      .select({ patientFirst: patients.firstName, patientLast: patients.lastName, patientId: patients.id, buyerName: invoices.buyerName, buyerEmail: invoices.buyerEmail, locationName: locations.name, timeZone: locations.timeZone, serviceName: services.name, startsAt: appointments.startsAt, providerId: appointments.providerId, providerName: users.name, chartStatus: encounters.status, encounterId: encounters.id })
      .from(invoices)
      .leftJoin(patients, eq(patients.id, invoices.patientId))
      .innerJoin(locations, eq(locations.id, invoices.locationId))
      .leftJoin(appointments, eq(appointments.id, invoices.appointmentId))
      .leftJoin(services, eq(services.id, appointments.serviceId))
      .leftJoin(users, eq(users.id, appointments.providerId))
      .leftJoin(encounters, eq(encounters.appointmentId, appointments.id))
      .where(ofInvoice(invoices.id)),
    ctx.db.select({ providerId: invoiceTips.providerId, cents: invoiceTips.cents, name: users.name }).from(invoiceTips).innerJoin(users, eq(users.id, invoiceTips.providerId)).where(ofInvoice(invoiceTips.invoiceId)),
    ctx.db.select().from(payments).where(ofInvoice(payments.invoiceId)).orderBy(asc(payments.createdAt)),
    ctx.db.select({ id: invoiceEvents.id, kind: invoiceEvents.kind, detail: invoiceEvents.detail, reason: invoiceEvents.reason, createdAt: invoiceEvents.createdAt, actorName: users.name }).from(invoiceEvents).leftJoin(users, eq(users.id, invoiceEvents.actorId)).where(ofInvoice(invoiceEvents.invoiceId)).orderBy(desc(invoiceEvents.createdAt)).limit(50),
    ctx.db.select({ tipPresets: organizations.tipPresets, deskDiscountLimit: organizations.deskDiscountLimit, giftCardAmounts: organizations.giftCardAmounts, giftCardMin: organizations.giftCardMinCents, giftCardMax: organizations.giftCardMaxCents }).from(organizations).where(eq(organizations.id, actor.organizationId)),
    tipProviders(ctx, actor.organizationId, invoiceId),
    // Retail on the shelf there (lots in date are picked below, once the location's day is known).
    ctx.db
      .select({ id: products.id, name: products.name, priceCents: products.priceCents, remaining: productLots.remaining, expiresOn: productLots.expiresOn })
      .from(products)
      .innerJoin(productLots, and(eq(productLots.productId, products.id), eq(productLots.locationId, atItsLocation), isNull(productLots.recalledAt), gt(productLots.remaining, 0)))
      .where(and(eq(products.organizationId, actor.organizationId), eq(products.kind, "retail"), eq(products.active, true)))
      .orderBy(asc(products.name)),
    ctx.db
      .select({ paymentId: refunds.paymentId, cents: sql<number>`sum(${refunds.amountCents})` })
      .from(refunds)
      .where(and(ofInvoice(refunds.invoiceId), inArray(refunds.status, ["pending", "succeeded"])))
      .groupBy(refunds.paymentId),
    // Stripe (ADR 034): the patient's saved cards and the readers at the invoice's location.
    stripe
      ? ctx.db
          .select()
          .from(savedCards)
          .where(and(eq(savedCards.organizationId, actor.organizationId), sql`${savedCards.patientId} = (select patient_id from invoices where id = ${invoiceId})`, isNull(savedCards.removedAt)))
          .orderBy(desc(savedCards.isDefault), desc(savedCards.createdAt))
      : Promise.resolve([]),
    stripe ? ctx.db.select({ id: cardReaders.id, label: cardReaders.label }).from(cardReaders).where(and(eq(cardReaders.organizationId, actor.organizationId), eq(cardReaders.locationId, atItsLocation), isNull(cardReaders.removedAt))).orderBy(asc(cardReaders.label)) : Promise.resolve([]),
  ]);
  if (!found || !head) return null;
  const { invoice, lines } = found;
  const today = localDateOf(head.timeZone, ctx.clock.now().getTime());
  const retail = [...retailLots.filter((l) => l.expiresOn >= today).reduce((m, l) => m.set(l.id, { ...l, inStock: (m.get(l.id)?.inStock ?? 0) + l.remaining }), new Map<string, { id: string; name: string; priceCents: number; inStock: number }>()).values()];
  await audit(ctx, { actor, action: "invoice.read", entityType: "invoice", entityId: invoice.id, outcome: "allowed" });

  const totals = priceInvoice(lines, invoice);
  const balanceCents = balanceOf(invoice);
  const open = invoice.status !== "void" && invoice.status !== "refunded" && invoice.status !== "partially_refunded";
  const editable = open && invoice.paidCents === 0;
  const tipOn = tipBase(lines);
  const when = (d: Date) => formatDateTime(d.getTime(), head.timeZone);
  return {
    invoice: {
      id: invoice.id,
      number: invoice.number,
      status: invoice.status,
      statusLabel: INVOICE_STATUS_LABELS[invoice.status],
      taxMode: invoice.taxMode,
      voidReason: invoice.voidReason,
      created: when(invoice.createdAt),
      appointmentId: invoice.appointmentId,
    },
    // The patient billed, or a buyer who isn't one (ADR 037): then there is no record to link to.
    patient: { id: head.patientId, name: head.patientId ? `${head.patientFirst} ${head.patientLast}` : `${head.buyerName} (${head.buyerEmail})` },
    visit: head.serviceName && head.startsAt ? { serviceName: head.serviceName, when: when(head.startsAt), providerName: head.providerName } : null,
    location: head.locationName,
    // The chart isn't signed yet: what was charted may still change.
    chartDraft: head.encounterId !== null && head.chartStatus !== "signed",
    lines: lines.map((l, i) => ({
      id: l.id,
      kind: l.kind,
      description: l.description,
      quantity: amountText(l.quantity),
      unitPrice: formatMoney(l.unitCents),
      unitPriceInput: (l.unitCents / 100).toFixed(2),
      gross: formatMoney(totals.lines[i].grossCents),
      discount: l.discountKind ? { label: l.discountKind === "percent" ? percentText(l.discountValue ?? 0) : formatMoney(l.discountValue ?? 0), cents: formatMoney(totals.lines[i].lineDiscountCents), reason: l.discountReason } : null,
      taxRate: l.taxRate ? taxRateText(l.taxRate) : null,
      giftCardId: l.kind === "gift_card" ? l.giftCardId : null,
    })),
    giftCards: {
      amounts: org.giftCardAmounts.split(",").map(Number).filter((n) => Number.isSafeInteger(n) && n > 0).map((cents) => ({ value: (cents / 100).toFixed(2), label: formatMoney(cents) })),
      range: `${formatMoney(org.giftCardMin)}–${formatMoney(org.giftCardMax)}`,
      // A card sold here can be printed once the invoice is paid (it holds value then).
      printable: invoice.status === "paid" || invoice.status === "partially_refunded",
    },
    totals: {
      subtotal: formatMoney(invoice.subtotalCents),
      discount: invoice.discountCents ? formatMoney(invoice.discountCents) : null,
      invoiceDiscount: invoice.discountKind ? { label: invoice.discountKind === "percent" ? percentText(invoice.discountValue ?? 0) : formatMoney(invoice.discountValue ?? 0), reason: invoice.discountReason } : null,
      taxes: totals.taxByRate.filter((t) => t.rate > 0).map((t) => ({ rate: taxRateText(t.rate), tax: formatMoney(t.taxCents) })),
      taxIncluded: invoice.taxMode === "inclusive",
      tip: invoice.tipCents ? formatMoney(invoice.tipCents) : null,
      total: formatMoney(invoice.totalCents),
      paid: formatMoney(invoice.paidCents),
      balance: formatMoney(balanceCents),
      balanceCents,
      /** Card charges sent to Stripe and not answered yet. */
      held: invoice.heldCents ? formatMoney(invoice.heldCents) : null,
      chargeableCents: Math.max(0, balanceCents - invoice.heldCents),
    },
    stripe: stripe
      ? {
          cards: cards.map((c) => ({ id: c.id, label: `${brandLabel(c.brand)} •••• ${c.last4}`, expiry: expiryLabel(c), isDefault: c.isDefault, expired: cardExpired(c, ctx.clock.now()) })),
          readers,
        }
      : null,
    tips: tips.map((t) => ({ name: t.name, amount: formatMoney(t.cents), providerId: t.providerId })),
    // The tip as it stands, as the form should show it: a preset it equals, another amount, or none.
    currentTip: currentTipChoice(invoice.tipCents, tipOn, org.tipPresets),
    tipOptions: presetsOf(org.tipPresets).map((bp) => ({ value: String(bp), label: `${percentText(bp)} · ${formatMoney(tipFromPercent(tipOn, bp))}` })),
    providers: providers.length ? providers : head.providerId && head.providerName ? [{ id: head.providerId, name: head.providerName }] : [],
    defaultTipProviders: tips.length ? tips.map((t) => t.providerId) : head.providerId ? [head.providerId] : [],
    // What can still go back, per payment (never more than each took).
    refundable: paid
      .filter((p) => p.status === "succeeded")
      .map((p) => ({ id: p.id, cents: p.amountCents - (refunded.find((r) => r.paymentId === p.id)?.cents ?? 0), label: paymentLabel(p) }))
      .filter((p) => p.cents > 0)
      .map((p) => ({ ...p, amount: formatMoney(p.cents), input: (p.cents / 100).toFixed(2) })),
    restockable: lines.filter((l) => l.kind === "retail" && l.lotId && !l.restockedAt).map((l) => ({ id: l.id, label: `${l.description} × ${amountText(l.quantity)}` })),
    // Gift cards this invoice sold (and that hold their value): a refund of one takes it off the card.
    giftCardSales: lines.filter((l) => l.kind === "gift_card" && l.appliedAt).map((l) => ({ id: l.id, label: l.description })),
    refunded: invoice.refundedCents ? formatMoney(invoice.refundedCents) : null,
    refundKey: crypto.randomUUID(),
    payments: paid.map((p) => ({
      id: p.id,
      method: paymentLabel(p),
      amount: formatMoney(p.amountCents),
      change: p.changeCents ? formatMoney(p.changeCents) : null,
      tendered: p.tenderedCents ? formatMoney(p.tenderedCents) : null,
      when: when(p.createdAt),
      status: p.status,
      failure: p.failureMessage,
      onReader: p.readerId !== null,
    })),
    history: events.map((e) => ({ id: e.id, detail: e.detail, reason: e.reason, when: when(e.createdAt), who: e.actorName ?? "system" })),
    retail: (can(actor.role, "checkout:invoice:location") ? retail : []).map((r) => ({ id: r.id, label: `${r.name} · ${formatMoney(r.priceCents)} (${amountText(r.inStock)} in stock)` })),
    can: {
      checkout: open && can(actor.role, "checkout:invoice:location"),
      edit: editable && can(actor.role, "edit:invoice:location"),
      discount: editable && can(actor.role, "discount:invoice:location"),
      discountLimit: can(actor.role, "override:discount:organization") ? null : percentText(org.deskDiscountLimit),
      issue: invoice.status === "draft" && can(actor.role, "checkout:invoice:location"),
      void: invoice.paidCents === 0 && invoice.status !== "void" && can(actor.role, "edit:invoice:location"),
      pay: open && balanceCents > 0 && can(actor.role, "checkout:invoice:location"),
      refund: invoice.paidCents > invoice.refundedCents && can(actor.role, "refund:payment:location"),
    },
    paymentKey: crypto.randomUUID(),
    readerKey: crypto.randomUUID(),
  };
}

function presetsOf(tipPresets: string) {
  return tipPresets
    .split(",")
    .map(Number)
    .filter((bp) => Number.isSafeInteger(bp) && bp > 0);
}

function currentTipChoice(tipCents: number, tipOn: number, tipPresets: string) {
  if (tipCents === 0) return { choice: "none", custom: "" };
  const preset = presetsOf(tipPresets).find((bp) => tipFromPercent(tipOn, bp) === tipCents);
  return preset ? { choice: String(preset), custom: "" } : { choice: "custom", custom: (tipCents / 100).toFixed(2) };
}
