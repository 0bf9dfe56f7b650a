import { PDFDocument, StandardFonts } from "pdf-lib";
import { and, eq, sql } from "drizzle-orm";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { audit } from "../audit/audit.server";
import { PdfWriter } from "../lib/pdf-writer";
import { formatDateTime } from "../scheduling/format";
import { appointments, consentTemplateVersions, locations, organizations, patientConsents, patients, users } from "../../db/schema";
import { PAD_HEIGHT, PAD_WIDTH, readStrokes, strokesPath } from "./strokes";
import { consentText } from "./text-hash";

/**
 * A signed consent as a PDF: the exact text the patient read (its version and SHA-256), who
 * signed, as whom, when, on which device, in whose presence, and the signature as drawn. Read
 * with the chart permission (a consent is part of the clinical record), audited without content.
 */
export async function signedConsentPdf(ctx: AppContext, session: AuthedSession, consentId: string): Promise<Uint8Array | null> {
  const [row] = await ctx.db
    .select({
      consent: patientConsents,
      title: consentTemplateVersions.title,
      body: consentTemplateVersions.body,
      version: consentTemplateVersions.version,
      patient: { firstName: patients.firstName, lastName: patients.lastName, dateOfBirth: patients.dateOfBirth },
      witnessName: users.name,
      clinic: organizations.name,
      timeZone: sql<string>`coalesce((select ${locations.timeZone} from ${appointments} join ${locations} on ${locations.id} = ${appointments.locationId} where ${appointments.id} = ${patientConsents.appointmentId}), (select time_zone from locations where organization_id = ${patientConsents.organizationId} limit 1), 'UTC')`,
    })
    .from(patientConsents)
    .innerJoin(consentTemplateVersions, eq(consentTemplateVersions.id, patientConsents.versionId))
    .innerJoin(patients, eq(patients.id, patientConsents.patientId))
    .innerJoin(organizations, eq(organizations.id, patientConsents.organizationId))
    .leftJoin(users, eq(users.id, patientConsents.witnessId))
    .where(and(eq(patientConsents.id, consentId.slice(0, 64)), eq(patientConsents.organizationId, session.user.organizationId)));
  await audit(ctx, { actor: session.user, action: "consent.read", entityType: "patient_consent", entityId: consentId.slice(0, 64), outcome: row ? "allowed" : "denied", reason: row ? undefined : "not_found" });
  if (!row) return null;
  const c = row.consent;
  const patientName = `${row.patient.firstName} ${row.patient.lastName}`;
  const signedAt = formatDateTime(c.signedAt.getTime(), row.timeZone);
  const doc = await PDFDocument.create();
  doc.setTitle(`${row.title} · ${patientName} · ${signedAt}`);
  doc.setAuthor(row.clinic);
  doc.setCreator("Atrium");
  const w = new PdfWriter(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold), `${row.title} · ${patientName} · signed ${signedAt}`);
  w.text(row.clinic, { size: 10 });
  w.text(row.title, { size: 18, font: w.bold, gap: 4 });
  w.text(`Version ${row.version}`, { size: 9 });
  w.y -= 8;
  // The body exactly as hashed, paragraph by paragraph.
  for (const paragraph of consentText(row.title, row.body).split(/\n{2,}/).slice(1)) w.paragraph(paragraph);
  w.heading("Signature");
  w.pairs([
    ["Patient", `${patientName} (born ${row.patient.dateOfBirth})`],
    ["Signed by", `${c.signerName}, ${c.signerRole === "guardian" ? "parent or legal guardian" : "the patient"}`],
    ["Signed", signedAt],
    ["Signature", c.method === "drawn" ? "Drawn on the clinic's tablet" : "Typed full name, with agreement ticked"],
    ["In the presence of", row.witnessName ?? "—"],
    ["Device", c.device],
    ["Text SHA-256", c.textSha256],
  ]);
  const strokes = c.method === "drawn" ? readStrokes(c.strokes) : null;
  if (strokes?.ok) w.signature(strokesPath(strokes.strokes), { width: PAD_WIDTH, height: PAD_HEIGHT }, `Signature of ${c.signerName}`);
  w.footerAll(`Signed consent · ${row.clinic} · confidential`);
  return doc.save();
}
