import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import { memberships, patients, users } from "../../db/schema";
import { audit, commitAudited } from "../audit/audit.server";
import type { AuthedSession } from "../auth/guards.server";
import { invitationEmail } from "../auth/recovery.server";
import type { NewPatientSchema, PatientContactSchema } from "./schemas";
import { SEARCH_COUNT_CAP, planSearch } from "./search-query";

/**
 * The patient repository: every read and write of a patient record goes through here,
 * is scoped to the caller's organization, and writes an audit event (never the content).
 */
export const PATIENT_PAGE_SIZE = 25;

/** The columns a patient is listed by (search results, pickers, the merge comparison). */
export const listColumns = {
  id: patients.id,
  firstName: patients.firstName,
  lastName: patients.lastName,
  dateOfBirth: patients.dateOfBirth,
  phone: patients.phone,
  email: patients.email,
};

/** A page of patients as the list shows them, and how many match (capped, then shown as "1,000+"). */
export interface PatientPage {
  rows: { id: string; firstName: string; lastName: string; dateOfBirth: string; phone: string | null; email: string | null }[];
  total: number;
  /** More than SEARCH_COUNT_CAP match: `total` is the cap plus one. */
  capped: boolean;
  /** The search was too short to answer from an index (one letter, two digits). */
  tooShort: boolean;
}

/** The last page a search can reach: past the cap, narrowing the search beats paging. */
export const PATIENT_LAST_PAGE = Math.ceil(SEARCH_COUNT_CAP / PATIENT_PAGE_SIZE);

const rowJson = sql.raw(`json_object('id', p.id, 'firstName', p.first_name, 'lastName', p.last_name, 'dateOfBirth', p.date_of_birth, 'phone', p.phone, 'email', p.email)`);

/**
 * Finds patients of the caller's organization by name (any word's start), phone (any run of
 * digits), email or date of birth, in one statement that reads indexes only: the matches are
 * taken up to the cap in index order, then the page is sorted from those (ADR 022).
 */
export async function searchPatients(ctx: AppContext, session: AuthedSession, query: string | undefined, page: number): Promise<PatientPage> {
  const organizationId = session.user.organizationId;
  const plan = planSearch(query);
  const offset = (Math.min(Math.max(1, page), PATIENT_LAST_PAGE) - 1) * PATIENT_PAGE_SIZE;
  const cap = SEARCH_COUNT_CAP + 1;
  let statement: SQL | null = null;
  if (plan.kind === "all") {
    // The name index is already in order: the page is read from it directly, and the count walks
    // the same index (no table rows) until it passes the cap.
    statement = sql`select
      (select count(*) from (select 1 from patients where organization_id = ${organizationId} and merged_into_id is null limit ${cap})) as total,
      (select json_group_array(json(r)) from (select ${rowJson} as r from patients p where p.organization_id = ${organizationId} and p.merged_into_id is null order by p.last_name, p.first_name limit ${PATIENT_PAGE_SIZE} offset ${offset})) as rows`;
  } else {
    // The matches (up to the cap, in index order) with their sort keys, then only the page's
    // 25 patients are read.
    const hits =
      plan.kind === "date_of_birth"
        ? sql`select p.id as patient_id, p.last_name || ' ' || p.first_name as sort_key from patients p where p.organization_id = ${organizationId} and p.date_of_birth = ${plan.date} and p.merged_into_id is null limit ${cap}`
        : plan.kind === "text"
          ? sql`select k.patient_id, k.sort_key from patient_search s join patient_search_keys k on k.rowid = s.rowid
              where patient_search match ${plan.match} and k.organization_id = ${organizationId}${sql.join(
                plan.initials.map((letter) => sql` and k.names like ${`% ${letter}%`}`),
                sql``,
              )} limit ${cap}`
          : null;
    if (hits)
      statement = sql`with hits as materialized (${hits})
        select (select count(*) from hits) as total,
          (select json_group_array(json(r)) from (
            select ${rowJson} as r from (select patient_id, sort_key from hits order by sort_key limit ${PATIENT_PAGE_SIZE} offset ${offset}) h
            join patients p on p.id = h.patient_id order by h.sort_key)) as rows`;
  }
  let result: PatientPage = { rows: [], total: 0, capped: false, tooShort: plan.kind === "too_short" };
  if (statement) {
    const [row] = await ctx.db.all<{ total: number; rows: string }>(statement);
    result = { rows: JSON.parse(row.rows) as PatientPage["rows"], total: row.total, capped: row.total > SEARCH_COUNT_CAP, tooShort: false };
  }
  await audit(ctx, { actor: session.user, action: "patient.list", entityType: "patient", outcome: "allowed", reason: query ? "search" : "browse" });
  return result;
}

/** A patient of the caller's organization, or null (another organization's id is simply not found). */
export async function getPatient(ctx: AppContext, session: AuthedSession, patientId: string) {
  const [row] = await ctx.db
    .select({ ...listColumns, smsConsent: patients.smsConsent, emailConsent: patients.emailConsent, userId: patients.userId, createdAt: patients.createdAt, portalStatus: memberships.status })
    .from(patients)
    .leftJoin(memberships, and(eq(memberships.userId, patients.userId), eq(memberships.organizationId, patients.organizationId)))
    // A record merged into another is not offered for booking or the waitlist: the kept one is.
    .where(and(eq(patients.id, patientId), eq(patients.organizationId, session.user.organizationId), isNull(patients.mergedIntoId)))
    .limit(1);
  await audit(ctx, { actor: session.user, action: "patient.read", entityType: "patient", entityId: patientId.slice(0, 64), outcome: row ? "allowed" : "denied", reason: row ? undefined : "not_found" });
  return row ?? null;
}

export async function createPatient(ctx: AppContext, session: AuthedSession, input: z.infer<typeof NewPatientSchema>) {
  const id = crypto.randomUUID();
  await commitAudited(ctx, [ctx.db.insert(patients).values({ id, organizationId: session.user.organizationId, ...input, email: input.email ?? null, phone: input.phone ?? null, createdAt: ctx.clock.now() })], { actor: session.user, action: "patient.create", entityType: "patient", entityId: id, outcome: "allowed" });
  return id;
}

export type InviteResult = { ok: true } | { ok: false; message: string };

/** Creates (or re-sends) a portal invitation for a patient with an email address. */
export async function invitePatientToPortal(ctx: AppContext, _request: Request, session: AuthedSession, patientId: string): Promise<InviteResult> {
  const organizationId = session.user.organizationId;
  // The patient, their portal status and whether their email already has an Atrium sign-in (and
  // whether that sign-in is another patient's here), in one query.
  const [patient] = await ctx.db
    .select({
      id: patients.id,
      firstName: patients.firstName,
      lastName: patients.lastName,
      email: patients.email,
      userId: patients.userId,
      portalStatus: memberships.status,
      existingUserId: sql<string | null>`(select ${users.id} from ${users} where ${users.email} = ${patients.email})`,
      emailTakenHere: sql<number>`exists (select 1 from ${patients} p2 join ${users} u on u.id = p2.user_id where u.email = ${patients.email} and p2.organization_id = ${patients.organizationId} and p2.id <> ${patients.id})`,
    })
    .from(patients)
    .leftJoin(memberships, and(eq(memberships.userId, patients.userId), eq(memberships.organizationId, patients.organizationId)))
    .where(and(eq(patients.id, patientId.slice(0, 64)), eq(patients.organizationId, organizationId)))
    .limit(1);
  if (!patient) return { ok: false, message: "That patient was not found." };
  if (!patient.email) return { ok: false, message: "Add an email address to this patient before inviting them to the portal." };
  if (patient.portalStatus === "active") return { ok: false, message: "This patient already uses the portal." };
  const writes = [];
  let userId = patient.userId;
  if (!userId) {
    // The same person may already use Atrium (as a patient of another clinic): reuse that identity.
    if (patient.existingUserId && patient.emailTakenHere) return { ok: false, message: "That email address already belongs to another patient's portal account here." };
    userId = patient.existingUserId ?? crypto.randomUUID();
    const now = ctx.clock.now();
    if (!patient.existingUserId) writes.push(ctx.db.insert(users).values({ id: userId, email: patient.email, name: `${patient.firstName} ${patient.lastName}`, createdAt: now }));
    writes.push(ctx.db.insert(memberships).values({ id: crypto.randomUUID(), userId, organizationId, role: "patient", status: "invited", createdAt: now }).onConflictDoNothing());
    writes.push(ctx.db.update(patients).set({ userId }).where(eq(patients.id, patient.id)));
  }
  // The account, the membership, the invitation email and the audit event: one batch.
  const email = invitationEmail(ctx, { id: userId, email: patient.email, name: patient.firstName }, session.organization, session.user.name);
  await commitAudited(ctx, [...writes, email.write], { actor: session.user, action: "patient.portal_invite", entityType: "patient", entityId: patient.id, outcome: "allowed" });
  email.sendAfterResponse();
  return { ok: true };
}

/** The signed-in patient's own record's id, as a subquery (to read their things with the record, not after it). */
export function ownPatientId(session: AuthedSession) {
  return sql`(select ${patients.id} from ${patients} where ${patients.userId} = ${session.user.id} and ${patients.organizationId} = ${session.user.organizationId} limit 1)`;
}

/** The signed-in patient's own record. */
export async function getOwnPatient(ctx: AppContext, session: AuthedSession) {
  const [row] = await ctx.db
    .select({ ...listColumns, smsConsent: patients.smsConsent, emailConsent: patients.emailConsent })
    .from(patients)
    .where(and(eq(patients.userId, session.user.id), eq(patients.organizationId, session.user.organizationId)))
    .limit(1);
  await audit(ctx, { actor: session.user, action: "patient.read", entityType: "patient", entityId: row?.id, outcome: row ? "allowed" : "denied", reason: row ? "self" : "not_found" });
  return row ?? null;
}

export async function updateOwnContact(ctx: AppContext, session: AuthedSession, patientId: string, input: z.infer<typeof PatientContactSchema>) {
  await commitAudited(
    ctx,
    [ctx.db.update(patients).set({ email: input.email ?? null, phone: input.phone ?? null, smsConsent: input.smsConsent, emailConsent: input.emailConsent }).where(and(eq(patients.id, patientId), eq(patients.userId, session.user.id)))],
    { actor: session.user, action: "patient.update", entityType: "patient", entityId: patientId, outcome: "allowed", reason: "self" },
  );
}
