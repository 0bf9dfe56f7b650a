import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { locations, organizations } from "./tenancy";
import { users } from "./accounts";
import { patients } from "./patients";
import { appointments, services } from "./scheduling";

export const WAITLIST_STATUSES = ["waiting", "booked", "left", "expired"] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];

/**
 * A patient waiting for a service at a location, with one provider or any, between two local
 * dates (inclusive). Served in the order joined.
 */
export const waitlistEntries = sqliteTable(
  "waitlist_entries",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    locationId: text("location_id").notNull().references(() => locations.id),
    patientId: text("patient_id").notNull().references(() => patients.id),
    serviceId: text("service_id").notNull().references(() => services.id),
    /** Null: any provider who performs the service. */
    providerId: text("provider_id").references(() => users.id),
    fromDate: text("from_date").notNull(),
    toDate: text("to_date").notNull(),
    status: text("status", { enum: WAITLIST_STATUSES }).notNull().default("waiting"),
    appointmentId: text("appointment_id").references(() => appointments.id),
    createdBy: text("created_by"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("waitlist_location_idx").on(t.locationId, t.status, t.createdAt), index("waitlist_patient_idx").on(t.patientId)],
);

export const OFFER_STATUSES = ["open", "accepted", "declined", "expired", "taken"] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/**
 * A freed time offered to one waiting patient by message. The link carries a random token (only
 * its hash is kept). Accepting books through the same exclusive write as any booking, so the
 * first to accept gets the time and anyone later is told it was taken.
 */
export const waitlistOffers = sqliteTable(
  "waitlist_offers",
  {
    id: text("id").primaryKey(),
    entryId: text("entry_id").notNull().references(() => waitlistEntries.id),
    providerId: text("provider_id").notNull().references(() => users.id),
    startsAt: integer("starts_at", { mode: "timestamp_ms" }).notNull(),
    tokenHash: text("token_hash").notNull(),
    status: text("status", { enum: OFFER_STATUSES }).notNull().default("open"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    respondedAt: integer("responded_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("waitlist_offers_token_idx").on(t.tokenHash), index("waitlist_offers_entry_idx").on(t.entryId), index("waitlist_offers_open_idx").on(t.status, t.expiresAt)],
);
