import { asc, eq } from "drizzle-orm";
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { INK, MUTED, safeText as safe, wrapText } from "../lib/pdf-writer";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { formatDateTime, formatMoney } from "../scheduling/format";
import { amountText } from "../charting/amounts";
import { invoices, locations, organizations, patients, payments } from "../../db/schema";
import { invoiceWithLines } from "./invoices.server";
import { balanceOf, priceInvoice } from "./invoice-lines";
import { paymentLabel } from "./labels";
import { INVOICE_STATUS_LABELS, taxRateText } from "./invoice-page.server";

/**
 * The receipt (issue 12): one set of facts, written as the email's text and as a PDF on a receipt
 * printer's roll (80 mm), Letter or A4. Itemized with tax and tip; card payments show brand and
 * last 4 only.
 */
export interface Receipt {
  /** Who and what it is about, for the message it goes out in (not printed). */
  ids: { invoiceId: string; organizationId: string; patientId: string; state: string };
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
}

export async function receiptOf(ctx: AppContext, actor: AuthedSession["user"], invoiceId: string): Promise<Receipt | null> {
  const [found, [head], paid] = await Promise.all([
    invoiceWithLines(ctx, actor, invoiceId),
    ctx.db
      .select({ clinic: organizations.name, location: locations.name, line1: locations.addressLine1, line2: locations.addressLine2, city: locations.city, region: locations.region, postal: locations.postalCode, phone: locations.phone, timeZone: locations.timeZone, first: patients.firstName, last: patients.lastName, email: patients.email })
      .from(invoices)
      .innerJoin(organizations, eq(organizations.id, invoices.organizationId))
      .innerJoin(locations, eq(locations.id, invoices.locationId))
      .innerJoin(patients, eq(patients.id, invoices.patientId))
      .where(eq(invoices.id, invoiceId)),
    ctx.db.select().from(payments).where(eq(payments.invoiceId, invoiceId)).orderBy(asc(payments.createdAt)),
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
    patient: { name: `${head.first} ${head.last}`, email: head.email },
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
  };
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
    "",
    "Thank you for your visit.",
  ].join("\n");
}

export const PAPERS = { receipt: { width: 226.77, margin: 12, size: 8 }, letter: { width: 612, margin: 54, size: 10 }, a4: { width: 595.28, margin: 48, size: 10 } } as const;
export type Paper = keyof typeof PAPERS;

/** The receipt as a PDF: a roll as long as the receipt, or Letter / A4 pages. */
export async function receiptPdf(r: Receipt, paper: Paper): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Receipt ${r.number}`);
  doc.setProducer("Atrium");
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const { width, margin, size } = PAPERS[paper];
  const inner = width - 2 * margin;
  // Laid out first as drawing steps, so the roll's length is known before its page is made.
  type Step = { text: string; right?: string; font?: PDFFont; size?: number; color?: ReturnType<typeof rgb> } | { rule: true } | { gap: number };
  const steps: Step[] = [
    { text: r.clinic, font: bold, size: size + 4 },
    ...r.address.filter(Boolean).map((a) => ({ text: a, color: MUTED })),
    { gap: size },
    { text: `Receipt · invoice #${r.number}`, font: bold, size: size + 1 },
    { text: `${r.issued} · ${r.patient.name}` },
    { rule: true },
    ...r.lines.flatMap((l): Step[] => [{ text: `${l.description} × ${l.quantity}`, right: l.amount }, ...(l.discount ? [{ text: "   discount", right: l.discount, color: MUTED }] : [])]),
    { rule: true },
    ...r.totals.map(([k, v]): Step => ({ text: k, right: v, font: k === "Total" ? bold : font })),
    { rule: true },
    ...r.payments.map(([k, v]): Step => ({ text: k, right: v })),
    { text: r.paid ? "Paid in full" : "Balance owed", right: r.paid ? "" : r.balance, font: bold },
    { gap: size },
    { text: "Thank you for your visit.", color: MUTED },
  ];
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
