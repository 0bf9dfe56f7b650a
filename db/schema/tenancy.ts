import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** The tenant: one clinic business. Everything else hangs off an organization id. */
export const organizations = sqliteTable("organizations", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  phone: text("phone"),
  email: text("email"),
  website: text("website"),
  staffIdleMinutes: integer("staff_idle_minutes").notNull().default(30),
  patientIdleMinutes: integer("patient_idle_minutes").notNull().default(60),
  mfaRequiredForAllStaff: integer("mfa_required_for_all_staff", { mode: "boolean" }).notNull().default(false),
  /** Checkout: the largest discount the front desk gives without a manager (basis points). */
  deskDiscountLimit: integer("desk_discount_limit").notNull().default(1000),
  /** Checkout's tip presets, basis points, comma-separated ("1800,2000,2500"). */
  tipPresets: text("tip_presets").notNull().default("1800,2000,2500"),
  /** Gift cards (ADR 035): the amounts offered (cents), the range allowed, and months until expiry (null: never). */
  giftCardAmounts: text("gift_card_amounts").notNull().default("5000,10000,15000,25000"),
  giftCardMinCents: integer("gift_card_min_cents").notNull().default(2500),
  giftCardMaxCents: integer("gift_card_max_cents").notNull().default(100000),
  giftCardExpiryMonths: integer("gift_card_expiry_months"),
  /** Volume discounts for bulk gift card orders: "count:basis points" pairs (migration 0040). */
  giftCardBulkTiers: text("gift_card_bulk_tiers").notNull().default("10:500,25:1000,50:1500"),
  /** Whether the public gift card page sells cards (it needs online card payments). */
  giftCardOnline: integer("gift_card_online", { mode: "boolean" }).notNull().default(true),
  /** Fees for a late cancellation and a no-show (0: none), charged once the desk confirms (ADR 038). */
  lateCancelFeeCents: integer("late_cancel_fee_cents").notNull().default(0),
  noShowFeeCents: integer("no_show_fee_cents").notNull().default(0),
  /** A late fee on invoices still owed `lateFeeAfterDays` after issue (0: none, the default). */
  lateFeeCents: integer("late_fee_cents").notNull().default(0),
  lateFeeAfterDays: integer("late_fee_after_days").notNull().default(30),
  /** The clinic's tax id (EIN), printed on superbills. */
  taxId: text("tax_id"),
  /** How the clinic pays its staff, for tips per pay period (app/checkout/pay-periods.ts). */
  payPeriod: text("pay_period", { enum: ["weekly", "biweekly", "semimonthly", "monthly"] }).notNull().default("biweekly"),
  payPeriodAnchor: text("pay_period_anchor").notNull().default("2026-01-05"),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`),
});

export const locations = sqliteTable(
  "locations",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    name: text("name").notNull(),
    timeZone: text("time_zone").notNull(),
    addressLine1: text("address_line1").notNull(),
    addressLine2: text("address_line2"),
    city: text("city").notNull(),
    region: text("region").notNull(),
    postalCode: text("postal_code").notNull(),
    country: text("country").notNull().default("US"),
    phone: text("phone").notNull(),
    /** Booking rules: start times fall on this grid of local minutes. */
    slotIntervalMinutes: integer("slot_interval_minutes").notNull().default(15),
    minNoticeMinutes: integer("min_notice_minutes").notNull().default(120),
    maxAdvanceDays: integer("max_advance_days").notNull().default(90),
    /** Patients may not cancel or reschedule themselves within this many hours of the start. */
    selfServiceCutoffHours: integer("self_service_cutoff_hours").notNull().default(24),
    /** Hours before the start when reminders go out, e.g. "24,2". */
    reminderHours: text("reminder_hours").notNull().default("24,2"),
    /**
     * Bumped by database triggers on every write that changes what the location's calendar shows
     * (appointments, patients, schedules, rooms, staff, services), so a cached calendar view is
     * reused only while nothing it shows has changed, whoever wrote it.
     */
    scheduleVersion: integer("schedule_version").notNull().default(0),
    /**
     * Bumped by triggers on every room and provider state change. With scheduleVersion it orders
     * the board snapshots the app sends the location's live room: a late, older one is ignored.
     */
    floorVersion: integer("floor_version").notNull().default(0),
    /** Checkout: whether prices include tax, and the rates per category (thousandths of a percent). */
    taxMode: text("tax_mode", { enum: ["exclusive", "inclusive"] }).notNull().default("exclusive"),
    taxServicesRate: integer("tax_services_rate").notNull().default(0),
    taxRetailRate: integer("tax_retail_rate").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`),
  },
  (t) => [index("locations_org_idx").on(t.organizationId)],
);

export const ROOM_TYPES = ["treatment", "injection", "laser", "consultation", "facial", "recovery"] as const;
export type RoomType = (typeof ROOM_TYPES)[number];

export const rooms = sqliteTable(
  "rooms",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    locationId: text("location_id").notNull().references(() => locations.id),
    name: text("name").notNull(),
    roomType: text("room_type", { enum: ROOM_TYPES }).notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`),
  },
  (t) => [
    index("rooms_location_idx").on(t.organizationId, t.locationId),
    uniqueIndex("rooms_location_name_uq").on(t.locationId, t.name),
  ],
);

/** Which locations a staff member works at. Owners and managers see every location regardless. */
export const userLocations = sqliteTable(
  "user_locations",
  {
    userId: text("user_id").notNull(),
    locationId: text("location_id").notNull().references(() => locations.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.locationId] })],
);
