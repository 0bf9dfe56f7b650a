import { asc, eq, sql } from "drizzle-orm";
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { INK, MUTED, safeText as safe, wrapText } from "../lib/pdf-writer";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { formatDateTime, formatMoney } from "../scheduling/format";
import { amountText } from "../charting/amounts";
import { invoices, locations, organizations, patients, payments } from "../../db/schema";
import { invoiceWithLines } from "./invoices.server";
import { balanceOf, priceInvoice } from "./invoice-lines";
import { TAX_RATE_SCALE, mulDivHalfUp } from "./money";
import { paymentLabel } from "./labels";
import { INVOICE_STATUS_LABELS, taxRateText } from "./invoice-page.server";

/**
 * The receipt (issue 12): one set of facts, written as the email's text and as a PDF on a receipt
 * printer's roll (80 mm), Letter or A4. Itemized with tax and tip; card payments show brand and
 * last 4 only.
 */
export interface Receipt {
  /** Who and what it is about, for the message it goes out in (not printed). */
  ids: { invoiceId: string; organizationId: string; patientId: string | null; state: string };
  clinic: string;
  address: string[];
  number: number;
  status: string;
  issued: string;
  patient: { name: string; email: string | null };
  lines: { description: string; quantity: string; amount: string; discount: string | null }[];
  totals: [string, string][];
  payments: [string, string][];
  balance: string;
  paid: boolean;
  /** HSA/FSA eligible items, itemized as administrators ask (null when none are). */
  hsa: { lines: [string, string][]; subtotal: string; tax: string | null } | null;
}

export async function receiptOf(ctx: AppContext, actor: AuthedSession["user"], invoiceId: string): Promise<Receipt | null> {
  const [found, [head], paid, eligible] = await Promise.all([
    invoiceWithLines(ctx, actor, invoiceId),
    ctx.db
      .select({ clinic: organizations.name, location: locations.name, line1: locations.addressLine1, line2: locations.addressLine2, city: locations.city, region: locations.region, postal: locations.postalCode, phone: locations.phone, timeZone: locations.timeZone, first: patients.firstName, last: patients.lastName, email: patients.email, buyerName: invoices.buyerName, buyerEmail: invoices.buyerEmail })
      .from(invoices)
      .innerJoin(organizations, eq(organizations.id, invoices.organizationId))
      .innerJoin(locations, eq(locations.id, invoices.locationId))
      .leftJoin(patients, eq(patients.id, invoices.patientId))
      .where(eq(invoices.id, invoiceId)),
    ctx.db.select().from(payments).where(eq(payments.invoiceId, invoiceId)).orderBy(asc(payments.createdAt)),
    hsaEligibleLines(ctx, invoiceId),
  ]);
  if (!found || !head) return null;
  const { invoice, lines } = found;
  const totals = priceInvoice(lines, invoice);
  const rows: [string, string][] = [["Subtotal", formatMoney(totals.subtotalCents)]];
  if (totals.discountCents) rows.push(["Discounts", `-${formatMoney(totals.discountCents)}`]);
  for (const t of totals.taxByRate.filter((x) => x.rate > 0)) rows.push([`${invoice.taxMode === "inclusive" ? "Tax included" : "Tax"} ${taxRateText(t.rate)}`, formatMoney(t.taxCents)]);
  if (totals.tipCents) rows.push(["Tip", formatMoney(totals.tipCents)]);
  rows.push(["Total", formatMoney(totals.totalCents)]);
  return {
    ids: { invoiceId: invoice.id, organizationId: invoice.organizationId, patientId: invoice.patientId, state: `${invoice.revision}:${invoice.paidCents}:${invoice.refundedCents}` },
    clinic: head.clinic,
    address: [head.location, [head.line1, head.line2].filter(Boolean).join(", "), `${head.city}, ${head.region} ${head.postal}`, head.phone],
    number: invoice.number,
    status: INVOICE_STATUS_LABELS[invoice.status],
    issued: formatDateTime((invoice.paidAt ?? invoice.issuedAt ?? invoice.createdAt).getTime(), head.timeZone),
    // A buyer who isn't a patient (ADR 037) is who the receipt is for.
    patient: head.first ? { name: `${head.first} ${head.last}`, email: head.email } : { name: head.buyerName ?? "", email: head.buyerEmail },
    lines: lines.map((l, i) => ({ description: l.description, quantity: amountText(l.quantity), amount: formatMoney(totals.lines[i].grossCents), discount: totals.lines[i].lineDiscountCents ? `-${formatMoney(totals.lines[i].lineDiscountCents)}` : null })),
    totals: rows,
    payments: paid
      .filter((p) => p.status === "succeeded")
      .map((p): [string, string] => [
        `${paymentLabel(p, "****")} · ${formatDateTime(p.createdAt.getTime(), head.timeZone)}${p.changeCents ? ` (tendered ${formatMoney(p.tenderedCents ?? 0)}, change ${formatMoney(p.changeCents)})` : ""}`,
        formatMoney(p.amountCents),
      ]),
    balance: formatMoney(balanceOf(invoice)),
    paid: invoice.status === "paid",
    hsa: hsaSection(lines, totals, invoice.taxMode, eligible),
  };
}

/**
 * The invoice's lines that are HSA/FSA eligible: a service marked so; a charted product when the
 * visit's service is; retail marked so. Gift cards never.
 */
export async function hsaEligibleLines(ctx: Pick<AppContext, "db">, invoiceId: string): Promise<Set<string>> {
  const rows = await ctx.db.all<{ id: string }>(sql`select l.id from invoice_lines l
    join invoices i on i.id = l.invoice_id
    left join services s on s.id = l.service_id
    left join products p on p.id = l.product_id
    left join appointments a on a.id = i.appointment_id
    left join services vs on vs.id = a.service_id
    where l.invoice_id = ${invoiceId} and ((l.kind = 'service' and s.hsa_eligible = 1) or (l.kind = 'treatment' and vs.hsa_eligible = 1) or (l.kind = 'retail' and p.hsa_eligible = 1))`);
  return new Set(rows.map((r) => r.id));
}

function hsaSection(lines: { id: string; description: string; quantity: number }[], totals: ReturnType<typeof priceInvoice>, taxMode: "inclusive" | "exclusive", eligible: Set<string>): Receipt["hsa"] {
  const items = lines.map((l, i) => ({ l, t: totals.lines[i] })).filter(({ l }) => eligible.has(l.id));
  if (items.length === 0) return null;
  const subtotal = items.reduce((a, { t }) => a + t.netCents, 0);
  // With prices that exclude tax, each eligible line's own tax (rounded half up), shown apart.
  const tax = taxMode === "exclusive" ? items.reduce((a, { t }) => a + mulDivHalfUp(t.netCents, t.taxRate, TAX_RATE_SCALE), 0) : 0;
  return { lines: items.map(({ l, t }) => [`${l.description} × ${amountText(l.quantity)}`, formatMoney(t.netCents)]), subtotal: formatMoney(subtotal), tax: tax ? formatMoney(tax) : null };
}

/** The receipt as the email's plain text. */
export function receiptText(r: Receipt) {
  const pad = (label: string, value: string) => `${label}${" ".repeat(Math.max(2, 44 - label.length - value.length))}${value}`;
  return [
    `${r.clinic} — receipt for invoice #${r.number}`,
    r.address.filter(Boolean).join(" · "),
    `${r.issued} · ${r.patient.name}`,
    "",
    ...r.lines.flatMap((l) => [pad(`${l.description} × ${l.quantity}`, l.amount), ...(l.discount ? [pad("  discount", l.discount)] : [])]),
    "",
    ...r.totals.map(([k, v]) => pad(k, v)),
    "",
    ...r.payments.map(([k, v]) => pad(k, v)),
    pad(r.paid ? "Paid in full" : "Balance owed", r.paid ? "" : r.balance),
    ...(r.hsa ? ["", "HSA/FSA eligible items", ...r.hsa.lines.map(([k, v]) => pad(`  ${k}`, v)), pad("Eligible subtotal (before tax)", r.hsa.subtotal), ...(r.hsa.tax ? [pad("Tax on eligible items", r.hsa.tax)] : [])] : []),
    "",
    "Thank you for your visit.",
  ].join("\n");
}

export const PAPERS = { receipt: { width: 226.77, margin: 12, size: 8 }, letter: { width: 612, margin: 54, size: 10 }, a4: { width: 595.28, margin: 48, size: 10 } } as const;
export type Paper = keyof typeof PAPERS;

/** The receipt as a PDF: a roll as long as the receipt, or Letter / A4 pages. */
export async function receiptPdf(r: Receipt, paper: Paper): Promise<Uint8Array> {
  return stepsPdf(`Receipt ${r.number}`, paper, ({ bold, font, size }) => [
    { text: r.clinic, font: bold, size: size + 4 },
    ...r.address.filter(Boolean).map((a) => ({ text: a, color: MUTED })),
    { gap: size },
    // Unpaid, the same document is the invoice (what is owed); paid, it is the receipt.
    { text: r.paid ? `Receipt · invoice #${r.number}` : `Invoice #${r.number} · ${r.balance} due`, font: bold, size: size + 1 },
    { text: `${r.issued} · ${r.patient.name}` },
    { rule: true },
    ...r.lines.flatMap((l): Step[] => [{ text: `${l.description} × ${l.quantity}`, right: l.amount }, ...(l.discount ? [{ text: "   discount", right: l.discount, color: MUTED }] : [])]),
    { rule: true },
    ...r.totals.map(([k, v]): Step => ({ text: k, right: v, font: k === "Total" ? bold : font })),
    { rule: true },
    ...r.payments.map(([k, v]): Step => ({ text: k, right: v })),
    { text: r.paid ? "Paid in full" : "Balance owed", right: r.paid ? "" : r.balance, font: bold },
    ...(r.hsa
      ? [{ gap: size }, { text: "HSA/FSA eligible items", font: bold }, ...r.hsa.lines.map(([k, v]): Step => ({ text: k, right: v })), { text: "Eligible subtotal (before tax)", right: r.hsa.subtotal, font: bold }, ...(r.hsa.tax ? [{ text: "Tax on eligible items", right: r.hsa.tax }] : [])]
      : []),
    { gap: size },
    { text: "Thank you for your visit.", color: MUTED },
  ]);
}

export type Step = { text: string; right?: string; font?: PDFFont; size?: number; color?: ReturnType<typeof rgb> } | { rule: true } | { gap: number };

/**
 * Lays out text steps (a line with an optional right-aligned amount, a rule, a gap) on a roll as
 * long as the content, or on Letter / A4 pages: the receipt's and the superbill's one renderer.
 */
export async function stepsPdf(title: string, paper: Paper, build: (f: { font: PDFFont; bold: PDFFont; size: number }) => Step[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setProducer("Atrium");
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const { width, margin, size } = PAPERS[paper];
  const inner = width - 2 * margin;
  const steps = build({ font, bold, size });
  const lineHeight = (s: number) => s * 1.35;
  const heightOf = (step: Step) => ("rule" in step ? size : "gap" in step ? step.gap : wrapText(step.font ?? font, step.text, step.size ?? size, inner - (step.right ? (step.font ?? font).widthOfTextAtSize(step.right, step.size ?? size) + 8 : 0)).length * lineHeight(step.size ?? size));
  const pageHeight = paper === "receipt" ? steps.reduce((a, s) => a + heightOf(s), 0) + 2 * margin : paper === "letter" ? 792 : 841.89;
  let page: PDFPage = doc.addPage([width, pageHeight]);
  let y = pageHeight - margin;
  for (const step of steps) {
    const h = heightOf(step);
    if (y - h < margin) {
      page = doc.addPage([width, pageHeight]);
      y = pageHeight - margin;
    }
    if ("rule" in step) {
      page.drawLine({ start: { x: margin, y: y - size / 2 }, end: { x: width - margin, y: y - size / 2 }, thickness: 0.5, color: MUTED });
    } else if (!("gap" in step)) {
      const f = step.font ?? font;
      const s = step.size ?? size;
      const right = step.right ? safe(f, step.right) : "";
      const rightWidth = right ? f.widthOfTextAtSize(right, s) : 0;
      wrapText(f, step.text, s, inner - (right ? rightWidth + 8 : 0)).forEach((line, i) => page.drawText(line, { x: margin, y: y - s - i * lineHeight(s), size: s, font: f, color: step.color ?? INK }));
      if (right) page.drawText(right, { x: width - margin - rightWidth, y: y - s, size: s, font: f, color: step.color ?? INK });
    }
    y -= h;
  }
  return doc.save();
}

/**
 * The receipt as its organization sees it (every location), for work done without a signed-in
 * reader: the message job attaching it, the receipt of a buyer who paid online.
 */
export async function receiptForOrganization(ctx: AppContext, invoiceId: string) {
  const [invoice] = await ctx.db.select({ organizationId: invoices.organizationId }).from(invoices).where(eq(invoices.id, invoiceId));
  return invoice ? receiptOf(ctx, { id: "system", role: "owner", organizationId: invoice.organizationId } as AuthedSession["user"], invoiceId) : null;
}
