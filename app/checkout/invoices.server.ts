import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { withinActorLocations } from "../auth/scope.server";
import { auditInsert } from "../audit/audit.server";
import { refusedWith } from "../lib/db-refusal";
import { appointments, encounterPoints, encounters, invoiceEvents, invoiceLines, invoices, locations, memberships, patients, products, services, userLocations, users } from "../../db/schema";
import { linesFromVisit, priceInvoice, type InvoiceTerms, type NewLine, type StoredLine } from "./invoice-lines";
import { MoneyError, type InvoiceTotals } from "./money";
import { applyDepositWrites } from "../payments/deposits.server";

type Actor = AuthedSession["user"];
export type InvoiceRow = typeof invoices.$inferSelect;
export type LineRow = typeof invoiceLines.$inferSelect;

/** Visits that can be checked out: the patient is here or has been seen. */
const CHECKOUT_STATUSES = new Set(["checked_in", "in_room", "completed"]);

export type Refusal = { ok: false; status: 400 | 403 | 404 | 409 | 429; message: string; field?: string };

/** The rate a location charges a line's category. */
export const rateFor = (location: { taxServicesRate: number; taxRetailRate: number }, category: "services" | "retail") => (category === "retail" ? location.taxRetailRate : location.taxServicesRate);

/** What each product was charted at on the visit's encounter, added up over its points. */
function chartedProducts(ctx: Pick<AppContext, "db">, appointmentId: string) {
  return ctx.db
    .select({ productId: products.id, name: products.name, measure: products.measure, packageSize: products.packageSize, priceCents: products.priceCents, priceBasis: products.priceBasis, amount: sql<number>`sum(${encounterPoints.amount})` })
    .from(encounterPoints)
    .innerJoin(products, eq(products.id, encounterPoints.productId))
    .where(sql`${encounterPoints.encounterId} = (select id from encounters where appointment_id = ${appointmentId})`)
    .groupBy(products.id)
    .orderBy(asc(sql`min(${encounterPoints.position})`));
}

/**
 * The visit, its service, location and chart, as checkout needs them — within the actor's
 * locations — and what was charted on it: one round trip (a batch of reads).
 */
async function visitToBill(ctx: AppContext, actor: Actor, appointmentId: string) {
  const visitQuery = ctx.db
    .select({
      id: appointments.id,
      status: appointments.status,
      locationId: appointments.locationId,
      patientId: appointments.patientId,
      providerId: appointments.providerId,
      serviceId: appointments.serviceId,
      priceCents: appointments.priceCents,
      serviceName: services.name,
      billedByProduct: services.billedByProduct,
      taxMode: locations.taxMode,
      taxServicesRate: locations.taxServicesRate,
      taxRetailRate: locations.taxRetailRate,
      encounterId: encounters.id,
      invoiceId: invoices.id,
    })
    .from(appointments)
    .innerJoin(services, eq(services.id, appointments.serviceId))
    .innerJoin(locations, eq(locations.id, appointments.locationId))
    .leftJoin(encounters, eq(encounters.appointmentId, appointments.id))
    .leftJoin(invoices, eq(invoices.appointmentId, appointments.id))
    .where(and(eq(appointments.id, appointmentId), eq(appointments.organizationId, actor.organizationId), withinActorLocations(actor, appointments.locationId)));
  const [[visit], charted] = await ctx.db.batch([visitQuery, chartedProducts(ctx, appointmentId)]);
  return visit ? { visit, charted } : null;
}

/** The inserts for new lines, numbered from `position`, each only if its invoice exists. */
export function lineInserts(ctx: Pick<AppContext, "db" | "clock">, invoiceId: string, organizationId: string, lines: (NewLine & { id: string; taxRate: number; lotId?: string | null; giftCardId?: string | null })[], position: number) {
  const now = ctx.clock.now().getTime();
  return lines.map((l, i) =>
    ctx.db.run(sql`insert into invoice_lines (id, invoice_id, organization_id, position, kind, description, service_id, product_id, lot_id, encounter_id, provider_id, quantity, unit_cents, tax_category, tax_rate, gross_cents, discount_cents, net_cents, created_at, gift_card_id)
      select ${l.id}, ${invoiceId}, ${organizationId}, ${position + i}, ${l.kind}, ${l.description}, ${l.serviceId}, ${l.productId}, ${l.lotId ?? null}, ${l.encounterId}, ${l.providerId}, ${l.quantity}, ${l.unitCents}, ${l.taxCategory}, ${l.taxRate}, 0, 0, 0, ${now}, ${l.giftCardId ?? null}
      where exists (select 1 from invoices where id = ${invoiceId})`),
  );
}

/** Each line's amounts as the money rules gave them. */
export function lineAmountUpdates(ctx: Pick<AppContext, "db">, totals: InvoiceTotals) {
  return totals.lines.map((l) => ctx.db.update(invoiceLines).set({ grossCents: l.grossCents, discountCents: l.lineDiscountCents + l.invoiceDiscountCents, netCents: l.netCents }).where(eq(invoiceLines.id, l.id)));
}

/** The status the stored amounts give (paid is read in the statement, so a payment landing meanwhile counts). */
export function statusSql(totalCents: SQL | number, paidCents: SQL = sql`paid_cents`) {
  return sql`case when status in ('void', 'refunded', 'partially_refunded') then status
    when ${paidCents} > 0 and ${paidCents} >= ${totalCents} then 'paid'
    when ${paidCents} > 0 then 'partially_paid'
    when status in ('paid', 'partially_paid') then 'open'
    else status end`;
}

/**
 * A line of the invoice's history for a batch whose previous statement decides: written only when
 * that statement changed a row (so a twin request, or an event delivered twice, adds none).
 */
export function invoiceEventIfChanged(ctx: Pick<AppContext, "db" | "clock">, invoice: { id: string; organizationId: string }, actorId: string | null, kind: string, detail: string) {
  return ctx.db.run(sql`insert into invoice_events (id, invoice_id, organization_id, actor_id, kind, detail, created_at)
    select ${crypto.randomUUID()}, ${invoice.id}, ${invoice.organizationId}, ${actorId}, ${kind}, ${detail}, ${ctx.clock.now().getTime()} where changes() > 0`);
}

export function invoiceEvent(ctx: Pick<AppContext, "db" | "clock">, invoice: { id: string; organizationId: string }, actor: Actor, kind: string, detail: string, reason: string | null = null) {
  return ctx.db.insert(invoiceEvents).values({ id: crypto.randomUUID(), invoiceId: invoice.id, organizationId: invoice.organizationId, actorId: actor.id, kind, detail, reason, createdAt: ctx.clock.now() });
}

/**
 * The visit's invoice: the one it has, or a new draft built from the visit and its chart, numbered
 * next in the organization by the insert itself (a unique index backs it; one per visit too).
 */
export async function invoiceForVisit(ctx: AppContext, actor: Actor, appointmentId: string): Promise<{ ok: true; invoiceId: string } | Refusal> {
  const found = await visitToBill(ctx, actor, appointmentId);
  if (!found) return { ok: false, status: 404, message: "No appointment with that id at your locations." };
  const { visit, charted } = found;
  if (visit.invoiceId) return { ok: true, invoiceId: visit.invoiceId };
  if (!CHECKOUT_STATUSES.has(visit.status)) return { ok: false, status: 409, message: "Check the patient in before checking them out." };
  const built = linesFromVisit({ serviceId: visit.serviceId, serviceName: visit.serviceName, billedByProduct: visit.billedByProduct, priceCents: visit.priceCents, providerId: visit.providerId, encounterId: visit.encounterId }, charted);
  const lines = built.map((l) => ({ ...l, id: crypto.randomUUID(), taxRate: rateFor(visit, l.taxCategory) }));
  const terms: InvoiceTerms = { taxMode: visit.taxMode, discountKind: null, discountValue: null, tipCents: 0 };
  const totals = priceInvoice(lines.map((l) => ({ ...l, discountKind: null, discountValue: null })), terms);
  const id = crypto.randomUUID();
  const now = ctx.clock.now();
  const [inserted] = await ctx.db.batch([
    ctx.db
      .insert(invoices)
      .values({
        id,
        organizationId: actor.organizationId,
        locationId: visit.locationId,
        patientId: visit.patientId,
        appointmentId,
        number: sql`(select coalesce(max(number), 0) + 1 from invoices where organization_id = ${actor.organizationId})`,
        taxMode: visit.taxMode,
        subtotalCents: totals.subtotalCents,
        discountCents: totals.discountCents,
        taxCents: totals.taxCents,
        totalCents: totals.totalCents,
        createdBy: actor.id,
        createdAt: now,
      })
      // The visit's one invoice (partial unique index): a desk opening it at the same moment writes nothing.
      .onConflictDoNothing(),
    ...lineInserts(ctx, id, actor.organizationId, lines, 0),
    ...lineAmountUpdates(ctx, totals),
    ctx.db.run(sql`insert into invoice_events (id, invoice_id, organization_id, actor_id, kind, detail, created_at)
      select ${crypto.randomUUID()}, ${id}, ${actor.organizationId}, ${actor.id}, 'create', ${charted.length ? "Built from the visit and its chart" : "Built from the visit"}, ${now.getTime()}
      where exists (select 1 from invoices where id = ${id})`),
    auditInsert(ctx, ctx.db, { actor, action: "invoice.create", entityType: "invoice", entityId: id, outcome: "allowed" }),
    // A deposit the patient paid online for this visit is taken off at once (ADR 039).
    ...applyDepositWrites(ctx, appointmentId, id, totals.totalCents),
  ] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  if ((inserted as { rowsAffected: number }).rowsAffected > 0) return { ok: true, invoiceId: id };
  // Another desk opened it at the same moment: theirs is the visit's invoice.
  const [theirs] = await ctx.db.select({ id: invoices.id }).from(invoices).where(eq(invoices.appointmentId, appointmentId));
  return theirs ? { ok: true, invoiceId: theirs.id } : { ok: false, status: 409, message: "The invoice could not be opened; try again." };
}

/** An invoice and its lines, within the actor's organization and locations; null when not theirs. */
export async function invoiceWithLines(ctx: Pick<AppContext, "db">, actor: Actor, invoiceId: string, alsoRead?: BatchItem<"sqlite">) {
  // One round trip (a batch of reads): on Turso each query is a network trip.
  const [[invoice], lines, also] = (await ctx.db.batch([
    ctx.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.id, invoiceId), eq(invoices.organizationId, actor.organizationId), withinActorLocations(actor, invoices.locationId))),
    ctx.db
      .select()
      .from(invoiceLines)
      .where(and(eq(invoiceLines.invoiceId, invoiceId), eq(invoiceLines.organizationId, actor.organizationId)))
      .orderBy(asc(invoiceLines.position)),
    ...(alsoRead ? [alsoRead] : []),
  ] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as unknown as [InvoiceRow[], LineRow[], unknown[] | undefined];
  if (!invoice) return null;
  return { invoice, lines, also: also ?? [] };
}

export interface InvoiceChange {
  /** The lines after the change (existing ones with their new terms, new ones with fresh ids). */
  lines: StoredLine[];
  terms: InvoiceTerms;
  /** Writes of the change itself (line inserts, deletes, stock), after the guard. */
  writes: BatchItem<"sqlite">[];
  event: { kind: string; detail: string; reason?: string | null };
  audit: string;
  /** Invoice columns the change sets besides its amounts (tip, discount, issue, void). */
  set?: Partial<typeof invoices.$inferInsert>;
}

/**
 * Applies a change to an invoice over the revision it was read at: the money rules price the
 * lines, and the guard, the change, every line's amounts, the invoice's totals and status, its
 * history and the audit commit in one batch. Another desk's change landing first makes the guard
 * abort it; it is then worked out again from fresh reads (a few times), so neither is lost.
 */
export async function changeInvoice(
  ctx: AppContext,
  actor: Actor,
  invoiceId: string,
  plan: (current: { invoice: InvoiceRow; lines: LineRow[]; also: unknown[] }) => Promise<InvoiceChange | Refusal> | InvoiceChange | Refusal,
  /** A read the plan needs, made in the same round trip as the invoice's. */
  alsoRead?: BatchItem<"sqlite">,
): Promise<{ ok: true } | Refusal> {
  for (let attempt = 0; ; attempt++) {
    const current = await invoiceWithLines(ctx, actor, invoiceId, alsoRead);
    if (!current) return { ok: false, status: 404, message: "No invoice with that id at your locations." };
    if (current.invoice.status === "void") return { ok: false, status: 409, message: "This invoice is void; it can't be changed." };
    const change = await plan(current);
    if ("ok" in change) return change;
    let totals: InvoiceTotals;
    try {
      totals = priceInvoice(change.lines, change.terms);
    } catch (error) {
      if (error instanceof MoneyError) return { ok: false, status: 400, message: error.message };
      throw error;
    }
    const { invoice } = current;
    try {
      await ctx.db.batch([
        ctx.db.run(sql`insert into invoice_guards (invoice_id, expected_revision) values (${invoice.id}, ${invoice.revision})`),
        ...change.writes,
        ...lineAmountUpdates(ctx, totals),
        ctx.db
          .update(invoices)
          .set({
            ...change.set,
            subtotalCents: totals.subtotalCents,
            discountCents: totals.discountCents,
            taxCents: totals.taxCents,
            tipCents: totals.tipCents,
            totalCents: totals.totalCents,
            revision: sql`${invoices.revision} + 1`,
            status: change.set?.status ?? statusSql(totals.totalCents),
          })
          .where(eq(invoices.id, invoice.id)),
        invoiceEvent(ctx, invoice, actor, change.event.kind, change.event.detail, change.event.reason ?? null),
        auditInsert(ctx, ctx.db, { actor, action: change.audit, entityType: "invoice", entityId: invoice.id, outcome: "allowed" }),
      ] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
      return { ok: true };
    } catch (error) {
      if (refusedWith(error, "atrium_invoice_stale") && attempt < 4) continue;
      if (refusedWith(error, "atrium_invoice_void")) return { ok: false, status: 409, message: "This invoice was voided meanwhile; it can't be changed." };
      if (refusedWith(error, "atrium_invoice_paid")) return { ok: false, status: 409, message: "Payments have been taken on this invoice; refund them instead of voiding." };
      if (refusedWith(error, "invoices_never_overpaid") || refusedWith(error, "atrium_invoice_overcommitted")) return { ok: false, status: 409, message: "That would bring the invoice below what has already been paid. Refund first." };
      if (refusedWith(error, "product_lots_remaining_not_negative")) return { ok: false, status: 409, message: "Not enough of that product is left in stock here.", field: "quantity" };
      if (refusedWith(error, "atrium_lot_recalled")) return { ok: false, status: 409, message: "That lot was recalled; it can't be sold.", field: "productId" };
      if (refusedWith(error, "atrium_invoice_stale")) return { ok: false, status: 409, message: "Another desk is changing this invoice; try again." };
      throw error;
    }
  }
}

/** Who a tip on an invoice may go to: the active providers (and medical directors) working at its location. */
export function tipProviders(ctx: Pick<AppContext, "db">, organizationId: string, invoiceId: string) {
  return ctx.db
    .select({ id: users.id, name: users.name })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.organizationId, organizationId)))
    .innerJoin(userLocations, and(eq(userLocations.userId, users.id), eq(userLocations.locationId, sql`(select location_id from invoices where id = ${invoiceId})`)))
    .where(and(inArray(memberships.role, ["provider", "medical_director"]), eq(memberships.status, "active")))
    .orderBy(asc(users.name));
}

/**
 * A sale without a visit (retail, gift cards) for a patient, at the desk's working location: an
 * empty draft numbered next in the organization by its insert.
 */
export async function newSale(ctx: AppContext, actor: Actor, patientId: string, locationId: string): Promise<{ ok: true; invoiceId: string } | Refusal> {
  const [[patient], [location]] = await ctx.db.batch([
    ctx.db.select({ id: patients.id }).from(patients).where(and(eq(patients.id, patientId), eq(patients.organizationId, actor.organizationId))),
    ctx.db.select({ id: locations.id, taxMode: locations.taxMode }).from(locations).where(and(eq(locations.id, locationId), eq(locations.organizationId, actor.organizationId), withinActorLocations(actor, locations.id))),
  ]);
  if (!patient) return { ok: false, status: 404, message: "No patient with that id in your organization." };
  if (!location) return { ok: false, status: 403, message: "Choose one of your locations first." };
  const id = crypto.randomUUID();
  const now = ctx.clock.now();
  await ctx.db.batch([
    ctx.db.insert(invoices).values({ id, organizationId: actor.organizationId, locationId: location.id, patientId: patient.id, number: sql`(select coalesce(max(number), 0) + 1 from invoices where organization_id = ${actor.organizationId})`, taxMode: location.taxMode, createdBy: actor.id, createdAt: now }),
    ctx.db.insert(invoiceEvents).values({ id: crypto.randomUUID(), invoiceId: id, organizationId: actor.organizationId, actorId: actor.id, kind: "create", detail: "Opened at the desk for a sale", createdAt: now }),
    auditInsert(ctx, ctx.db, { actor, action: "invoice.create", entityType: "invoice", entityId: id, outcome: "allowed" }),
  ]);
  return { ok: true, invoiceId: id };
}

/**
 * A new, issued invoice of one untaxed fee line (a no-show or late-cancellation fee, a late fee),
 * numbered next in the organization by its insert: the writes for one batch. The insert writes
 * nothing on a conflict (the visit's one invoice; one late fee per invoice), and the lines and the
 * history line follow only if it landed — so the history line's insert is the one whose changes()
 * tells the statement after it whether the invoice was made.
 */
export function feeInvoiceWrites(ctx: Pick<AppContext, "db" | "clock">, f: { id: string; organizationId: string; locationId: string; patientId: string | null; appointmentId?: string; lateFeeFor?: string; description: string; cents: number; actorId: string | null; detail: string }) {
  const now = ctx.clock.now();
  const line = { id: crypto.randomUUID(), kind: "service" as const, description: f.description, serviceId: null, productId: null, encounterId: null, providerId: null, quantity: 100, unitCents: f.cents, taxCategory: "services" as const, taxRate: 0 };
  const totals = priceInvoice([{ ...line, discountKind: null, discountValue: null }], { taxMode: "exclusive", discountKind: null, discountValue: null, tipCents: 0 });
  const writes: BatchItem<"sqlite">[] = [
    ctx.db
      .insert(invoices)
      .values({ id: f.id, organizationId: f.organizationId, locationId: f.locationId, patientId: f.patientId, appointmentId: f.appointmentId ?? null, lateFeeFor: f.lateFeeFor ?? null, number: sql`(select coalesce(max(number), 0) + 1 from invoices where organization_id = ${f.organizationId})`, status: "open", taxMode: "exclusive", subtotalCents: totals.subtotalCents, totalCents: totals.totalCents, createdBy: f.actorId, createdAt: now, issuedAt: now })
      .onConflictDoNothing(),
    ...lineInserts(ctx, f.id, f.organizationId, [line], 0),
    ...lineAmountUpdates(ctx, totals),
    ctx.db.run(sql`insert into invoice_events (id, invoice_id, organization_id, actor_id, kind, detail, created_at)
      select ${crypto.randomUUID()}, ${f.id}, ${f.organizationId}, ${f.actorId}, 'create', ${f.detail}, ${now.getTime()} where exists (select 1 from invoices where id = ${f.id})`),
  ];
  return { totals, writes };
}
