import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { MUTED } from "../lib/pdf-writer";
import { formatCalendarDate, formatMoney } from "../scheduling/format";
import { localDateOf } from "../scheduling/local-time";
import { invoices, locations, organizations, patients } from "../../db/schema";
import { AGE_BUCKETS, BUCKET_LABELS, ageBucket, ageing } from "./ageing";
import { stepsPdf, type Step } from "./receipt.server";
import { commitAudited } from "../audit/audit.server";
import { messageInsert } from "../messaging/outbox.server";

/** Invoices a patient may still owe on (issued or part paid; a draft at the desk isn't a bill yet). */
const OWING = ["open", "partially_paid"] as const;

export interface Statement {
  clinic: string;
  contact: string;
  patient: { name: string; email: string | null; address: string[] };
  date: string;
  lines: { number: number; date: string; location: string; total: string; paid: string; owed: string; age: string }[];
  ageing: [string, string][];
  totalCents: number;
  total: string;
  /** A stable mark of what it says (the owed invoices and their balances): one email per state. */
  state: string;
}

/**
 * A patient's statement (issue 12): every invoice they still owe on across the clinic, oldest
 * first, each balance in its age bucket, and the total due, dated in the clinic's zone. The desk
 * emails it (the PDF is made when the message is sent) or prints it; the patient downloads it from
 * the portal. Built for the patient, not the reader: it is organization-wide.
 */
export async function statementOf(ctx: Pick<AppContext, "db" | "clock">, organizationId: string, patientId: string): Promise<Statement | null> {
  const [[head], rows] = await ctx.db.batch([
    ctx.db
      .select({ clinic: organizations.name, phone: organizations.phone, email: organizations.email, first: patients.firstName, last: patients.lastName, patientEmail: patients.email, line1: patients.addressLine1, line2: patients.addressLine2, city: patients.city, region: patients.region, postal: patients.postalCode, timeZone: sql<string>`(select time_zone from locations where organization_id = ${organizationId} order by name limit 1)` })
      .from(patients)
      .innerJoin(organizations, eq(organizations.id, patients.organizationId))
      .where(and(eq(patients.id, patientId), eq(patients.organizationId, organizationId))),
    ctx.db
      .select({ number: invoices.number, totalCents: invoices.totalCents, paidCents: invoices.paidCents, issuedAt: invoices.issuedAt, createdAt: invoices.createdAt, location: locations.name })
      .from(invoices)
      .innerJoin(locations, eq(locations.id, invoices.locationId))
      .where(and(eq(invoices.organizationId, organizationId), eq(invoices.patientId, patientId), inArray(invoices.status, [...OWING]), sql`${invoices.totalCents} > ${invoices.paidCents}`))
      .orderBy(asc(invoices.createdAt))
      .limit(500),
  ]);
  if (!head) return null;
  const now = ctx.clock.now();
  const zone = head.timeZone ?? "UTC";
  const since = (r: (typeof rows)[number]) => r.issuedAt ?? r.createdAt;
  const aged = ageing(rows.map((r) => ({ owedCents: r.totalCents - r.paidCents, since: since(r) })), now);
  return {
    clinic: head.clinic,
    contact: [head.phone, head.email].filter(Boolean).join(" · "),
    patient: { name: `${head.first} ${head.last}`, email: head.patientEmail, address: [[head.line1, head.line2].filter(Boolean).join(", "), [head.city, head.region, head.postal].filter(Boolean).join(" ")].filter(Boolean) },
    date: formatCalendarDate(localDateOf(zone, now.getTime())),
    lines: rows.map((r) => ({ number: r.number, date: formatCalendarDate(localDateOf(zone, since(r).getTime())), location: r.location, total: formatMoney(r.totalCents), paid: formatMoney(r.paidCents), owed: formatMoney(r.totalCents - r.paidCents), age: BUCKET_LABELS[ageBucket(since(r), now)] })),
    ageing: AGE_BUCKETS.map((b) => [BUCKET_LABELS[b], formatMoney(aged.buckets[b])]),
    totalCents: aged.totalCents,
    total: formatMoney(aged.totalCents),
    state: rows.map((r) => `${r.number}:${r.totalCents - r.paidCents}`).join(","),
  };
}

/** The statement as the email's plain text. */
export function statementText(s: Statement, payUrl: string | null) {
  const pad = (label: string, value: string) => `${label}${" ".repeat(Math.max(2, 48 - label.length - value.length))}${value}`;
  return [
    `${s.clinic} — statement for ${s.patient.name}, ${s.date}`,
    "",
    ...s.lines.map((l) => pad(`Invoice #${l.number} · ${l.date}`, l.owed)),
    "",
    ...s.ageing.filter(([, v]) => v !== "$0.00").map(([k, v]) => pad(k, v)),
    pad("Total due", s.total),
    "",
    payUrl ? `Pay online: ${payUrl}` : "Pay at your next visit, or call us.",
    s.contact,
    "The statement is attached as a PDF.",
  ].join("\n");
}

export async function statementPdf(s: Statement): Promise<Uint8Array> {
  return stepsPdf(`Statement ${s.date}`, "letter", ({ bold, size }) => [
    { text: s.clinic, font: bold, size: size + 4 },
    { text: s.contact, color: MUTED },
    { gap: size },
    { text: `Statement · ${s.date}`, font: bold, size: size + 2 },
    { text: s.patient.name },
    ...s.patient.address.map((a): Step => ({ text: a, color: MUTED })),
    { rule: true },
    ...(s.lines.length ? s.lines.map((l): Step => ({ text: `Invoice #${l.number} · ${l.date} · ${l.location} · total ${l.total}, paid ${l.paid} · ${l.age}`, right: l.owed })) : [{ text: "Nothing is owed. Thank you." }]),
    { rule: true },
    ...s.ageing.map(([k, v]): Step => ({ text: k, right: v })),
    { text: "Total due", right: s.total, font: bold, size: size + 1 },
    { gap: size },
    { text: "Pay in your patient portal, at your next visit, or by calling the clinic.", color: MUTED },
  ]);
}

/**
 * Emails the statement through the outbox; the PDF is made when it is sent (the attachment
 * reference), so it shows what is owed then. The same statement (same balances) goes once a day.
 */
export async function emailStatement(ctx: AppContext, actor: { id: string; role: string; organizationId: string }, patientId: string): Promise<{ ok: true } | { ok: false; status: 404 | 409; message: string }> {
  const statement = await statementOf(ctx, actor.organizationId, patientId);
  if (!statement) return { ok: false, status: 404, message: "No patient with that id in your organization." };
  if (!statement.patient.email) return { ok: false, status: 409, message: "There's no email address on this patient's record. Add one there, or print the statement." };
  if (!statement.totalCents) return { ok: false, status: 409, message: "Nothing is owed: there's no statement to send." };
  await commitAudited(
    ctx,
    [messageInsert(ctx.db, { organizationId: actor.organizationId, patientId, kind: "statement", channel: "email", to: statement.patient.email, subject: `Your statement from ${statement.clinic}: ${statement.total} due`, body: statementText(statement, `${ctx.origin}/portal/invoices`), dedupeKey: `statement:${patientId}:${statement.date}:${statement.state}`, attachment: `statement:${patientId}` }, ctx.clock.now())],
    { actor, action: "patient.statement_email", entityType: "patient", entityId: patientId, outcome: "allowed" },
  );
  return { ok: true };
}
