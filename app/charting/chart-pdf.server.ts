import { PDFDocument, StandardFonts, rgb } from "pdf-lib";
import { MARGIN, MUTED, PdfWriter } from "../lib/pdf-writer";
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
  /** Consents on file for what this visit's service requires, as the chart was printed. */
  consents: { name: string; version: number; signer: string; when: string; sha: string }[];
  /** Photo previews (JPEG) with their captions; staff copies only. */
  photos: { jpeg: Uint8Array; caption: string }[];
  printedAt: string;
}

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
  const w = new PdfWriter(doc, font, bold, `${input.patient.name} · born ${input.patient.dateOfBirth} · ${input.visit.when}`);

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
    drawFaces(w, views.length ? views : ["front"], input.points);
    w.heading("Points");
    w.table(
      ["#", "Zone", "Product", "Lot", "Expiry", "Amount", "Depth", "Technique"],
      [18, 100, 86, 52, 58, 52, 70, 63],
      input.points.map((p, i) => [String(i + 1), zoneLabel(p.zone, p.label), p.productName, p.lotNumber, p.expiresOn, p.amount, p.depth ?? "—", [p.technique, p.gauge ? `${p.gauge}G` : null].filter(Boolean).join(", ") || "—"]),
    );
  }

  if (input.consents.length) {
    w.heading("Consents");
    w.pairs(input.consents.map((c) => [c.name, `Version ${c.version}, signed by ${c.signer} on ${c.when} · text SHA-256 ${c.sha}`]));
  }

  if (audience === "staff" && input.photos.length) {
    w.heading("Photos");
    await w.photos(input.photos);
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

/** Each view's line drawing with its numbered points, side by side. */
function drawFaces(w: PdfWriter, views: FaceView[], points: ChartPdfInput["points"]) {
  const size = 160;
  w.room(size + 20);
  const top = w.y - 6;
  const scale = size / 1000;
  const products = [...new Set(points.map((p) => p.productName))];
  views.forEach((view, v) => {
    const left = MARGIN + v * (size + 12);
    w.page.drawRectangle({ x: left, y: top - size, width: size, height: size, borderColor: rgb(0.84, 0.83, 0.82), borderWidth: 0.5 });
    const outline = FACE_OUTLINES[view];
    for (const [cx, cy, rx, ry] of outline.ellipses) w.page.drawEllipse({ x: left + cx * scale, y: top - cy * scale, xScale: rx * scale, yScale: ry * scale, borderColor: MUTED, borderWidth: 0.8 });
    for (const d of outline.paths) w.page.drawSvgPath(d, { x: left, y: top, scale, borderColor: MUTED, borderWidth: 0.8 });
    points.forEach((p, i) => {
      if (p.view !== view) return;
      const x = left + p.x * scale;
      const y = top - p.y * scale;
      w.page.drawCircle({ x, y, size: 5.5, color: POINT_RGB[products.indexOf(p.productName) % POINT_RGB.length] });
      const label = String(i + 1);
      w.page.drawText(label, { x: x - w.bold.widthOfTextAtSize(label, 6) / 2, y: y - 2.2, size: 6, font: w.bold, color: rgb(1, 1, 1) });
    });
    w.page.drawText(view === "front" ? "Front" : view === "left" ? "Left profile" : "Right profile", { x: left + 4, y: top - size + 4, size: 8, font: w.font, color: MUTED });
  });
  w.y = top - size - 8;
}
