import { and, desc, eq, inArray, isNull, or } from "drizzle-orm";
import type { z } from "zod";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { audit, auditInsert } from "../audit/audit.server";
import { appointments, messages, patients } from "../../db/schema";
import { messageInsert } from "../messaging/outbox.server";
import { unsubscribeUrl } from "../messaging/unsubscribe.server";
import type { PatientMessageSchema } from "./record-schemas";

/** The kind of a message staff write from the patient record. */
export const STAFF_MESSAGE = "staff_message";

/** What each kind of automatic message is, in words (its body may carry links that are not for staff to read). */
const KIND_LABELS: Record<string, string> = {
  confirmation: "Booking confirmation",
  request_received: "Request received",
  request_confirmed: "Request confirmed",
  request_declined: "Request declined",
  cancellation: "Cancellation",
  rescheduled: "Visit moved",
  invite: "Portal invitation",
  waitlist_offer: "Waitlist offer",
};
export function messageKindLabel(kind: string) {
  if (kind === STAFF_MESSAGE) return "Message from staff";
  if (kind.startsWith("reminder_")) return `Reminder (${kind.slice("reminder_".length)} before)`;
  return KIND_LABELS[kind] ?? kind.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/**
 * Messages sent to a patient, newest first: what staff wrote to them (with its text) and the
 * automatic ones about their visits (kind and subject only: their bodies can carry one-time or
 * unsubscribe links, which are the patient's alone).
 */
export async function listPatientMessages(ctx: AppContext, session: AuthedSession, patientId: string) {
  const organizationId = session.user.organizationId;
  const rows = await ctx.db
    .select({ id: messages.id, kind: messages.kind, channel: messages.channel, toAddress: messages.toAddress, subject: messages.subject, body: messages.body, status: messages.status, createdAt: messages.createdAt, sentAt: messages.sentAt })
    .from(messages)
    .where(
      and(
        eq(messages.organizationId, organizationId),
        or(eq(messages.patientId, patientId), inArray(messages.appointmentId, ctx.db.select({ id: appointments.id }).from(appointments).where(and(eq(appointments.patientId, patientId), eq(appointments.organizationId, organizationId))))),
      ),
    )
    .orderBy(desc(messages.createdAt))
    .limit(100);
  await audit(ctx, { actor: session.user, action: "patient.messages_read", entityType: "patient", entityId: patientId, outcome: "allowed" });
  return rows.map(({ body, ...m }) => ({ ...m, label: messageKindLabel(m.kind), text: m.kind === STAFF_MESSAGE ? body : null }));
}

export type SendResult = { ok: true } | { ok: false; status: number; field?: "channel" | "body"; message: string };

/**
 * Queues a message staff wrote to the patient through the transactional outbox (the job delivers
 * it with retries), only on a channel the patient agreed to and has an address for. The message
 * and its audit commit together.
 */
export async function sendPatientMessage(ctx: AppContext, session: AuthedSession, patientId: string, v: z.infer<typeof PatientMessageSchema>): Promise<SendResult> {
  const organizationId = session.user.organizationId;
  const [p] = await ctx.db
    .select({ id: patients.id, firstName: patients.firstName, email: patients.email, phone: patients.phone, smsConsent: patients.smsConsent, emailConsent: patients.emailConsent })
    .from(patients)
    .where(and(eq(patients.id, patientId), eq(patients.organizationId, organizationId), isNull(patients.mergedIntoId)))
    .limit(1);
  if (!p) return { ok: false, status: 404, message: "That patient was not found." };
  const to = v.channel === "sms" ? p.phone : p.email;
  const agreed = v.channel === "sms" ? p.smsConsent : p.emailConsent;
  const channelName = v.channel === "sms" ? "text messages" : "email";
  if (!to) return { ok: false, status: 422, field: "channel", message: v.channel === "sms" ? "This patient has no phone number. Add one on the Details tab." : "This patient has no email address. Add one on the Details tab." };
  if (!agreed) return { ok: false, status: 422, field: "channel", message: `This patient hasn't agreed to ${channelName}. Ask them, then tick it on the Details tab.` };
  const subject = v.subject || `A message from ${session.organization.name}`;
  let body = v.body;
  let unsubscribe: string | null = null;
  if (v.channel === "email") {
    unsubscribe = await unsubscribeUrl(ctx, p.id);
    body = `Hello ${p.firstName},\n\n${v.body}\n\n${session.organization.name}\n\nTo stop these emails: ${unsubscribe}`;
  }
  const now = ctx.clock.now();
  await ctx.db.batch([
    messageInsert(ctx.db, { organizationId, patientId: p.id, kind: STAFF_MESSAGE, channel: v.channel, to, subject, body, unsubscribeUrl: unsubscribe }, now),
    auditInsert(ctx, ctx.db, { actor: session.user, action: "patient.message_send", entityType: "patient", entityId: p.id, outcome: "allowed", reason: v.channel }),
  ]);
  return { ok: true };
}
