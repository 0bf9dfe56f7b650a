import QRCode from "qrcode";
import { PDFDocument, StandardFonts, rgb, type RGB } from "pdf-lib";
import { INK, MUTED, safeText, wrapText } from "../lib/pdf-writer";
import type { GiftCardDesign } from "../../db/schema";
import { formatCode } from "./codes";

/**
 * The gift card as a PDF (ADR 035): a 6 × 4 in card (prints on photo paper or Letter), in the
 * chosen design, with the amount, who it is for and from, the message, the code in large type and
 * as a QR code the desk can scan. Made when it is printed or emailed; never stored.
 */
export interface CardFacts {
  clinic: string;
  amount: string;
  code: string;
  design: GiftCardDesign;
  recipientName: string | null;
  senderName: string | null;
  message: string | null;
  expires: string | null;
}

const PALETTES: Record<GiftCardDesign, { band: RGB; accent: RGB; text: RGB }> = {
  botanical: { band: rgb(0.15, 0.33, 0.27), accent: rgb(0.85, 0.92, 0.87), text: rgb(1, 1, 1) },
  gold: { band: rgb(0.55, 0.43, 0.18), accent: rgb(0.98, 0.94, 0.84), text: rgb(1, 1, 1) },
  minimal: { band: rgb(0.93, 0.92, 0.9), accent: rgb(1, 1, 1), text: INK },
};

export async function giftCardPdf(card: CardFacts): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Gift card from ${card.clinic}`);
  doc.setProducer("Atrium");
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.CourierBold);
  const [W, H] = [432, 288];
  const page = doc.addPage([W, H]);
  const p = PALETTES[card.design];
  page.drawRectangle({ x: 0, y: 0, width: W, height: H, color: p.accent });
  page.drawRectangle({ x: 0, y: H - 84, width: W, height: 84, color: p.band });
  page.drawText(safeText(bold, card.clinic), { x: 24, y: H - 40, size: 18, font: bold, color: p.text });
  page.drawText("Gift card", { x: 24, y: H - 62, size: 11, font, color: p.text });
  const amountWidth = bold.widthOfTextAtSize(card.amount, 30);
  page.drawText(card.amount, { x: W - 24 - amountWidth, y: H - 56, size: 30, font: bold, color: p.text });

  let y = H - 110;
  const left = 24;
  const textWidth = 260;
  if (card.recipientName) {
    page.drawText(safeText(bold, `For ${card.recipientName}`), { x: left, y, size: 12, font: bold, color: INK });
    y -= 16;
  }
  if (card.senderName) {
    page.drawText(safeText(font, `From ${card.senderName}`), { x: left, y, size: 10, font, color: MUTED });
    y -= 16;
  }
  if (card.message) {
    for (const line of wrapText(font, `“${card.message}”`, 10, textWidth).slice(0, 4)) {
      page.drawText(line, { x: left, y, size: 10, font, color: INK });
      y -= 13;
    }
  }
  page.drawText("Code", { x: left, y: 58, size: 8, font, color: MUTED });
  page.drawText(formatCode(card.code), { x: left, y: 40, size: 16, font: mono, color: INK });
  page.drawText(safeText(font, card.expires ? `Good until ${card.expires}. ` : "Never expires. ") + "Show this code at checkout.", { x: left, y: 22, size: 8, font, color: MUTED });

  // The QR code, drawn module by module (vector: sharp at any print size).
  const qr = QRCode.create(formatCode(card.code), { errorCorrectionLevel: "M" });
  const size = qr.modules.size;
  const box = 96;
  const cell = box / (size + 2);
  const [qx, qy] = [W - 24 - box, 20];
  page.drawRectangle({ x: qx, y: qy, width: box, height: box, color: rgb(1, 1, 1) });
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) if (qr.modules.get(r, c)) page.drawRectangle({ x: qx + (c + 1) * cell, y: qy + box - (r + 2) * cell, width: cell, height: cell, color: INK });
  return doc.save();
}
