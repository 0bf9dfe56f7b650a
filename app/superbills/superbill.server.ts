import { eq, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { formatCalendarDate, formatDateTime, formatMoney } from "../scheduling/format";
import { amountText } from "../charting/amounts";
import { appointments, invoices, locations, organizations, patients, payments, services, users } from "../../db/schema";
import { invoiceWithLines } from "../checkout/invoices.server";
import { balanceOf, priceInvoice } from "../checkout/invoice-lines";
import { paymentLabel } from "../checkout/labels";
import { stepsPdf, type Step } from "../checkout/receipt.server";
import { formatEin } from "./npi";

/**
 * A superbill (ADR 036): what a patient sends their insurer to claim for a visit they paid for —
 * the clinic (with its tax id), the rendering provider (credentials, NPI), the patient, the date
 * of service, each line with its procedure code, the diagnosis, what was charged and paid.
 */
export interface Superbill {
  number: number;
  clinic: { name: string; address: string[]; taxId: string | null };
  provider: { name: string; credentials: string | null; npi: string | null } | null;
  patient: { name: string; dateOfBirth: string; address: string | null };
  serviceDate: string;
  diagnosis: string | null;
  lines: { code: string | null; description: string; units: string; amount: string }[];
  total: string;
  paid: [string, string][];
  balance: string;
}

export async function superbillOf(ctx: AppContext, actor: AuthedSession["user"], invoiceId: string): Promise<Superbill | null> {
  const [found, [head], paid, serviceCodes] = await Promise.all([
    invoiceWithLines(ctx, actor, invoiceId),
    ctx.db
      .select({
        clinic: organizations.name,
        taxId: organizations.taxId,
        location: locations.name,
        line1: locations.addressLine1,
        line2: locations.addressLine2,
        city: locations.city,
        region: locations.region,
        postal: locations.postalCode,
        phone: locations.phone,
        timeZone: locations.timeZone,
        first: patients.firstName,
        last: patients.lastName,
        dob: patients.dateOfBirth,
        pLine1: patients.addressLine1,
        pCity: patients.city,
        pRegion: patients.region,
        pPostal: patients.postalCode,
        startsAt: appointments.startsAt,
        providerName: users.name,
        credentials: users.credentials,
        npi: users.npi,
        procedureCode: services.procedureCode,
        diagnosisCode: services.diagnosisCode,
      })
      .from(invoices)
      .innerJoin(organizations, eq(organizations.id, invoices.organizationId))
      .innerJoin(locations, eq(locations.id, invoices.locationId))
      .innerJoin(patients, eq(patients.id, invoices.patientId))
      .leftJoin(appointments, eq(appointments.id, invoices.appointmentId))
      .leftJoin(users, eq(users.id, appointments.providerId))
      .leftJoin(services, eq(services.id, appointments.serviceId))
      .where(eq(invoices.id, invoiceId)),
    ctx.db.select().from(payments).where(eq(payments.invoiceId, invoiceId)),
    // The codes of the services on its lines (read with the rest: one round trip).
    ctx.db.select({ id: services.id, code: services.procedureCode }).from(services).where(sql`${services.id} in (select service_id from invoice_lines where invoice_id = ${invoiceId})`),
  ]);
  if (!found || !head) return null;
  const { invoice, lines } = found;
  const codes = new Map(serviceCodes.map((s) => [s.id, s.code]));
  const totals = priceInvoice(lines, invoice);
  const zone = head.timeZone;
  return {
    number: invoice.number,
    clinic: { name: head.clinic, address: [head.location, [head.line1, head.line2].filter(Boolean).join(", "), `${head.city}, ${head.region} ${head.postal}`, head.phone], taxId: head.taxId ? formatEin(head.taxId) : null },
    provider: head.providerName ? { name: head.providerName, credentials: head.credentials, npi: head.npi } : null,
    patient: { name: `${head.first} ${head.last}`, dateOfBirth: formatCalendarDate(head.dob), address: head.pLine1 ? `${head.pLine1}, ${head.pCity ?? ""} ${head.pRegion ?? ""} ${head.pPostal ?? ""}`.trim() : null },
    serviceDate: formatDateTime((head.startsAt ?? invoice.createdAt).getTime(), zone),
    diagnosis: head.diagnosisCode,
    // A service line carries its own code; charted products carry the visit's procedure.
    lines: lines
      .map((l, i) => ({ l, t: totals.lines[i] }))
      .filter(({ l }) => l.kind !== "gift_card")
      .map(({ l, t }) => ({ code: l.kind === "service" && l.serviceId ? (codes.get(l.serviceId) ?? null) : l.kind === "treatment" ? head.procedureCode : null, description: l.description, units: amountText(l.quantity), amount: formatMoney(t.netCents) })),
    total: formatMoney(invoice.totalCents),
    paid: paid.filter((p) => p.status === "succeeded").map((p): [string, string] => [`${paymentLabel(p, "****")} · ${formatDateTime(p.createdAt.getTime(), zone)}`, formatMoney(p.amountCents)]),
    balance: formatMoney(balanceOf(invoice)),
  };
}

export function superbillPdf(b: Superbill, paper: "letter" | "a4" = "letter") {
  return stepsPdf(`Superbill ${b.number}`, paper, ({ bold, size }): Step[] => [
    { text: "Superbill", font: bold, size: size + 6 },
    { text: `For the patient to submit to their insurer · invoice #${b.number}` },
    { rule: true },
    { text: b.clinic.name, font: bold, size: size + 2 },
    ...b.clinic.address.filter(Boolean).map((a) => ({ text: a })),
    { text: `Tax id (EIN): ${b.clinic.taxId ?? "not on file"}` },
    { gap: size },
    { text: "Rendering provider", font: bold },
    { text: b.provider ? `${b.provider.name}${b.provider.credentials ? `, ${b.provider.credentials}` : ""}` : "—" },
    { text: `NPI: ${b.provider?.npi ?? "not on file"}` },
    { gap: size },
    { text: "Patient", font: bold },
    { text: b.patient.name },
    { text: `Date of birth: ${b.patient.dateOfBirth}` },
    ...(b.patient.address ? [{ text: b.patient.address }] : []),
    { gap: size },
    { text: `Date of service: ${b.serviceDate}`, font: bold },
    { text: `Diagnosis (ICD-10): ${b.diagnosis ?? "—"}` },
    { rule: true },
    { text: "Code · Description · Units", right: "Charge", font: bold },
    ...b.lines.map((l): Step => ({ text: `${l.code ?? "—"} · ${l.description} · ${l.units}`, right: l.amount })),
    { rule: true },
    { text: "Total charged", right: b.total, font: bold },
    ...b.paid.map(([k, v]): Step => ({ text: `Paid: ${k}`, right: v })),
    { text: "Balance", right: b.balance, font: bold },
    { gap: size * 2 },
    { text: "Provider signature ______________________________    Date ____________" },
  ]);
}
