import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { organizations, locations } from "./tenancy";
import { users } from "./accounts";

export const SEXES_AT_BIRTH = ["female", "male", "intersex", "not_said"] as const;

export const patients = sqliteTable(
  "patients",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    /** Calendar date, YYYY-MM-DD: a birthday is not an instant. */
    dateOfBirth: text("date_of_birth").notNull(),
    email: text("email"),
    phone: text("phone"),
    preferredLocationId: text("preferred_location_id").references(() => locations.id),
    /** Portal account, once the patient has accepted an invitation. */
    userId: text("user_id").references(() => users.id),
    smsConsent: integer("sms_consent", { mode: "boolean" }).notNull().default(false),
    emailConsent: integer("email_consent", { mode: "boolean" }).notNull().default(false),
    /** Flags the front desk sees: cancellations inside the location's cut-off, and no-shows. */
    lateCancellations: integer("late_cancellations").notNull().default(0),
    noShows: integer("no_shows").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`),
    /** What the patient likes to be called, and their pronouns, shown beside the legal name. */
    preferredName: text("preferred_name"),
    pronouns: text("pronouns"),
    sexAtBirth: text("sex_at_birth", { enum: SEXES_AT_BIRTH }),
    addressLine1: text("address_line1"),
    addressLine2: text("address_line2"),
    city: text("city"),
    region: text("region"),
    postalCode: text("postal_code"),
    country: text("country"),
    emergencyName: text("emergency_name"),
    emergencyRelationship: text("emergency_relationship"),
    emergencyPhone: text("emergency_phone"),
    /** The portrait's key in file storage (never a public URL: served through an audited route). */
    photoKey: text("photo_key"),
    /** Set when this record was merged into another: links to it lead there, searches skip it. */
    mergedIntoId: text("merged_into_id"),
  },
  (t) => [
    index("patients_org_name_idx").on(t.organizationId, t.lastName, t.firstName),
    index("patients_org_email_idx").on(t.organizationId, t.email),
    index("patients_org_phone_idx").on(t.organizationId, t.phone),
    // Search by date of birth (issue 14); names, email and phone digits are searched through the
    // patient_search full-text table (migration 0020), which this schema does not describe.
    index("patients_org_dob_idx").on(t.organizationId, t.dateOfBirth),
    index("patients_user_idx").on(t.userId),
    // Every signed-in request asks "is this user a patient here?" (session.server.ts). With only
    // (user_id) SQLite may pick an (organization_id, …) index and walk every patient of the
    // organization instead: 72 ms a request on the large set (migration 0023).
    index("patients_user_org_idx").on(t.userId, t.organizationId),
  ],
);

/** A contraindication (pregnancy, keloids, active infection, recent isotretinoin…) always shows as an alert, as an allergy does. */
export const HEALTH_ITEM_KINDS = ["allergy", "medication", "condition", "contraindication"] as const;
export type HealthItemKind = (typeof HEALTH_ITEM_KINDS)[number];
export const ALLERGY_SEVERITIES = ["mild", "moderate", "severe"] as const;

/**
 * A patient's allergies, medications and medical history, one row per entry (a list the chart
 * and the header read, not a free-text paragraph). Allergies always show as alerts; a condition
 * does when staff flag it.
 */
export const patientHealthItems = sqliteTable(
  "patient_health_items",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    patientId: text("patient_id").notNull().references(() => patients.id),
    kind: text("kind", { enum: HEALTH_ITEM_KINDS }).notNull(),
    /** The substance, medicine or condition. */
    name: text("name").notNull(),
    /** Reaction (allergy), dose and frequency (medication), or a note (condition). */
    detail: text("detail"),
    severity: text("severity", { enum: ALLERGY_SEVERITIES }),
    alert: integer("alert", { mode: "boolean" }).notNull().default(false),
    createdBy: text("created_by").references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("patient_health_items_patient_idx").on(t.patientId, t.kind)],
);

/** Notes staff keep about a patient; pinned ones show in the record's header as alerts. */
export const patientNotes = sqliteTable(
  "patient_notes",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    patientId: text("patient_id").notNull().references(() => patients.id),
    authorId: text("author_id").notNull().references(() => users.id),
    body: text("body").notNull(),
    pinned: integer("pinned", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("patient_notes_patient_idx").on(t.patientId, t.createdAt)],
);

/** The patients a staff member opened lately (one row per pair, its time bumped on each visit). */
export const recentPatients = sqliteTable(
  "recent_patients",
  {
    userId: text("user_id").notNull().references(() => users.id),
    patientId: text("patient_id").notNull().references(() => patients.id),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    viewedAt: integer("viewed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.patientId] }), index("recent_patients_user_idx").on(t.userId, t.organizationId, t.viewedAt)],
);
