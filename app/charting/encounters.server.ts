import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { accessibleLocations, type AuthedSession } from "../auth/guards.server";
import { can } from "../auth/permissions";
import { audit, auditInsert, auditInsertByChange } from "../audit/audit.server";
import { localDateOf } from "../scheduling/local-time";
import { appointments, chartReviewSettings, encounterReviews, serviceReviewPolicies, encounterAddenda, encounterPoints, encounters, locations, patientHealthItems, patients, productLots, products, services, stockMovements, users } from "../../db/schema";
import { currentTemplateForAppointment, ensureChartTemplates, templateVersionOfEncounter } from "./templates.server";
import { alias } from "drizzle-orm/sqlite-core";
import type { FaceView, ProductMeasure } from "../../db/schema/charting";
import type { Answers } from "./template";
import type { ChartPoint } from "./points";
import { usageByLot, amountWithMeasure } from "./amounts";
import { lotsToOffer } from "./lots";
import { zoneLabel } from "./zones";
import { reviewReason } from "./review-sampling";
import { refusedWith } from "../lib/db-refusal";
import type { BatchItem } from "drizzle-orm/batch";

/** The share of each provider's charts sampled for co-signing when the clinic hasn't set one (issue 11). */
export const DEFAULT_REVIEW_PERCENT = 10;

/** Visits a chart can be opened for: the patient came (or is about to be seen). */
const CHARTABLE = ["confirmed", "checked_in", "in_room", "completed"] as const;

export type OpenOutcome = { ok: true; encounterId: string; visit: { locationId: string; status: string; providerId: string } } | { ok: false; status: 403 | 404 | 409; message: string };

/**
 * Opens the chart of a visit (issue 11): the visit's provider starts it from the current version
 * of the service's template; anyone allowed to read charts gets the existing one. One encounter
 * per visit, enforced by a unique index: two taps (or two tablets) open the same chart.
 */
export async function openEncounter(ctx: AppContext, session: AuthedSession, appointmentId: string): Promise<OpenOutcome> {
  const organizationId = session.user.organizationId;
  const id = appointmentId.slice(0, 64);
  // The visit, its chart if started, and the template it would start from: one wave (ADR 020).
  const [[visit], [existing], found] = await Promise.all([
    ctx.db
      .select({ id: appointments.id, locationId: appointments.locationId, patientId: appointments.patientId, providerId: appointments.providerId, serviceId: appointments.serviceId, status: appointments.status })
      .from(appointments)
      .where(and(eq(appointments.id, id), eq(appointments.organizationId, organizationId))),
    ctx.db.select({ id: encounters.id }).from(encounters).where(and(eq(encounters.appointmentId, id), eq(encounters.organizationId, organizationId))),
    currentTemplateForAppointment(ctx.db, organizationId, id),
  ]);
  if (!visit || !(await accessibleLocations(ctx, session)).some((l) => l.id === visit.locationId)) return { ok: false, status: 404, message: "That visit was not found." };
  const about = { locationId: visit.locationId, status: visit.status, providerId: visit.providerId };
  if (existing) return { ok: true, encounterId: existing.id, visit: about };
  if (!can(session.user.role, "write:chart:own") || visit.providerId !== session.user.id) return { ok: false, status: 403, message: "Only the visit's provider can start its chart." };
  if (!(CHARTABLE as readonly string[]).includes(visit.status)) return { ok: false, status: 409, message: "A cancelled or missed visit has no chart." };
  const now = ctx.clock.now();
  let template = found;
  if (!template) {
    // A clinic charting for the first time: its seed templates are made now.
    await ensureChartTemplates(ctx.db, organizationId, now);
    template = await currentTemplateForAppointment(ctx.db, organizationId, id);
    if (!template) throw new Error("chart templates not seeded");
  }
  const encounterId = crypto.randomUUID();
  const [inserted] = await ctx.db.batch([
    ctx.db
      .insert(encounters)
      .values({ id: encounterId, organizationId, locationId: visit.locationId, appointmentId: visit.id, patientId: visit.patientId, providerId: visit.providerId, serviceId: visit.serviceId, templateVersionId: template.id, createdAt: now, updatedAt: now, updatedBy: session.user.id })
      .onConflictDoNothing(),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "encounter.open", entityType: "appointment", entityId: visit.id }, "already_open"),
  ]);
  if (inserted.rowsAffected > 0) return { ok: true, encounterId, visit: about };
  // Opened on another tablet at the same moment: that one is the chart.
  const [row] = await ctx.db.select({ id: encounters.id }).from(encounters).where(eq(encounters.appointmentId, visit.id));
  return { ok: true, encounterId: row.id, visit: about };
}

/**
 * The encounter with what its page shows, or null (not found, another organization, a location
 * the user can't see). Every read goes out at once, each keyed by the encounter's id (on Turso
 * each query is a round trip: one wave after the session, ADR 020).
 */
export async function loadEncounter(ctx: AppContext, session: AuthedSession, encounterId: string) {
  const read = await readEncounter(ctx, session.user.organizationId, encounterId);
  if (!read || !(await accessibleLocations(ctx, session)).some((l) => l.id === read.encounter.locationId)) return null;
  await audit(ctx, { actor: session.user, action: "encounter.read", entityType: "encounter", entityId: read.encounter.id, outcome: "allowed" });
  return read;
}

/** An encounter with everything shown with it, read in one wave; no access check (the callers make theirs). */
export async function readEncounter(ctx: AppContext, organizationId: string, encounterId: string) {
  const id = encounterId.slice(0, 64);
  const signer = alias(users, "signer");
  const [[row], template, points, addenda, health] = await Promise.all([
    ctx.db
      .select({
        encounter: encounters,
        startsAt: appointments.startsAt,
        appointmentStatus: appointments.status,
        serviceName: services.name,
        providerName: users.name,
        signerName: signer.name,
        locationName: locations.name,
        timeZone: locations.timeZone,
        patient: { id: patients.id, firstName: patients.firstName, lastName: patients.lastName, preferredName: patients.preferredName, dateOfBirth: patients.dateOfBirth, pronouns: patients.pronouns },
      })
      .from(encounters)
      .innerJoin(appointments, eq(appointments.id, encounters.appointmentId))
      .innerJoin(services, eq(services.id, encounters.serviceId))
      .innerJoin(users, eq(users.id, encounters.providerId))
      .leftJoin(signer, eq(signer.id, encounters.signedBy))
      .innerJoin(locations, eq(locations.id, encounters.locationId))
      .innerJoin(patients, eq(patients.id, encounters.patientId))
      .where(and(eq(encounters.id, id), eq(encounters.organizationId, organizationId))),
    templateVersionOfEncounter(ctx.db, id),
    encounterPointRows(ctx, id),
    ctx.db
      .select({ id: encounterAddenda.id, body: encounterAddenda.body, createdAt: encounterAddenda.createdAt, authorName: users.name, method: encounterAddenda.signatureMethod })
      .from(encounterAddenda)
      .innerJoin(users, eq(users.id, encounterAddenda.authorId))
      .where(and(eq(encounterAddenda.encounterId, id), eq(encounterAddenda.organizationId, organizationId)))
      .orderBy(asc(encounterAddenda.createdAt)),
    ctx.db
      .select({ kind: patientHealthItems.kind, name: patientHealthItems.name, detail: patientHealthItems.detail, severity: patientHealthItems.severity, alert: patientHealthItems.alert })
      .from(patientHealthItems)
      .where(and(eq(patientHealthItems.organizationId, organizationId), sql`${patientHealthItems.patientId} = (select patient_id from encounters where id = ${id})`))
      .orderBy(asc(patientHealthItems.kind), asc(patientHealthItems.name)),
  ]);
  if (!row) return null;
  const e = row.encounter;
  if (!template) throw new Error(`template version ${e.templateVersionId} missing`);
  return {
    encounter: { ...e, answers: JSON.parse(e.answers) as Answers, signerName: row.signerName },
    visit: { startsAt: row.startsAt, status: row.appointmentStatus, serviceName: row.serviceName, providerName: row.providerName, locationName: row.locationName, timeZone: row.timeZone },
    patient: row.patient,
    template,
    points,
    addenda,
    health,
  };
}

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

/** Every lot of active clinical products (not retail) held where the encounter's visit is (found through the encounter: one query). */
export async function lotsForEncounter(ctx: Pick<AppContext, "db">, organizationId: string, encounterId: string) {
  return ctx.db
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
    .where(and(eq(productLots.organizationId, organizationId), sql`${productLots.locationId} = (select location_id from encounters where id = ${encounterId})`, eq(products.active, true), ne(products.kind, "retail")));
}

/** Of those, what a chart may use on the location's `today`, soonest expiry first. */
export function chartableLots<T extends Awaited<ReturnType<typeof lotsForEncounter>>[number]>(all: T[], timeZone: string, now: Date) {
  const today = localDateOf(timeZone, now.getTime());
  const locationId = all[0]?.locationId ?? "";
  return { today, all, offered: lotsToOffer(all, { locationId, today }) };
}

/**
 * The patient's last signed treatments on the same kind of template, newest first, each as a line
 * a provider reads at a glance ("glabella 20 u, forehead 10 u, Botox lot C3912") plus its points
 * for "copy from last visit". One query, keyed by this encounter's id.
 */
export async function lastTreatments(ctx: Pick<AppContext, "db">, encounterId: string, limit = 3) {
  const rows = await ctx.db.all<{ encounter_id: string; starts_at: number; time_zone: string; view: FaceView | null; x: number; y: number; zone: string; label: string | null; product_id: string; amount: number; depth: ChartPoint["depth"]; technique: ChartPoint["technique"]; gauge: number | null; product_name: string; measure: ProductMeasure; lot_number: string }>(sql`
    select e.id as encounter_id, a.starts_at, l.time_zone, p.view, p.x, p.y, p.zone, p.label, p.product_id, p.amount, p.depth, p.technique, p.gauge, pr.name as product_name, pr.measure, pl.lot_number
    from encounters e
    join appointments a on a.id = e.appointment_id
    join locations l on l.id = e.location_id
    left join encounter_points p on p.encounter_id = e.id
    left join products pr on pr.id = p.product_id
    left join product_lots pl on pl.id = p.lot_id
    where e.id in (
      select e2.id from encounters e2
      join appointments a2 on a2.id = e2.appointment_id
      join chart_template_versions v2 on v2.id = e2.template_version_id
      join chart_templates t2 on t2.id = v2.template_id
      where e2.patient_id = (select patient_id from encounters where id = ${encounterId})
        and e2.status = 'signed' and e2.id <> ${encounterId}
        and t2.kind = (select t.kind from encounters x join chart_template_versions v on v.id = x.template_version_id join chart_templates t on t.id = v.template_id where x.id = ${encounterId})
      order by a2.starts_at desc limit ${limit})
    order by a.starts_at desc, p.position`);
  const byEncounter = new Map<string, typeof rows>();
  for (const r of rows) byEncounter.set(r.encounter_id, [...(byEncounter.get(r.encounter_id) ?? []), r]);
  return [...byEncounter.values()].map((mine) => {
    const points = mine.filter((p) => p.view !== null).map((p) => ({ view: p.view!, x: p.x, y: p.y, zone: p.zone, label: p.label, productId: p.product_id, amount: p.amount, depth: p.depth, technique: p.technique, gauge: p.gauge, productName: p.product_name, measure: p.measure, lotNumber: p.lot_number }));
    const perZone = new Map<string, { label: string; amount: number; measure: ProductMeasure }>();
    for (const p of points) {
      const key = `${p.zone}:${p.label ?? ""}:${p.productId}`;
      const entry = perZone.get(key) ?? { label: zoneLabel(p.zone, p.label).toLowerCase(), amount: 0, measure: p.measure };
      entry.amount += p.amount;
      perZone.set(key, entry);
    }
    const lots = [...new Set(points.map((p) => `${p.productName} lot ${p.lotNumber}`))];
    const summary = [...[...perZone.values()].map((z) => `${z.label} ${amountWithMeasure(z.amount, z.measure)}`), ...lots].join(", ");
    return { encounterId: mine[0].encounter_id, startsAt: new Date(mine[0].starts_at), timeZone: mine[0].time_zone, summary, points };
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
export async function saveDraft(ctx: AppContext, session: AuthedSession, encounterId: string, input: { revision: number; answers: Answers; points: ChartPoint[] }, known?: { organizationId: string; providerId: string; status: string }, alsoWrite: BatchItem<"sqlite">[] = []): Promise<SaveOutcome> {
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
      // A tablet's outbox mutation is recorded with the change it made (exactly once: ADR 029).
      ...alsoWrite,
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
function encounterRefusal(error: unknown): "signed" | "stale" | "shortfall" | "recalled" | null {
  if (refusedWith(error, "atrium_encounter_signed")) return "signed";
  if (refusedWith(error, "atrium_encounter_stale")) return "stale";
  if (refusedWith(error, "product_lots_remaining_not_negative")) return "shortfall";
  if (refusedWith(error, "atrium_lot_recalled")) return "recalled";
  return null;
}

export type SignOutcome = { ok: true } | { ok: false; status: 409; reason: "stale" | "signed" | "recalled"; message: string } | { ok: false; status: 409; reason: "shortfall"; message: string };

/**
 * Signs a draft (its signer already confirmed, app/charting/signer.server.ts): in one batch the
 * guard (still this revision, still a draft), each lot's stock taken down by what the chart used
 * — the database refuses stock below zero, so of two charts signing a lot's last units one
 * commits and the other changes nothing — the movements, the signature and the audit event.
 */
export async function signEncounter(ctx: AppContext, session: AuthedSession, encounterId: string, revision: number, method: "password" | "totp" | "pin", alsoWrite: BatchItem<"sqlite">[] = []): Promise<SignOutcome> {
  const organizationId = session.user.organizationId;
  const [points, [policy], [settings]] = await Promise.all([
    ctx.db.select({ lotId: encounterPoints.lotId, amount: encounterPoints.amount }).from(encounterPoints).where(eq(encounterPoints.encounterId, encounterId)),
    ctx.db.select({ alwaysReview: serviceReviewPolicies.alwaysReview }).from(encounters).innerJoin(serviceReviewPolicies, eq(serviceReviewPolicies.serviceId, encounters.serviceId)).where(eq(encounters.id, encounterId)),
    ctx.db.select({ percent: chartReviewSettings.samplePercent }).from(chartReviewSettings).where(eq(chartReviewSettings.organizationId, organizationId)),
  ]);
  const usage = usageByLot(points);
  const now = ctx.clock.now();
  // Chosen for the medical director's co-sign queue as it is signed, in the same commit.
  const review = reviewReason(encounterId, { alwaysReview: policy?.alwaysReview ?? false, percent: settings?.percent ?? DEFAULT_REVIEW_PERCENT });
  try {
    await ctx.db.batch([
      ctx.db.run(sql`insert into encounter_guards (encounter_id, expected_revision) values (${encounterId}, ${revision})`),
      ...[...usage].flatMap(([lotId, amount]) => [
        ctx.db.update(productLots).set({ remaining: sql`${productLots.remaining} - ${amount}` }).where(eq(productLots.id, lotId)),
        ctx.db.insert(stockMovements).values({ id: crypto.randomUUID(), organizationId, lotId, kind: "use" as const, quantity: -amount, encounterId, actorId: session.user.id, createdAt: now }),
      ]),
      ctx.db.update(encounters).set({ status: "signed", signedAt: now, signedBy: session.user.id, signatureMethod: method, revision: revision + 1, updatedAt: now, updatedBy: session.user.id }).where(eq(encounters.id, encounterId)),
      ...(review ? [ctx.db.insert(encounterReviews).values({ encounterId, organizationId, providerId: session.user.id, reason: review, createdAt: now })] : []),
      auditInsert(ctx, ctx.db, { actor: session.user, action: "encounter.sign", entityType: "encounter", entityId: encounterId, outcome: "allowed", reason: method }),
      ...alsoWrite,
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

/** Appends a signed addendum to a signed encounter (only its provider adds them); a chart returned by the medical director goes back to their queue with it. */
export async function addAddendum(ctx: AppContext, session: AuthedSession, encounterId: string, body: string, method: "password" | "totp" | "pin") {
  try {
    await ctx.db.batch([
      ctx.db.insert(encounterAddenda).values({ id: crypto.randomUUID(), encounterId, organizationId: session.user.organizationId, authorId: session.user.id, body, signatureMethod: method, createdAt: ctx.clock.now() }),
      ctx.db.update(encounterReviews).set({ status: "pending" }).where(and(eq(encounterReviews.encounterId, encounterId), eq(encounterReviews.status, "returned"))),
      auditInsert(ctx, ctx.db, { actor: session.user, action: "encounter.addendum", entityType: "encounter", entityId: encounterId, outcome: "allowed", reason: method }),
    ]);
    return true;
  } catch (error) {
    if (refusedWith(error, "atrium_encounter_not_signed")) return false;
    throw error;
  }
}

/** The signed encounter of a visit of this patient user's own, or null (drafts are not shared). */
export async function signedEncounterOfPatientVisit(ctx: AppContext, user: { id: string; organizationId: string }, appointmentId: string): Promise<string | null> {
  const [row] = await ctx.db
    .select({ id: encounters.id })
    .from(encounters)
    .innerJoin(patients, eq(patients.id, encounters.patientId))
    .where(and(eq(encounters.appointmentId, appointmentId), eq(encounters.organizationId, user.organizationId), eq(encounters.status, "signed"), eq(patients.userId, user.id)));
  return row?.id ?? null;
}
