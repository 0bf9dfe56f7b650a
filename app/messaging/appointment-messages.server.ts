import type { AppEnv } from "../lib/env.server";
import { and, eq, gt, inArray, lte } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import { appointments, locations, messages, patients, services, users } from "../../db/schema";
import { formatDateTime } from "../scheduling/format";
import { enqueue, messageInsert, type NewMessage } from "./outbox.server";
import type { BatchItem } from "drizzle-orm/batch";
import { unsubscribeUrl } from "./unsubscribe.server";

export type JobContext = Pick<AppContext, "db" | "clock" | "env" | "logger">;

export type AppointmentMessageKind = "confirmation" | "request_received" | "request_confirmed" | "request_declined" | "cancellation" | "rescheduled" | `reminder_${number}h`;

function compose(kind: AppointmentMessageKind, a: { service: string; when: string; location: string; address: string; phone: string; provider: string; firstName: string }) {
  const visit = `${a.service} with ${a.provider} on ${a.when} at ${a.location}, ${a.address}`;
  switch (kind) {
    case "confirmation":
    case "request_confirmed":
      return { subject: `Booked: ${a.service} on ${a.when}`, text: `You're booked: ${visit}.`, sms: `${a.location}: you're booked for ${a.service} on ${a.when}.` };
    case "request_received":
      return { subject: `Request received: ${a.service}`, text: `We received your request for ${visit}. The clinic will confirm it soon.`, sms: `${a.location}: we received your request for ${a.when}; we'll confirm soon.` };
    case "request_declined":
      return { subject: `Request not confirmed: ${a.service}`, text: `We couldn't confirm your request for ${visit}. Please call us at ${a.phone} to find another time.`, sms: `${a.location}: we couldn't confirm ${a.when}. Call ${a.phone} to rebook.` };
    case "rescheduled":
      return { subject: `Moved: ${a.service} is now on ${a.when}`, text: `Your visit has moved. It is now ${visit}.`, sms: `${a.location}: your visit is now on ${a.when}.` };
    case "cancellation":
      return { subject: `Cancelled: ${a.service} on ${a.when}`, text: `Your visit, ${visit}, is cancelled. To rebook call ${a.phone}.`, sms: `${a.location}: your visit on ${a.when} is cancelled. Call ${a.phone} to rebook.` };
    default:
      return { subject: `Reminder: ${a.service} on ${a.when}`, text: `A reminder of your visit: ${visit}. Need to change it? Call ${a.phone}.`, sms: `${a.location}: reminder of your visit on ${a.when}. Call ${a.phone} to change.` };
  }
}

/**
 * Queues the patient's email and/or text for an appointment event, honouring their consent.
 * Keyed by appointment + kind + channel, so nothing is ever sent twice.
 */
export async function queueAppointmentMessages(ctx: JobContext, appointmentId: string, kind: AppointmentMessageKind) {
  const facts = await loadMessageFacts(ctx, appointmentId);
  if (!facts) return 0;
  const outgoing = await composeAppointmentMessages(ctx, kind, facts);
  let queued = 0;
  for (const m of outgoing) if (await enqueue(ctx, m)) queued++;
  return queued;
}

/** The columns a visit's messages are made from, with the joins they need. */
function factsQuery(ctx: Pick<AppContext, "db">) {
  return ctx.db
    .select({
      id: appointments.id,
      organizationId: appointments.organizationId,
      startsAt: appointments.startsAt,
      service: services.name,
      provider: users.name,
      location: locations.name,
      timeZone: locations.timeZone,
      reminderHours: locations.reminderHours,
      address: locations.addressLine1,
      city: locations.city,
      phone: locations.phone,
      patientId: patients.id,
      firstName: patients.firstName,
      email: patients.email,
      mobile: patients.phone,
      emailConsent: patients.emailConsent,
      smsConsent: patients.smsConsent,
    })
    .from(appointments)
    .innerJoin(services, eq(services.id, appointments.serviceId))
    .innerJoin(users, eq(users.id, appointments.providerId))
    .innerJoin(locations, eq(locations.id, appointments.locationId))
    .innerJoin(patients, eq(patients.id, appointments.patientId));
}

function toFacts(a: Awaited<ReturnType<typeof factsQuery>>[number]): AppointmentMessageFacts {
  return {
    appointmentId: a.id,
    organizationId: a.organizationId,
    startsAt: a.startsAt.getTime(),
    timeZone: a.timeZone,
    service: a.service,
    provider: a.provider,
    location: a.location,
    address: `${a.address}, ${a.city}`,
    phone: a.phone,
    patient: { id: a.patientId, firstName: a.firstName, email: a.email, phone: a.mobile, emailConsent: a.emailConsent, smsConsent: a.smsConsent },
  };
}

/** What an appointment's messages say (one query), or null when there is no such appointment. */
export async function loadMessageFacts(ctx: Pick<AppContext, "db">, appointmentId: string): Promise<AppointmentMessageFacts | null> {
  const [a] = await factsQuery(ctx).where(eq(appointments.id, appointmentId));
  return a ? toFacts(a) : null;
}

export interface AppointmentMessageFacts {
  appointmentId: string;
  organizationId: string;
  startsAt: number;
  timeZone: string;
  service: string;
  provider: string;
  location: string;
  address: string;
  phone: string;
  patient: { id: string; firstName: string; email: string | null; phone: string | null; emailConsent: boolean; smsConsent: boolean };
}

/**
 * The patient's email and/or text for an appointment event, honouring their consent, each keyed
 * by appointment + kind (+ time for reminders and moves) + channel, so nothing is sent twice.
 * Booking writes these in the same batch as the appointment (a transactional outbox).
 */
export async function composeAppointmentMessages(ctx: { env: AppEnv }, kind: AppointmentMessageKind, f: AppointmentMessageFacts): Promise<NewMessage[]> {
  const text = compose(kind, { service: f.service, when: formatDateTime(f.startsAt, f.timeZone), location: f.location, address: f.address, phone: f.phone, provider: f.provider, firstName: f.patient.firstName });
  // Reminders and moves are about one time: a visit moved to a new time gets its own.
  const key = kind === "rescheduled" || kind.startsWith("reminder_") ? `${f.appointmentId}:${kind}@${f.startsAt}` : `${f.appointmentId}:${kind}`;
  const out: NewMessage[] = [];
  const base = { organizationId: f.organizationId, appointmentId: f.appointmentId, kind, subject: text.subject };
  if (f.patient.emailConsent && f.patient.email) {
    const unsubscribe = await unsubscribeUrl(ctx, f.patient.id);
    out.push({ ...base, channel: "email", to: f.patient.email, body: `Hello ${f.patient.firstName},\n\n${text.text}\n\nTo stop these emails: ${unsubscribe}`, dedupeKey: `${key}:email`, unsubscribeUrl: unsubscribe });
  }
  if (f.patient.smsConsent && f.patient.phone) out.push({ ...base, channel: "sms", to: f.patient.phone, body: `${text.sms} Reply STOP to opt out.`, dedupeKey: `${key}:sms` });
  return out;
}

/** The reminder due now for a visit: the nearest configured offset the start is already within. */
export function dueReminder(startsAt: number, now: number, reminderHours: number[]): number | null {
  if (startsAt <= now) return null;
  const within = reminderHours.filter((h) => startsAt - now <= h * 3600_000);
  return within.length ? Math.min(...within) : null;
}

export function parseReminderHours(value: string) {
  return value.split(",").map((v) => Number(v.trim())).filter((h) => Number.isInteger(h) && h > 0 && h <= 24 * 14);
}

/** Queues reminders that have come due (confirmed visits only). Safe to run as often as wanted. */
export async function queueDueReminders(ctx: JobContext) {
  const now = ctx.clock.now().getTime();
  // Two requests however many visits: the coming visits with what their messages say, then one
  // batch of inserts (each keyed, so a reminder already queued is not queued again).
  const rows = await factsQuery(ctx).where(and(inArray(appointments.status, ["confirmed"]), gt(appointments.startsAt, new Date(now)), lte(appointments.startsAt, new Date(now + 14 * 86_400_000))));
  const outgoing: NewMessage[] = [];
  for (const r of rows) {
    const h = dueReminder(r.startsAt.getTime(), now, parseReminderHours(r.reminderHours));
    if (h !== null) outgoing.push(...(await composeAppointmentMessages(ctx, `reminder_${h}h`, toFacts(r))));
  }
  if (!outgoing.length) return 0;
  const inserted = (await ctx.db.batch(outgoing.map((m) => messageInsert(ctx.db, m, new Date(now)).returning({ id: messages.id })) as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as unknown as { id: string }[][];
  return inserted.filter((r) => r.length).length;
}
