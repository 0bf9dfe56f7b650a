import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { locations, organizations, rooms } from "./tenancy";
import { users } from "./accounts";

export const ROOM_STATES = ["free", "occupied", "turnover"] as const;
export type RoomState = (typeof ROOM_STATES)[number];
export const PROVIDER_STATES = ["available", "with_patient", "documenting", "on_break"] as const;
export type ProviderState = (typeof PROVIDER_STATES)[number];

/**
 * What each room is doing now. Taking a patient to a room occupies it; completing the visit
 * leaves it to be turned over; someone marks it turned over. No row means free.
 */
export const roomStates = sqliteTable("room_states", {
  roomId: text("room_id").primaryKey().references(() => rooms.id),
  organizationId: text("organization_id").notNull().references(() => organizations.id),
  locationId: text("location_id").notNull().references(() => locations.id),
  state: text("state", { enum: ROOM_STATES }).notNull(),
  appointmentId: text("appointment_id"),
  since: integer("since", { mode: "timestamp_ms" }).notNull(),
});

/** What each provider is doing now at a location; no row means available. */
export const providerStates = sqliteTable(
  "provider_states",
  {
    userId: text("user_id").notNull().references(() => users.id),
    locationId: text("location_id").notNull().references(() => locations.id),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    state: text("state", { enum: PROVIDER_STATES }).notNull(),
    since: integer("since", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.locationId] }), index("provider_states_location_idx").on(t.locationId)],
);
