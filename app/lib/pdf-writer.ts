import { rgb, type PDFDocument, type PDFFont, type PDFPage } from "pdf-lib";

export const A4 = { width: 595.28, height: 841.89 };
export const MARGIN = 48;
export const INK = rgb(0.11, 0.1, 0.09);
export const MUTED = rgb(0.34, 0.33, 0.31);

/**
 * `text` as the standard fonts can print it (they cover Windows-1252): curly quotes made straight,
 * anything else (emoji, other scripts) as "?". `known` remembers which characters encode.
 */
export function safeText(font: PDFFont, text: string, known = new Map<string, boolean>()) {
  return [...text.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\r/g, "")]
    .map((ch) => {
      if (ch === "\n") return ch;
      let ok = known.get(ch);
      if (ok === undefined) {
        try {
          font.encodeText(ch);
          ok = true;
        } catch {
          ok = false;
        }
        known.set(ch, ok);
      }
      return ok ? ch : "?";
    })
    .join("");
}

/** `text` broken at spaces into lines that fit `width` at `size` (paragraphs kept). */
export function wrapText(font: PDFFont, text: string, size: number, width: number, known?: Map<string, boolean>) {
  const lines: string[] = [];
  for (const para of safeText(font, text, known).split("\n")) {
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

/** Lays text out down A4 pages, starting a new page when one fills. */
export class PdfWriter {
  page: PDFPage;
  y: number;
  pages: PDFPage[] = [];
  private encodable = new Map<string, boolean>();

  constructor(
    private doc: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
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

  room(height: number) {
    if (this.y - height < MARGIN + 20) this.page = this.newPage();
  }

  /** The standard fonts cover Windows-1252; anything else (emoji, other scripts) prints as "?". */
  safe(text: string) {
    return safeText(this.font, text, this.encodable);
  }

  private wrap(text: string, width: number, font: PDFFont, size: number) {
    return wrapText(font, text, size, width, this.encodable);
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

  /** A drawn signature (SVG path data in a `width`×`height` box), boxed, `height` points tall on the page. */
  signature(path: string, box: { width: number; height: number }, label: string) {
    const height = 70;
    const scale = height / box.height;
    this.room(height + 24);
    const top = this.y - 6;
    this.page.drawRectangle({ x: MARGIN, y: top - height, width: box.width * scale, height, borderColor: rgb(0.84, 0.83, 0.82), borderWidth: 0.5 });
    if (path) this.page.drawSvgPath(path, { x: MARGIN, y: top, scale, borderColor: INK, borderWidth: 1.6 / scale });
    this.y = top - height - 2;
    this.text(label, { size: 8, color: MUTED });
  }

  /** JPEG previews three to a row, each with its caption under it. */
  async photos(items: { jpeg: Uint8Array; caption: string }[]) {
    const width = (A4.width - 2 * MARGIN - 2 * 12) / 3;
    for (let i = 0; i < items.length; i += 3) {
      const row = await Promise.all(items.slice(i, i + 3).map(async (p) => ({ ...p, image: await this.doc.embedJpg(p.jpeg) })));
      const height = Math.max(...row.map((p) => (p.image.height / p.image.width) * width));
      this.room(height + 24);
      const top = this.y - 4;
      row.forEach((p, j) => {
        const h = (p.image.height / p.image.width) * width;
        const x = MARGIN + j * (width + 12);
        this.page.drawImage(p.image, { x, y: top - h, width, height: h });
        this.page.drawText(this.safe(p.caption), { x, y: top - height - 11, size: 8, font: this.font, color: MUTED });
      });
      this.y = top - height - 18;
    }
  }

  footerAll(text: string) {
    this.pages.forEach((page, i) => page.drawText(this.safe(`${text} · page ${i + 1} of ${this.pages.length}`), { x: MARGIN, y: 24, size: 8, font: this.font, color: MUTED }));
  }
}


/** A PDF made for one person (a chart, a receipt, a gift card): shown inline, never cached or sniffed. */
export function pdfResponse(pdf: Uint8Array, filename: string) {
  return new Response(pdf as BodyInit, { headers: { "content-type": "application/pdf", "content-disposition": `inline; filename="${filename}"`, "cache-control": "private, no-store", "x-content-type-options": "nosniff" } });
}
