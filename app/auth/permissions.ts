import type { Role } from "../../db/schema/accounts";

/**
 * Permissions are `action:entity:scope`. Roles grant lists of them; anything not
 * granted is denied. The server checks these in every loader and action; the UI
 * only uses them to decide what to show.
 */
export const PERMISSIONS = [
  "read:organization:organization",
  "update:organization:organization",
  "manage:location:organization",
  "manage:service:organization",
  "manage:staff:organization",
  "read:audit:organization",
  "read:outbox:organization",
  /** Sending a failed message again. */
  "retry:message:organization",
  "read:schedule:location",
  "create:appointment:location",
  /** Status changes, moves, cancellations of visits at the staff member's locations. */
  "update:appointment:location",
  /** Room turnover and readiness on the live board. */
  "update:floor:location",
  "read:queue:own",
  "read:patient:organization",
  "create:patient:organization",
  "invite:patient:organization",
  /** Demographics, contact, address, emergency contact, consents, allergies, medications, history. */
  "update:patient:organization",
  /** Staff notes on a patient (writing and pinning). */
  "note:patient:organization",
  /** Writing to a patient by text or email from their record. */
  "message:patient:organization",
  /** Folding a duplicate record into another: visits, notes and messages move over. */
  "merge:patient:organization",
  /** The product catalogue and chart templates: what is charted and sold. */
  "manage:product:organization",
  "manage:chart_template:organization",
  /** Lots and stock at the staff member's locations (reading them, receiving deliveries). */
  "read:stock:location",
  "receive:stock:location",
  /** Recalling a lot and tracing every patient treated with it. */
  "trace:lot:organization",
  /** Clinical records: encounters, face charts, addenda (front desk never reads them). */
  "read:chart:organization",
  /** Charting one's own visits: drafts, signing, addenda. */
  "write:chart:own",
  /** The medical director's oversight: co-signing or returning charts, the compliance page, the review settings. */
  "review:chart:organization",
  /** Consent forms: their text (each edit a new version) and which services require them; the good-faith exam rule. */
  "manage:consent:organization",
  /** A prescriber's good-faith exam of a patient before injectables. */
  "record:exam:organization",
  /** Invoices and payments at the staff member's locations (issue 12). */
  "read:invoice:location",
  /** Checking a patient out: building the invoice, retail, tips, taking payment, receipts. */
  "checkout:invoice:location",
  /** Discounts up to the organization's front-desk limit. */
  "discount:invoice:location",
  /** Discounts beyond that limit. */
  "override:discount:organization",
  /** Changing a line's quantity or price, removing a line, voiding an unpaid invoice — with a reason. */
  "edit:invoice:location",
  /** Money back to the payment it undoes, with a reason (retail back on the shelf when chosen). */
  "refund:payment:location",
  /** Tax rates per location, the desk's discount limit, tip presets. */
  "manage:billing:organization",
  "read:patient:own",
  "update:patient:own",
  /** A patient's own invoices and receipts in the portal (issued ones, not drafts at the desk). */
  "read:invoice:own",
  /** Paying one's own balance online (Stripe's Payment Element). */
  "pay:invoice:own",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const FRONT_DESK: Permission[] = [
  "read:schedule:location",
  "create:appointment:location",
  "update:appointment:location",
  "update:floor:location",
  "read:patient:organization",
  "create:patient:organization",
  "invite:patient:organization",
  "update:patient:organization",
  "note:patient:organization",
  "message:patient:organization",
  "read:stock:location",
  "receive:stock:location",
  "read:invoice:location",
  "checkout:invoice:location",
  "discount:invoice:location",
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS.filter((p) => !p.endsWith(":own")),
  // Managers run the clinic, not its clinical records: they never read charts.
  manager: PERMISSIONS.filter((p) => !p.endsWith(":own") && p !== "update:organization:organization" && p !== "read:chart:organization" && p !== "review:chart:organization" && p !== "record:exam:organization"),
  front_desk: FRONT_DESK,
  provider: ["read:queue:own", "read:schedule:location", "update:appointment:location", "update:floor:location", "read:patient:organization", "update:patient:organization", "note:patient:organization", "message:patient:organization", "read:stock:location", "read:chart:organization", "write:chart:own"],
  medical_director: ["read:schedule:location", "read:patient:organization", "note:patient:organization", "read:stock:location", "read:chart:organization", "manage:chart_template:organization", "trace:lot:organization", "review:chart:organization", "manage:consent:organization", "record:exam:organization"],
  patient: ["read:patient:own", "update:patient:own", "read:invoice:own", "pay:invoice:own"],
};

export function can(role: Role, permission: Permission) {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Where each role lands after signing in. */
export function homePathFor(role: Role) {
  if (role === "patient") return "/portal";
  if (role === "provider") return "/provider";
  return "/today";
}

/** Owners and managers must use MFA; other staff when their organization requires it. */
export function mfaRequiredFor(role: Role, orgRequiresForAllStaff: boolean) {
  if (role === "owner" || role === "manager") return true;
  return role !== "patient" && orgRequiresForAllStaff;
}

/** Owners and managers see every location; other staff only those they are assigned to. */
export function seesAllLocations(role: Role) {
  return role === "owner" || role === "manager";
}

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  manager: "Manager",
  front_desk: "Front desk",
  provider: "Provider",
  medical_director: "Medical director",
  patient: "Patient",
};
