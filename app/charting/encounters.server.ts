import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { accessibleLocations, type AuthedSession } from "../auth/guards.server";
import { can } from "../auth/permissions";
import { audit, auditInsert } from "../audit/audit.server";
import { localDateOf } from "../scheduling/local-time";
import { appointments, chartTemplates, chartTemplateVersions, encounterAddenda, encounterPoints, encounters, locations, patientHealthItems, patients, productLots, products, services, stockMovements, users } from "../../db/schema";
import { currentTemplateForService, ensureChartTemplates, templateVersion } from "./templates.server";
import type { Answers } from "./template";
import type { ChartPoint } from "./points";
import { usageByLot, amountWithMeasure } from "./amounts";
import { lotsToOffer } from "./lots";
import { zoneLabel } from "./zones";

/** Visits a chart can be opened for: the patient came (or is about to be seen). */
const CHARTABLE = ["confirmed", "checked_in", "in_room", "completed"] as const;

export type OpenOutcome = { ok: true; encounterId: string } | { ok: false; status: 403 | 404 | 409; message: string };

/**
 * Opens the chart of a visit (issue 11): the visit's provider starts it from the current version
 * of the service's template; anyone allowed to read charts gets the existing one. One encounter
 * per visit, enforced by a unique index: two taps (or two tablets) open the same chart.
 */
export async function openEncounter(ctx: AppContext, session: AuthedSession, appointmentId: string): Promise<OpenOutcome> {
  const organizationId = session.user.organizationId;
  const [[visit], [existing]] = await Promise.all([
    ctx.db
      .select({ id: appointments.id, locationId: appointments.locationId, patientId: appointments.patientId, providerId: appointments.providerId, serviceId: appointments.serviceId, status: appointments.status })
      .from(appointments)
      .where(and(eq(appointments.id, appointmentId.slice(0, 64)), eq(appointments.organizationId, organizationId))),
    ctx.db.select({ id: encounters.id }).from(encounters).where(and(eq(encounters.appointmentId, appointmentId.slice(0, 64)), eq(encounters.organizationId, organizationId))),
  ]);
  if (!visit || !(await accessibleLocations(ctx, session)).some((l) => l.id === visit.locationId)) return { ok: false, status: 404, message: "That visit was not found." };
  if (existing) return { ok: true, encounterId: existing.id };
  if (!can(session.user.role, "write:chart:own") || visit.providerId !== session.user.id) return { ok: false, status: 403, message: "Only the visit's provider can start its chart." };
  if (!(CHARTABLE as readonly string[]).includes(visit.status)) return { ok: false, status: 409, message: "A cancelled or missed visit has no chart." };
  const now = ctx.clock.now();
  await ensureChartTemplates(ctx.db, organizationId, now);
  const template = await currentTemplateForService(ctx.db, organizationId, visit.serviceId);
  const id = crypto.randomUUID();
  await ctx.db.batch([
    ctx.db
      .insert(encounters)
      .values({ id, organizationId, locationId: visit.locationId, appointmentId: visit.id, patientId: visit.patientId, providerId: visit.providerId, serviceId: visit.serviceId, templateVersionId: template.id, createdAt: now, updatedAt: now, updatedBy: session.user.id })
      .onConflictDoNothing(),
    auditInsert(ctx, ctx.db, { actor: session.user, action: "encounter.open", entityType: "appointment", entityId: visit.id, outcome: "allowed" }),
  ]);
  const [row] = await ctx.db.select({ id: encounters.id }).from(encounters).where(eq(encounters.appointmentId, visit.id));
  return { ok: true, encounterId: row.id };
}

/** The encounter with what its page shows, or null (not found, another organization, a location the user can't see). */
export async function loadEncounter(ctx: AppContext, session: AuthedSession, encounterId: string) {
  const organizationId = session.user.organizationId;
  const [row] = await ctx.db
    .select({
      encounter: encounters,
      startsAt: appointments.startsAt,
      appointmentStatus: appointments.status,
      serviceName: services.name,
      providerName: users.name,
      locationName: locations.name,
      timeZone: locations.timeZone,
      patient: { id: patients.id, firstName: patients.firstName, lastName: patients.lastName, preferredName: patients.preferredName, dateOfBirth: patients.dateOfBirth, pronouns: patients.pronouns },
    })
    .from(encounters)
    .innerJoin(appointments, eq(appointments.id, encounters.appointmentId))
    .innerJoin(services, eq(services.id, encounters.serviceId))
    .innerJoin(users, eq(users.id, encounters.providerId))
    .innerJoin(locations, eq(locations.id, encounters.locationId))
    .innerJoin(patients, eq(patients.id, encounters.patientId))
    .where(and(eq(encounters.id, encounterId.slice(0, 64)), eq(encounters.organizationId, organizationId)));
  if (!row || !(await accessibleLocations(ctx, session)).some((l) => l.id === row.encounter.locationId)) return null;
  const e = row.encounter;
  const [template, points, addenda, health, signer] = await Promise.all([
    templateVersion(ctx.db, e.templateVersionId),
    encounterPointRows(ctx, e.id),
    ctx.db
      .select({ id: encounterAddenda.id, body: encounterAddenda.body, createdAt: encounterAddenda.createdAt, authorName: users.name, method: encounterAddenda.signatureMethod })
      .from(encounterAddenda)
      .innerJoin(users, eq(users.id, encounterAddenda.authorId))
      .where(eq(encounterAddenda.encounterId, e.id))
      .orderBy(asc(encounterAddenda.createdAt)),
    ctx.db.select({ kind: patientHealthItems.kind, name: patientHealthItems.name, detail: patientHealthItems.detail, severity: patientHealthItems.severity, alert: patientHealthItems.alert }).from(patientHealthItems).where(eq(patientHealthItems.patientId, e.patientId)).orderBy(asc(patientHealthItems.kind), asc(patientHealthItems.name)),
    e.signedBy ? ctx.db.select({ name: users.name }).from(users).where(eq(users.id, e.signedBy)) : Promise.resolve([]),
  ]);
  if (!template) throw new Error(`template version ${e.templateVersionId} missing`);
  await audit(ctx, { actor: session.user, action: "encounter.read", entityType: "encounter", entityId: e.id, outcome: "allowed" });
  return {
    encounter: { ...e, answers: JSON.parse(e.answers) as Answers, signerName: signer[0]?.name ?? null },
    visit: { startsAt: row.startsAt, status: row.appointmentStatus, serviceName: row.serviceName, providerName: row.providerName, locationName: row.locationName, timeZone: row.timeZone },
    patient: row.patient,
    template,
    points,
    addenda,
    health,
  };
}

export type LoadedEncounter = NonNullable<Awaited<ReturnType<typeof loadEncounter>>>;

/** An encounter's points with their product and lot, in charting order. */
export async function encounterPointRows(ctx: Pick<AppContext, "db">, encounterId: string) {
  return ctx.db
    .select({
      id: encounterPoints.id,
      view: encounterPoints.view,
      x: encounterPoints.x,
      y: encounterPoints.y,
      zone: encounterPoints.zone,
      label: encounterPoints.label,
      productId: encounterPoints.productId,
      lotId: encounterPoints.lotId,
      amount: encounterPoints.amount,
      depth: encounterPoints.depth,
      technique: encounterPoints.technique,
      gauge: encounterPoints.gauge,
      notes: encounterPoints.notes,
      productName: products.name,
      measure: products.measure,
      lotNumber: productLots.lotNumber,
      expiresOn: productLots.expiresOn,
    })
    .from(encounterPoints)
    .innerJoin(products, eq(products.id, encounterPoints.productId))
    .innerJoin(productLots, eq(productLots.id, encounterPoints.lotId))
    .where(eq(encounterPoints.encounterId, encounterId))
    .orderBy(asc(encounterPoints.position));
}

/** The lots a chart at this location may use today (and every product they belong to). */
export async function chartableLots(ctx: Pick<AppContext, "db">, organizationId: string, locationId: string, timeZone: string, now: Date) {
  const rows = await ctx.db
    .select({
      id: productLots.id,
      productId: productLots.productId,
      locationId: productLots.locationId,
      lotNumber: productLots.lotNumber,
      expiresOn: productLots.expiresOn,
      remaining: productLots.remaining,
      recalledAt: productLots.recalledAt,
      productName: products.name,
      kind: products.kind,
      measure: products.measure,
      packageSize: products.packageSize,
      diluentMl: products.diluentMl,
    })
    .from(productLots)
    .innerJoin(products, eq(products.id, productLots.productId))
    .where(and(eq(productLots.organizationId, organizationId), eq(productLots.locationId, locationId), eq(products.active, true)));
  const today = localDateOf(timeZone, now.getTime());
  return { today, all: rows, offered: lotsToOffer(rows, { locationId, today }) };
}

/**
 * The patient's last signed treatments on the same kind of template, newest first, each as a line
 * a provider reads at a glance ("14 Aug: glabella 20 u, forehead 10 u, Botox lot C3912") plus its
 * points for "copy from last visit".
 */
export async function lastTreatments(ctx: Pick<AppContext, "db">, encounter: { id: string; patientId: string; templateVersionId: string }, limit = 3) {
  const [kind] = await ctx.db
    .select({ kind: chartTemplates.kind })
    .from(chartTemplateVersions)
    .innerJoin(chartTemplates, eq(chartTemplates.id, chartTemplateVersions.templateId))
    .where(eq(chartTemplateVersions.id, encounter.templateVersionId));
  if (!kind) return [];
  const earlier = await ctx.db
    .select({ id: encounters.id, startsAt: appointments.startsAt, timeZone: locations.timeZone, answers: encounters.answers })
    .from(encounters)
    .innerJoin(appointments, eq(appointments.id, encounters.appointmentId))
    .innerJoin(locations, eq(locations.id, encounters.locationId))
    .innerJoin(chartTemplateVersions, eq(chartTemplateVersions.id, encounters.templateVersionId))
    .innerJoin(chartTemplates, eq(chartTemplates.id, chartTemplateVersions.templateId))
    .where(and(eq(encounters.patientId, encounter.patientId), eq(encounters.status, "signed"), ne(encounters.id, encounter.id), eq(chartTemplates.kind, kind.kind)))
    .orderBy(desc(appointments.startsAt))
    .limit(limit);
  if (!earlier.length) return [];
  const points = await ctx.db
    .select({ encounterId: encounterPoints.encounterId, view: encounterPoints.view, x: encounterPoints.x, y: encounterPoints.y, zone: encounterPoints.zone, label: encounterPoints.label, productId: encounterPoints.productId, amount: encounterPoints.amount, depth: encounterPoints.depth, technique: encounterPoints.technique, gauge: encounterPoints.gauge, productName: products.name, measure: products.measure, lotNumber: productLots.lotNumber })
    .from(encounterPoints)
    .innerJoin(products, eq(products.id, encounterPoints.productId))
    .innerJoin(productLots, eq(productLots.id, encounterPoints.lotId))
    .where(inArray(encounterPoints.encounterId, earlier.map((e) => e.id)))
    .orderBy(asc(encounterPoints.position));
  return earlier.map((e) => {
    const mine = points.filter((p) => p.encounterId === e.id);
    const perZone = new Map<string, { label: string; amount: number; measure: (typeof mine)[number]["measure"] }>();
    for (const p of mine) {
      const key = `${p.zone}:${p.label ?? ""}:${p.productId}`;
      const entry = perZone.get(key) ?? { label: zoneLabel(p.zone, p.label).toLowerCase(), amount: 0, measure: p.measure };
      entry.amount += p.amount;
      perZone.set(key, entry);
    }
    const lots = [...new Set(mine.map((p) => `${p.productName} lot ${p.lotNumber}`))];
    const summary = [...[...perZone.values()].map((z) => `${z.label} ${amountWithMeasure(z.amount, z.measure)}`), ...lots].join(", ");
    return { encounterId: e.id, startsAt: e.startsAt, timeZone: e.timeZone, summary, points: mine };
  });
}

export type SaveOutcome =
  | { ok: true; revision: number }
  | { ok: false; status: 409; reason: "stale"; current: { revision: number; answers: Answers; points: Awaited<ReturnType<typeof encounterPointRows>>; updatedByName: string | null } }
  | { ok: false; status: 409; reason: "signed" }
  | { ok: false; status: 403 | 404; reason: "forbidden" | "not_found" };

/**
 * Saves a draft wholesale: its answers and every point, over the revision it was edited from.
 * One batch: a guard (the encounter is still a draft at that revision, migration 0024), the
 * encounter, its points replaced, the audit event. Saved from an older copy (another device
 * saved meanwhile) → 409 with the current version, so the provider chooses; nothing is lost.
 */
export async function saveDraft(ctx: AppContext, session: AuthedSession, encounterId: string, input: { revision: number; answers: Answers; points: ChartPoint[] }, known?: { organizationId: string; providerId: string; status: string }): Promise<SaveOutcome> {
  // The caller may have read the encounter already (the chart form's action has); the guard in the batch decides anyway.
  const [row] = known ? [known] : await ctx.db.select({ organizationId: encounters.organizationId, providerId: encounters.providerId, status: encounters.status }).from(encounters).where(eq(encounters.id, encounterId));
  if (!row || row.organizationId !== session.user.organizationId) return { ok: false, status: 404, reason: "not_found" };
  if (row.providerId !== session.user.id) return { ok: false, status: 403, reason: "forbidden" };
  if (row.status === "signed") return { ok: false, status: 409, reason: "signed" };
  const now = ctx.clock.now();
  try {
    await ctx.db.batch([
      ctx.db.run(sql`insert into encounter_guards (encounter_id, expected_revision) values (${encounterId}, ${input.revision})`),
      ctx.db.update(encounters).set({ answers: JSON.stringify(input.answers), revision: input.revision + 1, updatedAt: now, updatedBy: session.user.id }).where(eq(encounters.id, encounterId)),
      ctx.db.delete(encounterPoints).where(eq(encounterPoints.encounterId, encounterId)),
      ...(input.points.length ? [ctx.db.insert(encounterPoints).values(input.points.map((p, position) => ({ ...p, encounterId, organizationId: session.user.organizationId, position })))] : []),
      auditInsert(ctx, ctx.db, { actor: session.user, action: "encounter.save", entityType: "encounter", entityId: encounterId, outcome: "allowed" }),
    ]);
  } catch (error) {
    const reason = encounterRefusal(error);
    if (reason === "signed") return { ok: false, status: 409, reason };
    if (reason === "stale") return { ok: false, status: 409, reason, current: await currentVersion(ctx, encounterId) };
    throw error;
  }
  return { ok: true, revision: input.revision + 1 };
}

async function currentVersion(ctx: AppContext, encounterId: string) {
  const [[row], points] = await Promise.all([
    ctx.db.select({ revision: encounters.revision, answers: encounters.answers, updatedByName: users.name }).from(encounters).leftJoin(users, eq(users.id, encounters.updatedBy)).where(eq(encounters.id, encounterId)),
    encounterPointRows(ctx, encounterId),
  ]);
  return { revision: row.revision, answers: JSON.parse(row.answers) as Answers, points, updatedByName: row.updatedByName };
}

/** Which of the database's charting refusals (migration 0024) an error is, if any. */
export function encounterRefusal(error: unknown): "signed" | "stale" | "shortfall" | "recalled" | null {
  for (let e = error as { message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const m = e.message ?? "";
    if (m.includes("atrium_encounter_signed")) return "signed";
    if (m.includes("atrium_encounter_stale")) return "stale";
    if (m.includes("product_lots_remaining_not_negative")) return "shortfall";
    if (m.includes("atrium_lot_recalled")) return "recalled";
  }
  return null;
}

export type SignOutcome = { ok: true } | { ok: false; status: 409; reason: "stale" | "signed" | "recalled"; message: string } | { ok: false; status: 409; reason: "shortfall"; message: string };

/**
 * Signs a draft (its signer already confirmed, app/charting/signer.server.ts): in one batch the
 * guard (still this revision, still a draft), each lot's stock taken down by what the chart used
 * — the database refuses stock below zero, so of two charts signing a lot's last units one
 * commits and the other changes nothing — the movements, the signature and the audit event.
 */
export async function signEncounter(ctx: AppContext, session: AuthedSession, encounterId: string, revision: number, method: "password" | "totp" | "pin"): Promise<SignOutcome> {
  const points = await ctx.db.select({ lotId: encounterPoints.lotId, amount: encounterPoints.amount }).from(encounterPoints).where(eq(encounterPoints.encounterId, encounterId));
  const usage = usageByLot(points);
  const now = ctx.clock.now();
  const organizationId = session.user.organizationId;
  try {
    await ctx.db.batch([
      ctx.db.run(sql`insert into encounter_guards (encounter_id, expected_revision) values (${encounterId}, ${revision})`),
      ...[...usage].flatMap(([lotId, amount]) => [
        ctx.db.update(productLots).set({ remaining: sql`${productLots.remaining} - ${amount}` }).where(eq(productLots.id, lotId)),
        ctx.db.insert(stockMovements).values({ id: crypto.randomUUID(), organizationId, lotId, kind: "use" as const, quantity: -amount, encounterId, actorId: session.user.id, createdAt: now }),
      ]),
      ctx.db.update(encounters).set({ status: "signed", signedAt: now, signedBy: session.user.id, signatureMethod: method, revision: revision + 1, updatedAt: now, updatedBy: session.user.id }).where(eq(encounters.id, encounterId)),
      auditInsert(ctx, ctx.db, { actor: session.user, action: "encounter.sign", entityType: "encounter", entityId: encounterId, outcome: "allowed", reason: method }),
    ]);
    return { ok: true };
  } catch (error) {
    const reason = encounterRefusal(error);
    if (reason === "shortfall") return { ok: false, status: 409, reason, message: await shortfallMessage(ctx, usage) };
    if (reason === "recalled") return { ok: false, status: 409, reason, message: "A lot on this chart was recalled a moment ago. Choose another lot for its points." };
    if (reason === "signed") return { ok: false, status: 409, reason, message: "This chart is already signed." };
    if (reason === "stale") return { ok: false, status: 409, reason, message: "This chart changed on another device. Review the latest version, then sign." };
    throw error;
  }
}

/** "Lot C3912 (Botox) has 5 u left; this chart uses 20 u." for each lot short of what the chart uses. */
async function shortfallMessage(ctx: AppContext, usage: Map<string, number>) {
  const lots = await ctx.db
    .select({ id: productLots.id, lotNumber: productLots.lotNumber, remaining: productLots.remaining, productName: products.name, measure: products.measure })
    .from(productLots)
    .innerJoin(products, eq(products.id, productLots.productId))
    .where(inArray(productLots.id, [...usage.keys()]));
  const short = lots.filter((l) => l.remaining < (usage.get(l.id) ?? 0));
  const lines = short.map((l) => `Lot ${l.lotNumber} (${l.productName}) has ${amountWithMeasure(l.remaining, l.measure)} left; this chart uses ${amountWithMeasure(usage.get(l.id)!, l.measure)}.`);
  return `${lines.join(" ") || "A lot on this chart no longer has enough stock."} The chart is kept as a draft: choose another lot for those points, then sign.`;
}

/** Appends a signed addendum to a signed encounter (only its provider adds them). */
export async function addAddendum(ctx: AppContext, session: AuthedSession, encounterId: string, body: string, method: "password" | "totp" | "pin") {
  try {
    await ctx.db.batch([
      ctx.db.insert(encounterAddenda).values({ id: crypto.randomUUID(), encounterId, organizationId: session.user.organizationId, authorId: session.user.id, body, signatureMethod: method, createdAt: ctx.clock.now() }),
      auditInsert(ctx, ctx.db, { actor: session.user, action: "encounter.addendum", entityType: "encounter", entityId: encounterId, outcome: "allowed", reason: method }),
    ]);
    return true;
  } catch (error) {
    if (`${(error as Error)?.message} ${((error as { cause?: Error })?.cause)?.message ?? ""}`.includes("atrium_encounter_not_signed")) return false;
    throw error;
  }
}
