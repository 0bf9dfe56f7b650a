import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { ROOM_TYPES, locations, organizations, rooms } from "./tenancy";
import { users } from "./accounts";
import { patients } from "./patients";

/** What is booked. Money in integer cents; durations and buffers in minutes. */
export const services = sqliteTable(
  "services",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    name: text("name").notNull(),
    category: text("category").notNull(),
    description: text("description").notNull().default(""),
    durationMinutes: integer("duration_minutes").notNull(),
    bufferBeforeMinutes: integer("buffer_before_minutes").notNull().default(0),
    bufferAfterMinutes: integer("buffer_after_minutes").notNull().default(0),
    priceCents: integer("price_cents").notNull(),
    depositCents: integer("deposit_cents").notNull().default(0),
    /** Online booking asks for a card on file (ADR 039). */
    cardRequired: integer("card_required", { mode: "boolean" }).notNull().default(false),
    currency: text("currency").notNull().default("USD"),
    roomType: text("room_type", { enum: ROOM_TYPES }),
    onlineBookable: integer("online_bookable", { mode: "boolean" }).notNull().default(true),
    autoConfirm: integer("auto_confirm", { mode: "boolean" }).notNull().default(true),
    newPatientsAllowed: integer("new_patients_allowed", { mode: "boolean" }).notNull().default(true),
    intakeFormRequired: integer("intake_form_required", { mode: "boolean" }).notNull().default(false),
    /** Injectables: checkout charges what was charted (per unit, per syringe), not the service's price. */
    billedByProduct: integer("billed_by_product", { mode: "boolean" }).notNull().default(false),
    /** HSA/FSA eligible (the receipt itemizes it), and the codes a superbill carries (CPT/HCPCS, ICD-10). */
    hsaEligible: integer("hsa_eligible", { mode: "boolean" }).notNull().default(false),
    procedureCode: text("procedure_code"),
    diagnosisCode: text("diagnosis_code"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`),
  },
  (t) => [index("services_org_idx").on(t.organizationId, t.active)],
);

/** The palette a clinic picks its service categories' colours from (the calendar's block edges). */
export const CATEGORY_COLORS = ["rose", "amber", "lime", "emerald", "teal", "sky", "indigo", "fuchsia"] as const;

/** The colour a clinic chose for one service category (by name, as services carry it). */
export const categoryColors = sqliteTable(
  "category_colors",
  {
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    category: text("category").notNull(),
    color: text("color", { enum: CATEGORY_COLORS }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.category] })],
);

/** Who performs a service, with optional per-provider duration and price. */
export const serviceProviders = sqliteTable(
  "service_providers",
  {
    serviceId: text("service_id").notNull().references(() => services.id),
    userId: text("user_id").notNull().references(() => users.id),
    durationMinutes: integer("duration_minutes"),
    priceCents: integer("price_cents"),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.userId] }), index("service_providers_user_idx").on(t.userId)],
);

/** Recurring weekly availability of a provider at a location, in the location's local time. */
export const shifts = sqliteTable(
  "shifts",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    locationId: text("location_id").notNull().references(() => locations.id),
    userId: text("user_id").notNull().references(() => users.id),
    /** ISO weekday, 1 = Monday … 7 = Sunday. */
    weekday: integer("weekday").notNull(),
    startMinute: integer("start_minute").notNull(),
    endMinute: integer("end_minute").notNull(),
    effectiveFrom: text("effective_from").notNull(),
    effectiveTo: text("effective_to"),
  },
  (t) => [index("shifts_user_idx").on(t.userId), index("shifts_location_idx").on(t.locationId)],
);

export const EXCEPTION_KINDS = ["time_off", "extra_hours", "closed"] as const;

/** Dated overrides: a provider's time off or extra hours, or a location closed for a holiday. */
export const scheduleExceptions = sqliteTable(
  "schedule_exceptions",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    locationId: text("location_id").references(() => locations.id),
    userId: text("user_id").references(() => users.id),
    date: text("date").notNull(),
    kind: text("kind", { enum: EXCEPTION_KINDS }).notNull(),
    startMinute: integer("start_minute"),
    endMinute: integer("end_minute"),
    reason: text("reason"),
  },
  (t) => [index("schedule_exceptions_date_idx").on(t.organizationId, t.date)],
);

export const APPOINTMENT_STATUSES = ["requested", "confirmed", "checked_in", "in_room", "completed", "cancelled", "no_show"] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/**
 * One booked visit. Times are UTC instants; `blockStart`/`blockEnd` include the service's
 * buffers and are what conflicts are checked against.
 */
export const appointments = sqliteTable(
  "appointments",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    locationId: text("location_id").notNull().references(() => locations.id),
    patientId: text("patient_id").notNull().references(() => patients.id),
    providerId: text("provider_id").notNull().references(() => users.id),
    serviceId: text("service_id").notNull().references(() => services.id),
    roomId: text("room_id").references(() => rooms.id),
    status: text("status", { enum: APPOINTMENT_STATUSES }).notNull(),
    startsAt: integer("starts_at", { mode: "timestamp_ms" }).notNull(),
    endsAt: integer("ends_at", { mode: "timestamp_ms" }).notNull(),
    blockStart: integer("block_start", { mode: "timestamp_ms" }).notNull(),
    blockEnd: integer("block_end", { mode: "timestamp_ms" }).notNull(),
    priceCents: integer("price_cents").notNull(),
    seriesId: text("series_id"),
    notes: text("notes"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** Cancelled inside the location's cut-off: a late-cancellation fee may apply (migration 0042). */
    cancelledLate: integer("cancelled_late", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    index("appointments_provider_time_idx").on(t.providerId, t.blockStart),
    index("appointments_location_time_idx").on(t.locationId, t.blockStart),
    index("appointments_room_time_idx").on(t.roomId, t.blockStart),
    index("appointments_patient_idx").on(t.patientId, t.startsAt),
    // Today's "bookings made today" for managers (issue 10).
    index("appointments_location_created_idx").on(t.locationId, t.createdAt),
  ],
);

/** Every status change: who, when, from, to, why. */
export const appointmentEvents = sqliteTable(
  "appointment_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    appointmentId: text("appointment_id").notNull().references(() => appointments.id),
    actorUserId: text("actor_user_id"),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    reason: text("reason"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("appointment_events_appt_idx").on(t.appointmentId)],
);

/**
 * Private calendar subscriptions (Google, Outlook, Apple). The URL carries a random token;
 * only its hash is stored. Regenerating or turning the feed off revokes the old URL.
 */
export const calendarFeeds = sqliteTable(
  "calendar_feeds",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    tokenHash: text("token_hash").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("calendar_feeds_token_idx").on(t.tokenHash), index("calendar_feeds_user_idx").on(t.userId, t.organizationId)],
);
