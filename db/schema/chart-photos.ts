import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { organizations } from "./tenancy";
import { users } from "./accounts";
import { patients } from "./patients";
import { encounters } from "./charting";

export const PHOTO_STAGES = ["before", "during", "after"] as const;
export type PhotoStage = (typeof PHOTO_STAGES)[number];
export const PHOTO_ANGLES = ["front", "left", "right", "left_oblique", "right_oblique", "other"] as const;
export type PhotoAngle = (typeof PHOTO_ANGLES)[number];

/**
 * A clinical photo taken during a visit (issue 11, ADR 027). The file and its thumbnail live
 * behind the storage seam under keys the app made, stripped of every piece of metadata; they are
 * served only by the chart's audited photo route. `client_id` is made on the tablet when the photo
 * is taken (possibly offline): a replayed upload finds the photo it already made. Once the
 * encounter is signed the database refuses adding, changing or removing its photos.
 */
export const encounterPhotos = sqliteTable(
  "encounter_photos",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    encounterId: text("encounter_id").notNull().references(() => encounters.id),
    patientId: text("patient_id").notNull().references(() => patients.id),
    clientId: text("client_id").notNull(),
    stage: text("stage", { enum: PHOTO_STAGES }).notNull(),
    angle: text("angle", { enum: PHOTO_ANGLES }).notNull(),
    caption: text("caption"),
    fileKey: text("file_key").notNull(),
    thumbKey: text("thumb_key").notNull(),
    contentType: text("content_type").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    byteSize: integer("byte_size").notNull(),
    takenBy: text("taken_by").notNull().references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("encounter_photos_client_idx").on(t.encounterId, t.clientId), index("encounter_photos_patient_idx").on(t.patientId, t.createdAt)],
);
