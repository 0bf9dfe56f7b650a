import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { organizations } from "./tenancy";
import { users } from "./accounts";
import { patients } from "./patients";
import { appointments, services } from "./scheduling";
import { encounters } from "./charting";

/**
 * Consents and good-faith exams (issue 11, ADR 028). A consent form's text is versioned like a
 * chart template: each version is stored with the SHA-256 of its exact text and never changed, and
 * a signed consent names the version and hash the patient read. Signed consents and exams are
 * never changed or removed (triggers, migration 0027).
 */
export const consentTemplates = sqliteTable("consent_templates", {
  id: text("id").primaryKey(),
  organizationId: text("organization_id").notNull().references(() => organizations.id),
  name: text("name").notNull(),
  currentVersion: integer("current_version").notNull().default(1),
  /** How long a signature stays current for later visits. */
  validMonths: integer("valid_months").notNull().default(12),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

export const consentTemplateVersions = sqliteTable(
  "consent_template_versions",
  {
    id: text("id").primaryKey(),
    templateId: text("template_id").notNull().references(() => consentTemplates.id),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** Hex SHA-256 of the exact text (title, a blank line, body) the patient reads. */
    textSha256: text("text_sha256").notNull(),
    createdBy: text("created_by").references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("consent_template_versions_template_version_idx").on(t.templateId, t.version)],
);

/** Consents a service needs, current, before its chart can be signed. */
export const serviceConsents = sqliteTable(
  "service_consents",
  {
    serviceId: text("service_id").notNull().references(() => services.id),
    templateId: text("template_id").notNull().references(() => consentTemplates.id),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.templateId] })],
);

export const CONSENT_SIGNERS = ["patient", "guardian"] as const;
export const CONSENT_METHODS = ["drawn", "typed"] as const;

export const PHOTO_USES = ["clinical", "marketing"] as const;

export const patientConsents = sqliteTable(
  "patient_consents",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    patientId: text("patient_id").notNull().references(() => patients.id),
    templateId: text("template_id").notNull().references(() => consentTemplates.id),
    versionId: text("version_id").notNull().references(() => consentTemplateVersions.id),
    textSha256: text("text_sha256").notNull(),
    signerName: text("signer_name").notNull(),
    signerRole: text("signer_role", { enum: CONSENT_SIGNERS }).notNull(),
    method: text("method", { enum: CONSENT_METHODS }).notNull(),
    /** JSON strokes [[x, y, …], …] in a 1000×300 box; drawn as SVG by the server, never taken as markup. */
    strokes: text("strokes"),
    /** Where it was signed: the visit, the staff member whose tablet it was, and the device. */
    appointmentId: text("appointment_id").references(() => appointments.id),
    witnessId: text("witness_id").references(() => users.id),
    device: text("device").notNull(),
    signedAt: integer("signed_at", { mode: "timestamp_ms" }).notNull(),
    /** Made with the signing page: a consent sent twice is signed once. */
    clientId: text("client_id").notNull(),
    /** The clinical photography consent only: how the photographs may be used (clinical record only, or also teaching and marketing). */
    photoUse: text("photo_use", { enum: PHOTO_USES }),
  },
  (t) => [index("patient_consents_patient_idx").on(t.patientId, t.templateId, t.signedAt), uniqueIndex("patient_consents_client_idx").on(t.organizationId, t.clientId)],
);

/** The clinic's rule for injectables: a good-faith exam by a prescriber within this many months. */
export const goodFaithExamSettings = sqliteTable("good_faith_exam_settings", {
  organizationId: text("organization_id").primaryKey().references(() => organizations.id),
  required: integer("required", { mode: "boolean" }).notNull().default(false),
  validMonths: integer("valid_months").notNull().default(12),
});

export const goodFaithExams = sqliteTable(
  "good_faith_exams",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    patientId: text("patient_id").notNull().references(() => patients.id),
    examinerId: text("examiner_id").notNull().references(() => users.id),
    examinedAt: integer("examined_at", { mode: "timestamp_ms" }).notNull(),
    /** What the prescriber found and approved (clinical: read with the chart permission). */
    findings: text("findings").notNull(),
    encounterId: text("encounter_id").references(() => encounters.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("good_faith_exams_patient_idx").on(t.patientId, t.examinedAt)],
);
