import type { Role } from "../../db/schema/accounts";
import { can, type Permission } from "../auth/permissions";

export type NavIcon = "today" | "my-day" | "schedule" | "floor" | "patients" | "inventory" | "checkout" | "templates" | "consents" | "reviews" | "waitlist" | "audit" | "outbox" | "settings" | "account" | "home" | "profile" | "cards" | "invoices" | "gift-cards";

export interface NavItem {
  to: string;
  label: string;
  /** Drawn by the shell from an SVG icon set (shells.tsx): a font glyph showed as an empty box where the font lacked it. */
  icon: NavIcon;
}

const STAFF_NAV: (NavItem & { needs: Permission | null; hideFor?: Role[] })[] = [
  { to: "/today", label: "Today", icon: "today", needs: "read:schedule:location", hideFor: ["provider"] },
  { to: "/provider", label: "My day", icon: "my-day", needs: "read:queue:own" },
  { to: "/schedule", label: "Schedule", icon: "schedule", needs: "read:schedule:location" },
  { to: "/board", label: "Floor", icon: "floor", needs: "read:schedule:location" },
  { to: "/patients", label: "Patients", icon: "patients", needs: "read:patient:organization" },
  { to: "/checkout", label: "Checkout", icon: "checkout", needs: "read:invoice:location" },
  { to: "/gift-cards", label: "Gift cards", icon: "gift-cards", needs: "read:invoice:location" },
  { to: "/inventory", label: "Inventory", icon: "inventory", needs: "read:stock:location" },
  { to: "/reviews", label: "Chart reviews", icon: "reviews", needs: "review:chart:organization" },
  { to: "/chart-templates", label: "Chart templates", icon: "templates", needs: "manage:chart_template:organization" },
  { to: "/consents", label: "Consent forms", icon: "consents", needs: "manage:consent:organization" },
  { to: "/waitlist", label: "Waitlist", icon: "waitlist", needs: "create:appointment:location" },
  { to: "/audit", label: "Audit log", icon: "audit", needs: "read:audit:organization" },
  { to: "/outbox", label: "Message outbox", icon: "outbox", needs: "read:outbox:organization" },
  { to: "/settings", label: "Settings", icon: "settings", needs: "read:organization:organization" },
  { to: "/account", label: "My account", icon: "account", needs: null },
];

const PATIENT_NAV: NavItem[] = [
  { to: "/portal", label: "Home", icon: "home" },
  { to: "/portal/waitlist", label: "Waitlist", icon: "waitlist" },
  { to: "/portal/profile", label: "Profile", icon: "profile" },
  { to: "/portal/invoices", label: "Payments", icon: "invoices" },
  { to: "/portal/cards", label: "Cards", icon: "cards" },
  { to: "/account", label: "Account", icon: "account" },
];

/** Navigation for a role: only what the role may open (the server still checks each page). */
export function navFor(role: Role): NavItem[] {
  if (role === "patient") return PATIENT_NAV;
  return STAFF_NAV.filter((i) => (i.needs === null || can(role, i.needs)) && !i.hideFor?.includes(role)).map(({ to, label, icon }) => ({ to, label, icon }));
}
