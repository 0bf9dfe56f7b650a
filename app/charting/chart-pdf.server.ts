import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import type { FaceView } from "../../db/schema/charting";
import { FACE_OUTLINES } from "./face-shapes";
import { answerText, type Answers, type TemplateSection } from "./template";
import { zoneLabel } from "./zones";

export interface ChartPdfInput {
  clinic: string;
  patient: { name: string; dateOfBirth: string };
  visit: { when: string; service: string; provider: string; location: string };
  template: { name: string; version: number; faceChart: boolean; sections: TemplateSection[] };
  status: { signed: boolean; signedBy: string | null; signedAt: string | null; method: string | null };
  answers: Answers;
  points: { view: FaceView; x: number; y: number; zone: string; label: string | null; productName: string; lotNumber: string; expiresOn: string; amount: string; depth: string | null; technique: string | null; gauge: number | null }[];
  addenda: { author: string; when: string; body: string }[];
  printedAt: string;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;
const INK = rgb(0.11, 0.1, 0.09);
const MUTED = rgb(0.34, 0.33, 0.31);
const POINT_RGB = [rgb(0.71, 0.14, 0.35), rgb(0.11, 0.31, 0.85), rgb(0.02, 0.47, 0.34), rgb(0.49, 0.23, 0.93), rgb(0.71, 0.33, 0.04), rgb(0.05, 0.45, 0.56)];

/**
 * The complete chart as a PDF (issue 11): patient, visit, every template answer, the face chart
 * with its numbered points, the table of points (zone, product, lot, expiry, amount, depth,
 * technique), signature and addenda. `audience: "patient"` keeps only the fields a template marks
 * visible to patients (never internal notes) and leaves out nothing else a patient may see.
 */
export async function chartPdf(input: ChartPdfInput, audience: "staff" | "patient" = "staff"): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Chart · ${input.patient.name} · ${input.visit.when}`);
  doc.setAuthor(input.clinic);
  doc.setCreator("Atrium");
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const w = new Writer(doc, font, bold, `${input.patient.name} · born ${input.patient.dateOfBirth} · ${input.visit.when}`);

  w.text(input.clinic, { size: 10, color: MUTED });
  w.text(`${input.template.name} chart`, { size: 18, font: bold, gap: 4 });
  w.pairs([
    ["Patient", `${input.patient.name} (born ${input.patient.dateOfBirth})`],
    ["Visit", `${input.visit.service}, ${input.visit.when}`],
    ["Provider", input.visit.provider],
    ["Location", input.visit.location],
    ["Template", `${input.template.name}, version ${input.template.version}`],
    ["Status", input.status.signed ? `Signed by ${input.status.signedBy} on ${input.status.signedAt} (${input.status.method === "totp" ? "authenticator code" : input.status.method})` : "Draft, not signed"],
  ]);

  for (const section of input.template.sections) {
    const fields = section.fields.filter((f) => audience === "staff" || f.patientVisible);
    if (!fields.length) continue;
    w.heading(section.title);
    w.pairs(fields.map((f) => [f.label, answerText(f, input.answers[f.id]) || "—"]));
  }

  if (input.template.faceChart) {
    w.heading("Face chart");
    const views = [...new Set(input.points.map((p) => p.view))];
    w.faces(views.length ? views : ["front"], input.points);
    w.heading("Points");
    w.table(
      ["#", "Zone", "Product", "Lot", "Expiry", "Amount", "Depth", "Technique"],
      [18, 100, 86, 52, 58, 52, 70, 63],
      input.points.map((p, i) => [String(i + 1), zoneLabel(p.zone, p.label), p.productName, p.lotNumber, p.expiresOn, p.amount, p.depth ?? "—", [p.technique, p.gauge ? `${p.gauge}G` : null].filter(Boolean).join(", ") || "—"]),
    );
  }

  if (input.addenda.length) {
    w.heading("Addenda");
    input.addenda.forEach((a, i) => {
      w.text(`Addendum ${i + 1} · ${a.author} · ${a.when}`, { font: bold, size: 10 });
      w.paragraph(a.body);
    });
  }
  w.footerAll(`Printed ${input.printedAt} · ${audience === "patient" ? "Patient copy" : "Clinical record, confidential"}`);
  return doc.save();
}

/** Lays text out down A4 pages, starting a new page when one fills. */
class Writer {
  page: PDFPage;
  y: number;
  pages: PDFPage[] = [];
  private encodable = new Map<string, boolean>();

  constructor(
    private doc: PDFDocument,
    private font: PDFFont,
    private bold: PDFFont,
    private runningHead: string,
  ) {
    this.page = this.newPage();
    this.y = A4.height - MARGIN;
  }

  private newPage() {
    const page = this.doc.addPage([A4.width, A4.height]);
    this.pages.push(page);
    if (this.pages.length > 1) page.drawText(this.safe(this.runningHead), { x: MARGIN, y: A4.height - 30, size: 8, font: this.font, color: MUTED });
    this.y = A4.height - MARGIN;
    return page;
  }

  private room(height: number) {
    if (this.y - height < MARGIN + 20) this.page = this.newPage();
  }

  /** The standard fonts cover Windows-1252; anything else (emoji, other scripts) prints as "?". */
  safe(text: string) {
    return [...text.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\r/g, "")]
      .map((ch) => {
        if (ch === "\n") return ch;
        let ok = this.encodable.get(ch);
        if (ok === undefined) {
          try {
            this.font.encodeText(ch);
            ok = true;
          } catch {
            ok = false;
          }
          this.encodable.set(ch, ok);
        }
        return ok ? ch : "?";
      })
      .join("");
  }

  private wrap(text: string, width: number, font: PDFFont, size: number) {
    const lines: string[] = [];
    for (const para of this.safe(text).split("\n")) {
      let line = "";
      for (const word of para.split(/\s+/)) {
        const next = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
        else {
          lines.push(line);
          line = word;
        }
      }
      lines.push(line);
    }
    return lines;
  }

  text(text: string, { size = 10, font = this.font, color = INK, gap = 2 }: { size?: number; font?: PDFFont; color?: ReturnType<typeof rgb>; gap?: number } = {}) {
    for (const line of this.wrap(text, A4.width - 2 * MARGIN, font, size)) {
      this.room(size + gap);
      this.y -= size + gap;
      this.page.drawText(line, { x: MARGIN, y: this.y, size, font, color });
    }
  }

  paragraph(text: string) {
    this.text(text, { size: 10 });
    this.y -= 6;
  }

  heading(title: string) {
    this.room(40);
    this.y -= 12;
    this.text(title, { size: 13, font: this.bold, gap: 4 });
    this.page.drawLine({ start: { x: MARGIN, y: this.y - 4 }, end: { x: A4.width - MARGIN, y: this.y - 4 }, thickness: 0.5, color: MUTED });
    this.y -= 8;
  }

  pairs(rows: [string, string][]) {
    const labelWidth = 150;
    for (const [label, value] of rows) {
      const labelLines = this.wrap(label, labelWidth - 8, this.font, 9);
      const valueLines = this.wrap(value, A4.width - 2 * MARGIN - labelWidth, this.font, 10);
      const lines = Math.max(labelLines.length, valueLines.length);
      this.room(lines * 13);
      const top = this.y;
      labelLines.forEach((l, i) => this.page.drawText(l, { x: MARGIN, y: top - 12 - i * 13, size: 9, font: this.font, color: MUTED }));
      valueLines.forEach((l, i) => this.page.drawText(l, { x: MARGIN + labelWidth, y: top - 12 - i * 13, size: 10, font: this.font, color: INK }));
      this.y = top - lines * 13 - 3;
    }
  }

  /** Each view's line drawing with its numbered points, side by side. */
  faces(views: FaceView[], points: ChartPdfInput["points"]) {
    const size = 160;
    this.room(size + 20);
    const top = this.y - 6;
    const scale = size / 1000;
    const products = [...new Set(points.map((p) => p.productName))];
    views.forEach((view, v) => {
      const left = MARGIN + v * (size + 12);
      this.page.drawRectangle({ x: left, y: top - size, width: size, height: size, borderColor: rgb(0.84, 0.83, 0.82), borderWidth: 0.5 });
      const outline = FACE_OUTLINES[view];
      for (const [cx, cy, rx, ry] of outline.ellipses) this.page.drawEllipse({ x: left + cx * scale, y: top - cy * scale, xScale: rx * scale, yScale: ry * scale, borderColor: MUTED, borderWidth: 0.8 });
      for (const d of outline.paths) this.page.drawSvgPath(d, { x: left, y: top, scale, borderColor: MUTED, borderWidth: 0.8 });
      points.forEach((p, i) => {
        if (p.view !== view) return;
        const x = left + p.x * scale;
        const y = top - p.y * scale;
        this.page.drawCircle({ x, y, size: 5.5, color: POINT_RGB[products.indexOf(p.productName) % POINT_RGB.length] });
        const label = String(i + 1);
        this.page.drawText(label, { x: x - this.bold.widthOfTextAtSize(label, 6) / 2, y: y - 2.2, size: 6, font: this.bold, color: rgb(1, 1, 1) });
      });
      this.page.drawText(view === "front" ? "Front" : view === "left" ? "Left profile" : "Right profile", { x: left + 4, y: top - size + 4, size: 8, font: this.font, color: MUTED });
    });
    this.y = top - size - 8;
  }

  table(header: string[], widths: number[], rows: string[][]) {
    const drawRow = (cells: string[], font: PDFFont) => {
      const wrapped = cells.map((c, i) => this.wrap(c, widths[i] - 4, font, 8.5));
      const lines = Math.max(...wrapped.map((w) => w.length));
      this.room(lines * 11 + 4);
      const top = this.y;
      let x = MARGIN;
      wrapped.forEach((cellLines, i) => {
        cellLines.forEach((l, j) => this.page.drawText(l, { x, y: top - 10 - j * 11, size: 8.5, font, color: INK }));
        x += widths[i];
      });
      this.y = top - lines * 11 - 4;
    };
    drawRow(header, this.bold);
    if (!rows.length) this.text("No points charted.", { size: 9, color: MUTED });
    for (const row of rows) drawRow(row, this.font);
  }

  footerAll(text: string) {
    this.pages.forEach((page, i) => page.drawText(this.safe(`${text} · page ${i + 1} of ${this.pages.length}`), { x: MARGIN, y: 24, size: 8, font: this.font, color: MUTED }));
  }
}

