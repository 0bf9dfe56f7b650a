import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { encounters, locations, products } from "../../db/schema";
import { answerValues, pointRowsFrom } from "./chart-form-data";
import { chartableLots, encounterPointRows, lastTreatments, lotsForEncounter, saveDraft, signEncounter, type SaveOutcome } from "./encounters.server";
import { readPoints, type ChartPoint, type PointInput } from "./points";
import { missingRequired, readAnswers, templateFields, type Answers, type TemplateSection } from "./template";
import { templateVersionOfEncounter } from "./templates.server";
import { confirmSigner } from "./signer.server";
import { publishBoard } from "../board/board.server";
import { answerName } from "./chart-form-data";
import { amountText } from "./amounts";
import { requirementsFor } from "../consents/consents.server";

/** What a refused chart form gets back: every message by its field, and what was typed. */
export interface ChartFormReply {
  status: number;
  message: string;
  errors: Record<string, string>;
  rows?: PointInput[];
  answersRaw?: Record<string, string[]>;
  conflict?: Extract<SaveOutcome, { reason: "stale" }>["current"] & { mineAnswers: Answers; mineRows: PointInput[] };
}

export type Saved = "draft" | "copied" | "signed" | "resolved" | "addendum";
export type ChartFormResult = { ok: true; saved: Saved; revision?: number; locationId?: string } | ({ ok: false } & ChartFormReply);
/**
 * What a change from a tablet's outbox adds to the batches it writes (ADR 029): a check that its
 * number is still the next in any earlier batch, and its record, with the answer it will get, in
 * the last one. The database refuses a change out of order before anything of it is written.
 */
export interface OutboxWrites {
  guard(): BatchItem<"sqlite">[];
  record(result: { ok: true; saved: Saved; revision: number }): BatchItem<"sqlite">[];
}
const NO_OUTBOX: OutboxWrites = { guard: () => [], record: () => [] };

const refuse = (status: number, message: string, extra: Partial<ChartFormReply> = {}): Extract<ChartFormResult, { ok: false }> => ({ ok: false, status, message, errors: {}, ...extra });

/** The encounter as the action needs it, or null when this user can't write it. */
async function draftOf(ctx: AppContext, session: AuthedSession, encounterId: string) {
  const [row] = await ctx.db
    .select({ id: encounters.id, providerId: encounters.providerId, status: encounters.status, revision: encounters.revision, locationId: encounters.locationId, patientId: encounters.patientId, templateVersionId: encounters.templateVersionId, timeZone: locations.timeZone })
    .from(encounters)
    .innerJoin(locations, eq(locations.id, encounters.locationId))
    .where(and(eq(encounters.id, encounterId), eq(encounters.organizationId, session.user.organizationId)));
  return row ?? null;
}

type Facts = { draft: NonNullable<Awaited<ReturnType<typeof draftOf>>>; lots: Awaited<ReturnType<typeof lotsForEncounter>>; measures: Map<string, "u" | "ml" | "each"> };

/** Reads and checks a chart form against its template and this location's lots. */
function readChartForm(ctx: AppContext, { draft, lots, measures }: Facts, form: FormData | URLSearchParams, sections: TemplateSection[]) {
  const rows = pointRowsFrom(form);
  const raw = Object.fromEntries(templateFields(sections).map((f) => [f.id, answerValues(form, f.id)]));
  const { answers, errors: answerErrors } = readAnswers(sections, (id) => raw[id] ?? []);
  const { today, all } = chartableLots(lots, draft.timeZone, ctx.clock.now());
  const { points, errors: pointErrors } = readPoints(rows, { lots: new Map(all.map((l) => [l.id, l])), measureOf: (id) => measures.get(id), locationId: draft.locationId, today });
  const errors: Record<string, string> = { ...pointErrors };
  for (const [id, message] of Object.entries(answerErrors)) errors[answerName(id)] = message;
  return { rows, raw, answers, points, errors };
}

/**
 * Every change a provider makes to their chart: save the draft, copy the last visit's points,
 * sign (saving first), resolve a conflict. A refused change answers with field messages and
 * what was typed; nothing is half-written (each write is one guarded batch).
 */
export async function chartAction(ctx: AppContext, session: AuthedSession, encounterId: string, form: FormData | URLSearchParams, outbox: OutboxWrites = NO_OUTBOX): Promise<ChartFormResult> {
  const id = encounterId.slice(0, 64);
  // Everything the checks need, at once, keyed by the encounter (one round trip, ADR 020).
  const [draft, template, lots, productRows] = await Promise.all([
    draftOf(ctx, session, id),
    templateVersionOfEncounter(ctx.db, id),
    lotsForEncounter(ctx, session.user.organizationId, id),
    ctx.db.select({ id: products.id, measure: products.measure }).from(products).where(eq(products.organizationId, session.user.organizationId)),
  ]);
  if (!draft || !template) return refuse(404, "That chart was not found.");
  const facts: Facts = { draft, lots, measures: new Map(productRows.map((p) => [p.id, p.measure])) };
  if (draft.providerId !== session.user.id) return refuse(403, "Only the visit's provider can change this chart.");
  if (draft.status === "signed") return refuse(409, "This chart is signed and can't be changed. Add an addendum instead.");
  const intent = String(form.get("intent") ?? "save");
  if (!["save", "copy-last", "sign", "resolve"].includes(intent)) return refuse(400, "Unknown action.");
  const revision = Number(form.get("revision"));
  if (!Number.isInteger(revision) || revision < 1) return refuse(400, "This form is out of date. Reload the chart.");
  if (intent === "resolve") return resolveConflict(ctx, session, facts, form, template.sections, revision, outbox);

  const read = readChartForm(ctx, facts, form, template.sections);
  const again = { rows: read.rows, answersRaw: read.raw };
  if (Object.keys(read.errors).length) return refuse(400, "Some of the chart needs fixing; each problem is shown by its field.", { errors: read.errors, ...again });

  if (intent === "sign") {
    const missing = missingRequired(template.sections, read.answers);
    if (missing.length) return refuse(400, `Answer ${missing.length === 1 ? "this field" : `these ${missing.length} fields`} before signing.`, { errors: Object.fromEntries(missing.map((f) => [answerName(f.id), "Required before the chart is signed."])), ...again });
    // Consents and the good-faith exam the service needs, current at signing.
    const { missing: unmet } = await requirementsFor(ctx.db, session.user.organizationId, draft.id, ctx.clock.now());
    if (unmet.length) return refuse(409, `Before this chart can be signed, the patient's record needs: ${unmet.join("; ")}.`, again);
    const signer = await confirmSigner(ctx, session, { password: String(form.get("password") ?? ""), code: String(form.get("code") ?? ""), pin: String(form.get("pin") ?? "") }, "encounter.sign_confirm");
    if (!signer.ok) return refuse(signer.status, signer.message, { errors: { [signer.field]: signer.message }, ...again });
    const saved = await save(ctx, session, draft.id, revision, read.answers, read.points, again, outbox.guard());
    if (!saved.ok) return saved;
    const done = { ok: true as const, saved: "signed" as const, revision: saved.revision + 1 };
    const signed = await signEncounter(ctx, session, draft.id, saved.revision, signer.method, outbox.record(done));
    if (!signed.ok) return refuse(signed.status, signed.message);
    // The desk's board shows "chart signed" on the visit live (issue 11), after the answer.
    ctx.afterResponse(() => publishBoard(ctx, session.user, { id: draft.locationId, timeZone: draft.timeZone }));
    return { ...done, locationId: draft.locationId };
  }

  let points = read.points;
  if (intent === "copy-last") {
    const [last] = await lastTreatments(ctx, draft.id);
    if (!last) return refuse(404, "This patient has no earlier signed chart of this kind to copy.", again);
    const { offered } = chartableLots(lots, draft.timeZone, ctx.clock.now());
    // The same product from the lot this location would use next; a product no longer in stock here is left for the provider.
    const copied = last.points.flatMap((p): ChartPoint[] => {
      const lot = offered.find((l) => l.productId === p.productId);
      return lot ? [{ id: crypto.randomUUID(), view: p.view, x: p.x, y: p.y, zone: p.zone, label: p.label, productId: p.productId, lotId: lot.id, amount: p.amount, depth: p.depth, technique: p.technique, gauge: p.gauge, notes: null }] : [];
    });
    if (!copied.length) return refuse(409, "None of the products from the last visit are in stock here. Chart the points with the lots you have.", again);
    points = [...points, ...copied];
  }
  const kind: Saved = intent === "copy-last" ? "copied" : "draft";
  const saved = await save(ctx, session, draft.id, revision, read.answers, points, again, outbox.record({ ok: true, saved: kind, revision: revision + 1 }));
  if (!saved.ok) return saved;
  return { ok: true, saved: kind, revision: saved.revision };
}

async function save(ctx: AppContext, session: AuthedSession, encounterId: string, revision: number, answers: Answers, points: ChartPoint[], again: { rows: PointInput[]; answersRaw: Record<string, string[]> }, alsoWrite: BatchItem<"sqlite">[] = []): Promise<{ ok: true; revision: number } | Extract<ChartFormResult, { ok: false }>> {
  const outcome = await saveDraft(ctx, session, encounterId, { revision, answers, points }, { organizationId: session.user.organizationId, providerId: session.user.id, status: "draft" }, alsoWrite);
  if (outcome.ok) return { ok: true, revision: outcome.revision };
  if (outcome.reason === "stale") return refuse(409, `${outcome.current.updatedByName ?? "Someone"} saved this chart on another device while you were editing. Choose what to keep.`, { conflict: { ...outcome.current, mineAnswers: answers, mineRows: again.rows }, ...again });
  if (outcome.reason === "signed") return refuse(409, "This chart was signed meanwhile and can't be changed. Add an addendum instead.");
  return refuse(outcome.status, "You can't change this chart.");
}

/**
 * The conflict screen's answer: for each field, keep mine or theirs; for the points, mine or
 * theirs as a whole. "Mine" comes back as the form fields the provider had (mine.answer.*,
 * mine.points[…]); "theirs" is read from the database at the revision the screen showed.
 */
async function resolveConflict(ctx: AppContext, session: AuthedSession, facts: Facts, form: FormData | URLSearchParams, sections: TemplateSection[], revision: number, outbox: OutboxWrites): Promise<ChartFormResult> {
  const { draft } = facts;
  const mineForm = new URLSearchParams();
  for (const [name, value] of form.entries()) if (typeof value === "string" && name.startsWith("mine.")) mineForm.append(name.slice(5), value);
  const mine = readChartForm(ctx, facts, mineForm, sections);
  if (Object.keys(mine.errors).length) return refuse(400, "Your version has problems that must be fixed first; reload the chart.", { errors: mine.errors });
  const [[current], theirPoints] = await Promise.all([ctx.db.select({ answers: encounters.answers, revision: encounters.revision }).from(encounters).where(eq(encounters.id, draft.id)), encounterPointRows(ctx, draft.id)]);
  if (current.revision !== revision) return refuse(409, "The chart changed again on another device. Reload it and choose again.");
  const theirs = JSON.parse(current.answers) as Answers;
  const answers: Answers = {};
  for (const field of templateFields(sections)) {
    const pick = form.get(`pick.${field.id}`) === "theirs" ? theirs : mine.answers;
    if (pick[field.id] !== undefined) answers[field.id] = pick[field.id];
  }
  const points: ChartPoint[] =
    form.get("pick.points") === "theirs"
      ? theirPoints.map((p) => ({ id: p.id, view: p.view, x: p.x, y: p.y, zone: p.zone, label: p.label, productId: p.productId, lotId: p.lotId, amount: p.amount, depth: p.depth, technique: p.technique, gauge: p.gauge, notes: p.notes }))
      : mine.points;
  const saved = await save(ctx, session, draft.id, revision, answers, points, { rows: mine.rows, answersRaw: mine.raw }, outbox.record({ ok: true, saved: "resolved", revision: revision + 1 }));
  return saved.ok ? { ok: true, saved: "resolved", revision: saved.revision } : saved;
}

/** A point as the form's inputs hold it (stored hundredths back to what a provider types). */
export function pointAsInput(p: { id: string; view: string; x: number; y: number; zone: string; label: string | null; lotId: string; amount: number; depth: string | null; technique: string | null; gauge: number | null; notes: string | null }): PointInput {
  return { id: p.id, view: p.view, x: String(p.x), y: String(p.y), zone: p.zone, label: p.label ?? "", lotId: p.lotId, amount: amountText(p.amount), depth: p.depth ?? "", technique: p.technique ?? "", gauge: p.gauge === null ? "" : String(p.gauge), notes: p.notes ?? "" };
}

/** Stored answers as the form's inputs hold them. */
export function answersAsRaw(sections: TemplateSection[], answers: Answers): Record<string, string[]> {
  const raw: Record<string, string[]> = {};
  for (const field of templateFields(sections)) {
    const a = answers[field.id];
    if (a === undefined) continue;
    raw[field.id] = Array.isArray(a) ? a : typeof a === "boolean" ? [a ? "yes" : "no"] : [String(a)];
  }
  return raw;
}
