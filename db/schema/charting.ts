import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { locations, organizations } from "./tenancy";
import { users } from "./accounts";
import { patients } from "./patients";
import { appointments, services } from "./scheduling";

/**
 * Charting (issue 11, docs/decisions/026-charting.md). Amounts of product — stock, charted
 * points, movements — are integers in hundredths of the product's measure (2.5 u → 250,
 * 0.25 ml → 25), so totals and stock never drift the way floats would.
 */
export const PRODUCT_KINDS = ["toxin", "filler", "injectable", "consumable", "retail"] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];
export const PRODUCT_MEASURES = ["u", "ml", "each"] as const;
export type ProductMeasure = (typeof PRODUCT_MEASURES)[number];
export const PRICE_BASES = ["measure", "package"] as const;

export const products = sqliteTable(
  "products",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    name: text("name").notNull(),
    kind: text("kind", { enum: PRODUCT_KINDS }).notNull(),
    /** What a point is charted in: units (toxins), ml (fillers), or each. */
    measure: text("measure", { enum: PRODUCT_MEASURES }).notNull(),
    /** How much one vial / syringe / box holds, in hundredths of the measure (100 u → 10000). */
    packageSize: integer("package_size").notNull(),
    /** Toxins: saline added per vial, hundredths of a ml (2.5 ml → 250); gives units per 0.1 ml. */
    diluentMl: integer("diluent_ml"),
    /** What checkout charges: per unit / ml ("measure") or per vial / syringe ("package"). */
    priceCents: integer("price_cents").notNull(),
    priceBasis: text("price_basis", { enum: PRICE_BASES }).notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    /** Retail eligible for HSA/FSA (sunscreen, for one): itemized on the receipt. */
    hsaEligible: integer("hsa_eligible", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("products_org_name_idx").on(t.organizationId, t.name)],
);

/**
 * One lot of a product held at a location. `remaining` never goes below zero: the database
 * refuses it (CHECK), so two providers signing the last units at once can't both take them.
 */
export const productLots = sqliteTable(
  "product_lots",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    locationId: text("location_id").notNull().references(() => locations.id),
    productId: text("product_id").notNull().references(() => products.id),
    lotNumber: text("lot_number").notNull(),
    /** Calendar date, YYYY-MM-DD: usable through the end of that day. */
    expiresOn: text("expires_on").notNull(),
    received: integer("received").notNull(),
    remaining: integer("remaining").notNull(),
    /** What one package of this lot cost the clinic. */
    costCents: integer("cost_cents").notNull().default(0),
    recalledAt: integer("recalled_at", { mode: "timestamp_ms" }),
    recallReason: text("recall_reason"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("product_lots_location_product_lot_idx").on(t.locationId, t.productId, t.lotNumber),
    index("product_lots_org_lot_idx").on(t.organizationId, t.lotNumber),
    check("product_lots_remaining_not_negative", sql`${t.remaining} >= 0`),
  ],
);

/** `sell`: retail taken out at checkout; `return`: back to stock (a line removed, a refund). */
export const STOCK_MOVEMENT_KINDS = ["receive", "use", "adjust", "sell", "return"] as const;

/** Every change to a lot's stock, with why: received, used by a signed encounter, adjusted. */
export const stockMovements = sqliteTable(
  "stock_movements",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    lotId: text("lot_id").notNull().references(() => productLots.id),
    kind: text("kind", { enum: STOCK_MOVEMENT_KINDS }).notNull(),
    /** Hundredths of the measure; negative when stock goes out. */
    quantity: integer("quantity").notNull(),
    encounterId: text("encounter_id"),
    actorId: text("actor_id").references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("stock_movements_lot_idx").on(t.lotId, t.createdAt), index("stock_movements_encounter_idx").on(t.encounterId)],
);

export const CHART_KINDS = ["neurotoxin", "filler", "peel", "laser", "soap"] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export const chartTemplates = sqliteTable(
  "chart_templates",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    name: text("name").notNull(),
    kind: text("kind", { enum: CHART_KINDS }).notNull(),
    /** Whether encounters on this template carry a face chart (injectables). */
    faceChart: integer("face_chart", { mode: "boolean" }).notNull().default(false),
    currentVersion: integer("current_version").notNull().default(1),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("chart_templates_org_name_idx").on(t.organizationId, t.name)],
);

/** A template's fields as they were at one version; never changed once written (trigger). */
export const chartTemplateVersions = sqliteTable(
  "chart_template_versions",
  {
    id: text("id").primaryKey(),
    templateId: text("template_id").notNull().references(() => chartTemplates.id),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    version: integer("version").notNull(),
    /** JSON: TemplateSection[] (app/charting/template.ts). */
    sections: text("sections").notNull(),
    createdBy: text("created_by").references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("chart_template_versions_template_version_idx").on(t.templateId, t.version)],
);

export const ENCOUNTER_STATUSES = ["draft", "signed"] as const;
export const SIGNATURE_METHODS = ["password", "totp", "pin"] as const;

/**
 * The clinical record of one visit. A draft until its provider signs it; once signed the
 * database refuses any change or deletion (triggers, migration 0024): corrections are addenda.
 * `revision` moves with every saved change, so a save made from an older copy is a conflict.
 */
export const encounters = sqliteTable(
  "encounters",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    locationId: text("location_id").notNull().references(() => locations.id),
    appointmentId: text("appointment_id").notNull().references(() => appointments.id),
    patientId: text("patient_id").notNull().references(() => patients.id),
    providerId: text("provider_id").notNull().references(() => users.id),
    serviceId: text("service_id").notNull().references(() => services.id),
    templateVersionId: text("template_version_id").notNull().references(() => chartTemplateVersions.id),
    status: text("status", { enum: ENCOUNTER_STATUSES }).notNull().default("draft"),
    /** JSON: { [fieldId]: answer } (app/charting/answers.ts). */
    answers: text("answers").notNull().default("{}"),
    revision: integer("revision").notNull().default(1),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    updatedBy: text("updated_by").references(() => users.id),
    signedAt: integer("signed_at", { mode: "timestamp_ms" }),
    signedBy: text("signed_by").references(() => users.id),
    signatureMethod: text("signature_method", { enum: SIGNATURE_METHODS }),
  },
  (t) => [
    uniqueIndex("encounters_appointment_idx").on(t.appointmentId),
    index("encounters_patient_idx").on(t.patientId, t.createdAt),
    index("encounters_provider_idx").on(t.providerId, t.status, t.createdAt),
  ],
);

export const FACE_VIEWS = ["front", "left", "right"] as const;
export type FaceView = (typeof FACE_VIEWS)[number];
export const DEPTHS = ["intradermal", "subcutaneous", "supraperiosteal", "intramuscular"] as const;
export const TECHNIQUES = ["needle", "cannula"] as const;

/** One injection point on the face chart. x/y are in the diagram's 0–1000 coordinates. */
export const encounterPoints = sqliteTable(
  "encounter_points",
  {
    id: text("id").primaryKey(),
    encounterId: text("encounter_id").notNull().references(() => encounters.id),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    position: integer("position").notNull(),
    view: text("view", { enum: FACE_VIEWS }).notNull(),
    x: integer("x").notNull(),
    y: integer("y").notNull(),
    zone: text("zone").notNull(),
    /** The provider's own name for a custom point. */
    label: text("label"),
    productId: text("product_id").notNull().references(() => products.id),
    lotId: text("lot_id").notNull().references(() => productLots.id),
    /** Hundredths of the product's measure. */
    amount: integer("amount").notNull(),
    depth: text("depth", { enum: DEPTHS }),
    technique: text("technique", { enum: TECHNIQUES }),
    gauge: integer("gauge"),
    notes: text("notes"),
  },
  (t) => [index("encounter_points_encounter_idx").on(t.encounterId, t.position), index("encounter_points_lot_idx").on(t.lotId)],
);

/** A signed correction or addition to a signed encounter, shown in order; never changed. */
export const encounterAddenda = sqliteTable(
  "encounter_addenda",
  {
    id: text("id").primaryKey(),
    encounterId: text("encounter_id").notNull().references(() => encounters.id),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    authorId: text("author_id").notNull().references(() => users.id),
    body: text("body").notNull(),
    signatureMethod: text("signature_method", { enum: SIGNATURE_METHODS }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("encounter_addenda_encounter_idx").on(t.encounterId, t.createdAt)],
);

/** Which chart template a service's encounters start from (a service without one uses the SOAP note). */
export const serviceChartTemplates = sqliteTable("service_chart_templates", {
  serviceId: text("service_id").primaryKey().references(() => services.id),
  organizationId: text("organization_id").notNull().references(() => organizations.id),
  templateId: text("template_id").notNull().references(() => chartTemplates.id),
});

/** The medical director's review settings: the share of each provider's other charts sampled for co-signing. */
export const chartReviewSettings = sqliteTable("chart_review_settings", {
  organizationId: text("organization_id").primaryKey().references(() => organizations.id),
  samplePercent: integer("sample_percent").notNull().default(10),
});

/** Services whose every chart the medical director co-signs. */
export const serviceReviewPolicies = sqliteTable("service_review_policies", {
  serviceId: text("service_id").primaryKey().references(() => services.id),
  organizationId: text("organization_id").notNull().references(() => organizations.id),
  alwaysReview: integer("always_review", { mode: "boolean" }).notNull().default(false),
});

export const REVIEW_REASONS = ["always", "sampled"] as const;
export const REVIEW_STATUSES = ["pending", "cosigned", "returned"] as const;

/**
 * A signed chart in the medical director's co-sign queue, chosen when it was signed (its
 * service is always reviewed, or it fell in the sample). Kept apart from the encounter, which
 * never changes once signed.
 */
export const encounterReviews = sqliteTable(
  "encounter_reviews",
  {
    encounterId: text("encounter_id").primaryKey().references(() => encounters.id),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    providerId: text("provider_id").notNull().references(() => users.id),
    reason: text("reason", { enum: REVIEW_REASONS }).notNull(),
    status: text("status", { enum: REVIEW_STATUSES }).notNull().default("pending"),
    reviewerId: text("reviewer_id").references(() => users.id),
    comment: text("comment"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("encounter_reviews_queue_idx").on(t.organizationId, t.status, t.createdAt)],
);
