import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../app/lib/db.server";
import { appointments, consentTemplateVersions, consentTemplates, patientConsents, patientHealthItems, patientNotes, patients, serviceConsents, type HealthItemKind } from "../schema";

/**
 * What a real clinic's records hold beyond name and phone (the demo only): allergies, medications,
 * history, pinned notes, preferred names. Picked by position from fixed lists, without the seed's
 * random generator, so everything else the seed makes stays exactly as it was.
 */
const ITEMS: { kind: HealthItemKind; name: string; detail?: string; severity?: "mild" | "moderate" | "severe"; alert?: boolean }[] = [
  { kind: "allergy", name: "Lidocaine", detail: "Hives and swelling", severity: "severe" },
  { kind: "allergy", name: "Latex", detail: "Contact rash", severity: "moderate" },
  { kind: "allergy", name: "Penicillin", detail: "Rash", severity: "mild" },
  { kind: "medication", name: "Isotretinoin", detail: "20 mg daily", alert: true },
  { kind: "medication", name: "Sertraline", detail: "50 mg daily" },
  { kind: "medication", name: "Aspirin", detail: "81 mg daily (blood thinner)", alert: true },
  { kind: "condition", name: "History of cold sores (HSV-1)", detail: "Prophylaxis before lip treatments", alert: true },
  { kind: "condition", name: "Keloid scarring", alert: true },
  { kind: "condition", name: "Hypothyroidism" },
];
const NOTES = [
  { body: "Prefers afternoon appointments; anxious about needles — numbing cream 30 minutes before.", pinned: true },
  { body: "Asked about a package of three peels; follow up after this visit.", pinned: false },
  { body: "Speaks Spanish at home; happy to continue in English.", pinned: false },
  { body: "Bruises easily — ice and arnica after filler.", pinned: true },
];
const PRONOUNS = ["she/her", "he/him", "they/them"];

export async function seedRecordDetails(db: Db, organizationId: string, authorId: string, now: Date) {
  const rows = await db.select({ id: patients.id, firstName: patients.firstName }).from(patients).where(eq(patients.organizationId, organizationId)).orderBy(patients.lastName, patients.firstName).limit(60);
  const items: (typeof patientHealthItems.$inferInsert)[] = [];
  const notes: (typeof patientNotes.$inferInsert)[] = [];
  for (const [i, p] of rows.entries()) {
    if (i % 3 === 0) items.push(...[ITEMS[i % ITEMS.length], ITEMS[(i * 7 + 3) % ITEMS.length]].map((item, k) => ({ id: `${p.id.slice(0, 24)}-h${k}`, organizationId, patientId: p.id, kind: item.kind, name: item.name, detail: item.detail ?? null, severity: item.severity ?? null, alert: item.kind === "allergy" || Boolean(item.alert), createdBy: authorId, createdAt: now })));
    if (i % 4 === 1) {
      const note = NOTES[i % NOTES.length];
      notes.push({ id: `${p.id.slice(0, 24)}-n`, organizationId, patientId: p.id, authorId, body: note.body, pinned: note.pinned, createdAt: new Date(now.getTime() - i * 86_400_000) });
    }
    if (i % 5 === 2) await db.update(patients).set({ preferredName: p.firstName.slice(0, Math.max(3, Math.ceil(p.firstName.length / 2))), pronouns: PRONOUNS[i % PRONOUNS.length] }).where(eq(patients.id, p.id));
  }
  if (items.length) await db.insert(patientHealthItems).values(items);
  if (notes.length) await db.insert(patientNotes).values(notes);
}

/**
 * Returning patients signed their consents at their first visit for the service (typed at the
 * front desk), as a clinic that has been open a while would have on file: the calendar's
 * "Forms missing" then marks the new patients and the lapsed, not every visit (demo only).
 */
export async function seedSignedConsents(db: Db, organizationId: string) {
  const [required, firstVisits] = await Promise.all([
    db
      .select({ serviceId: serviceConsents.serviceId, templateId: serviceConsents.templateId, versionId: consentTemplateVersions.id, sha: consentTemplateVersions.textSha256 })
      .from(serviceConsents)
      .innerJoin(consentTemplates, eq(consentTemplates.id, serviceConsents.templateId))
      .innerJoin(consentTemplateVersions, and(eq(consentTemplateVersions.templateId, consentTemplates.id), eq(consentTemplateVersions.version, consentTemplates.currentVersion)))
      .where(eq(serviceConsents.organizationId, organizationId)),
    db
      .select({ patientId: appointments.patientId, serviceId: appointments.serviceId, at: sql<number>`min(${appointments.startsAt})`, first: patients.firstName, last: patients.lastName })
      .from(appointments)
      .innerJoin(patients, eq(patients.id, appointments.patientId))
      .where(and(eq(appointments.organizationId, organizationId), eq(appointments.status, "completed")))
      .groupBy(appointments.patientId, appointments.serviceId),
  ]);
  const signed = new Set<string>();
  const rows: (typeof patientConsents.$inferInsert)[] = [];
  for (const visit of firstVisits.sort((a, b) => a.at - b.at)) {
    for (const form of required.filter((r) => r.serviceId === visit.serviceId)) {
      if (signed.has(`${visit.patientId}|${form.templateId}`)) continue;
      signed.add(`${visit.patientId}|${form.templateId}`);
      rows.push({ id: crypto.randomUUID(), organizationId, patientId: visit.patientId, templateId: form.templateId, versionId: form.versionId, textSha256: form.sha, signerName: `${visit.first} ${visit.last}`, signerRole: "patient", method: "typed", device: "front-desk", signedAt: new Date(Number(visit.at) - 10 * 60_000), clientId: crypto.randomUUID() });
    }
  }
  for (let i = 0; i < rows.length; i += 500) await db.insert(patientConsents).values(rows.slice(i, i + 500));
}
