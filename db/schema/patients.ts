import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { organizations, locations } from "./tenancy";
import { users } from "./accounts";

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
  },
  (t) => [
    index("patients_org_name_idx").on(t.organizationId, t.lastName, t.firstName),
    index("patients_org_email_idx").on(t.organizationId, t.email),
    index("patients_org_phone_idx").on(t.organizationId, t.phone),
    // Search by date of birth (issue 14); names, email and phone digits are searched through the
    // patient_search full-text table (migration 0020), which this schema does not describe.
    index("patients_org_dob_idx").on(t.organizationId, t.dateOfBirth),
    index("patients_user_idx").on(t.userId),
  ],
);
