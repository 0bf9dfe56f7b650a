import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { organizations, locations } from "./tenancy";

export const ROLES = ["owner", "manager", "front_desk", "provider", "medical_director", "patient"] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ["owner", "manager", "front_desk", "provider", "medical_director"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const MEMBERSHIP_STATUSES = ["invited", "active", "disabled"] as const;

/**
 * A person's identity: one email, one password, one second factor. What they may do lives in
 * their memberships, one per organization (a medical director may oversee several clinics).
 */
export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    /** Stored lower-cased; sign-in is by email alone, so it is unique across organizations. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** A provider's credentials and NPI, as superbills print them ("RN, CANS"; 10 digits). */
    credentials: text("credentials"),
    npi: text("npi"),
    /** Null until an invitation is accepted. */
    passwordHash: text("password_hash"),
    mfaSecret: text("mfa_secret"),
    /**
     * The signing PIN for charts signed offline (ADR 029), as PBKDF2 of the PIN salted by the user
     * id (app/charting/signing-pin.ts): checked on the tablet offline, and again here when it syncs.
     */
    signingPinCheck: text("signing_pin_check"),
    signingPinSetAt: integer("signing_pin_set_at", { mode: "timestamp_ms" }),
    /** Secret shown during enrolment, promoted to mfaSecret once a code verifies. */
    mfaPendingSecret: text("mfa_pending_secret"),
    mfaEnabledAt: integer("mfa_enabled_at", { mode: "timestamp_ms" }),
    /** Last accepted TOTP time step, so a code cannot be replayed inside its window. */
    mfaLastStep: integer("mfa_last_step"),
    lastSignInAt: integer("last_sign_in_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email)],
);

/** A user's place in one organization: their role there and whether it is active. */
export const memberships = sqliteTable(
  "memberships",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id),
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    role: text("role", { enum: ROLES }).notNull(),
    status: text("status", { enum: MEMBERSHIP_STATUSES }).notNull().default("active"),
    /**
     * The name the inviter typed. Until the invitation is accepted the clinic sees this, never the
     * name (or anything else) of an Atrium account the address may already have elsewhere.
     */
    invitedName: text("invited_name"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("memberships_user_org_uq").on(t.userId, t.organizationId), index("memberships_org_role_idx").on(t.organizationId, t.role)],
);

export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id),
    codeHash: text("code_hash").notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** Random 256-bit id; the cookie carries it, signed. */
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id),
    /** The organization the user is acting in now (switchable among their memberships). */
    organizationId: text("organization_id").notNull().references(() => organizations.id),
    /** Null until the second factor is verified for users who have MFA. */
    mfaVerifiedAt: integer("mfa_verified_at", { mode: "timestamp_ms" }),
    mfaRequired: integer("mfa_required", { mode: "boolean" }).notNull().default(false),
    currentLocationId: text("current_location_id").references(() => locations.id),
    /**
     * A screen patients can see (the waiting-room board): the live board shows initials only, and
     * nothing the screen asks for changes that until someone signs in on it again.
     */
    privacyScreen: integer("privacy_screen", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const TOKEN_KINDS = ["password_reset", "invite"] as const;

/** Single-use emailed tokens. Only a SHA-256 of the token is stored. */
export const accountTokens = sqliteTable(
  "account_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id),
    /** For invitations: the organization whose membership the token activates. */
    organizationId: text("organization_id").references(() => organizations.id),
    kind: text("kind", { enum: TOKEN_KINDS }).notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("account_tokens_hash_uq").on(t.tokenHash)],
);

/** signup: public sign-ups per address and network; reset: reset requests (each one counts). */
export const ATTEMPT_KINDS = ["password", "mfa", "reset", "signup", "gift_card", "gift_order"] as const;

/** Failed (and successful) authentication attempts, for throttling per account and per IP. */
export const authAttempts = sqliteTable(
  "auth_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: ATTEMPT_KINDS }).notNull(),
    accountKey: text("account_key").notNull(),
    ip: text("ip").notNull(),
    success: integer("success", { mode: "boolean" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("auth_attempts_account_idx").on(t.kind, t.accountKey, t.createdAt),
    index("auth_attempts_ip_idx").on(t.kind, t.ip, t.createdAt),
  ],
);
