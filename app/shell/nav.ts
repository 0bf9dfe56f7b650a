import type { Role } from "../../db/schema/accounts";
import { can, type Permission } from "../auth/permissions";

export interface NavItem {
  to: string;
  label: string;
  icon: string;
}

const STAFF_NAV: (NavItem & { needs: Permission | null; hideFor?: Role[] })[] = [
  { to: "/today", label: "Today", icon: "◐", needs: "read:schedule:location", hideFor: ["provider"] },
  { to: "/provider", label: "My day", icon: "◑", needs: "read:queue:own" },
  { to: "/schedule", label: "Schedule", icon: "▦", needs: "read:schedule:location" },
  { to: "/board", label: "Floor", icon: "◫", needs: "read:schedule:location" },
  { to: "/patients", label: "Patients", icon: "☺", needs: "read:patient:organization" },
  { to: "/waitlist", label: "Waitlist", icon: "⧗", needs: "create:appointment:location" },
  { to: "/audit", label: "Audit log", icon: "≡", needs: "read:audit:organization" },
  { to: "/outbox", label: "Message outbox", icon: "✉", needs: "read:outbox:organization" },
  { to: "/settings", label: "Settings", icon: "⚙", needs: "read:organization:organization" },
  { to: "/account", label: "My account", icon: "◎", needs: null },
];

const PATIENT_NAV: NavItem[] = [
  { to: "/portal", label: "Home", icon: "⌂" },
  { to: "/portal/waitlist", label: "Waitlist", icon: "⧗" },
  { to: "/portal/profile", label: "Profile", icon: "☺" },
  { to: "/account", label: "Account", icon: "◎" },
];

/** Navigation for a role: only what the role may open (the server still checks each page). */
export function navFor(role: Role): NavItem[] {
  if (role === "patient") return PATIENT_NAV;
  return STAFF_NAV.filter((i) => (i.needs === null || can(role, i.needs)) && !i.hideFor?.includes(role)).map(({ to, label, icon }) => ({ to, label, icon }));
}
