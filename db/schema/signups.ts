import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { organizations } from "./tenancy";

export const SIGNUP_STATES = ["waiting", "existing", "done"] as const;

/**
 * A new patient's sign-up from the public booking page, waiting for the code emailed to the
 * address (issue 9: the page answers the same whether or not the address has an account; only its
 * owner learns which, from the email). The code is made when the email is sent and kept only as a
 * hash; "existing" marks an address that turned out to have an account (no code works for it).
 */
export const pendingSignups = sqliteTable(
  "pending_signups",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    email: text("email").notNull(),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    dateOfBirth: text("date_of_birth").notNull(),
    phone: text("phone").notNull(),
    smsConsent: integer("sms_consent", { mode: "boolean" }).notNull(),
    emailConsent: integer("email_consent", { mode: "boolean" }).notNull(),
    passwordHash: text("password_hash").notNull(),
    /** The visit chosen before signing up: location, service, provider (or null) and start. */
    booking: text("booking", { mode: "json" }).$type<{ locationId: string; serviceId: string; providerId: string | null; startsAt: number }>().notNull(),
    codeHash: text("code_hash"),
    attempts: integer("attempts").notNull().default(0),
    state: text("state", { enum: SIGNUP_STATES }).notNull().default("waiting"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("pending_signups_email_idx").on(t.email)],
);
